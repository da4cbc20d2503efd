// deploy = build the manifest once, then hand it to a target. Today the only target is stdout
// (--dry-run); `--direct` (kubectl apply) and the dashboard submission plug in as more targets.
import { booleanOption, integerOption, stringOption } from '../args';
import { CliError, EXIT_USAGE } from '../errors';
import { projectDir } from '../files';
import { runIntrospect } from '../introspect';
import { formatDocument, outputFormat } from '../output';
import { compileManifest } from '../project';
import type { CommandContext, Io } from '../spec';

type DeployTarget = 'dry-run' | 'direct' | 'dashboard';

function selectTarget(values: CommandContext['values']): DeployTarget {
  // --dry-run wins over --direct, as in the original CLI: asking to look is never dangerous.
  if (booleanOption(values, 'dry-run')) return 'dry-run';
  return booleanOption(values, 'direct') ? 'direct' : 'dashboard';
}

const UNAVAILABLE: Record<Exclude<DeployTarget, 'dry-run'>, string> = {
  direct: 'applying to a cluster with --direct arrives with the control plane; it is not available yet.',
  dashboard: 'deploying through the dashboard arrives with the control plane; it is not available yet.',
};

export async function run({ values, io }: CommandContext): Promise<number> {
  const target = selectTarget(values);
  if (target !== 'dry-run') {
    throw new CliError(UNAVAILABLE[target], {
      exitCode: EXIT_USAGE,
      details: [
        'Use `reinhardt-cloud deploy --dry-run` to print the Project manifest and apply it yourself.',
      ],
    });
  }
  const overrides = {
    name: stringOption(values, 'name'),
    image: stringOption(values, 'image'),
    replicas: integerOption(values, 'replicas', 'deploy'),
    namespace: stringOption(values, 'namespace') ?? 'default',
  };
  const dir = projectDir(io.cwd, stringOption(values, 'dir'));
  const introspect =
    stringOption(values, 'manage-bin') === undefined ? undefined : await introspectOutput(dir, values, io);
  const { project } = compileManifest(dir, { ...overrides, introspect }, io);
  io.stdout(await formatDocument(project, outputFormat(values.output)));
  return 0;
}

/** Asked for explicitly with --manage-bin, so a failure ends the command instead of being skipped. */
async function introspectOutput(dir: string, values: CommandContext['values'], io: Io): Promise<unknown> {
  const result = await runIntrospect(dir, values, io, 'deploy');
  if (result.status !== 'ok') throw new CliError(result.reason);
  try {
    // Nulls (the framework's absent optionals) are dropped by core's parseIntrospect.
    return JSON.parse(result.input.stdout);
  } catch (error) {
    throw new CliError(`${result.source} printed invalid JSON: ${(error as Error).message}`);
  }
}
