// render: the Kubernetes objects the operator would create for this project, from the same pure `render`
// the operator runs. Shown as the steady state: the operator holds the web Deployment back until the
// migration Job of the image has succeeded, so when a migration is planned we render a second time with
// that Job observed as succeeded (plain Kubernetes Job status) to show everything that will exist.
import {
  type Observed,
  type Project,
  type RenderConfig,
  type RenderResult,
  render,
} from '@reinhardt-cloud/core';
import { stringOption } from '../args';
import { CliError } from '../errors';
import { projectDir } from '../files';
import { formatDocument, outputFormat } from '../output';
import { compileManifest } from '../project';
import type { CommandContext } from '../spec';

export async function run({ values, io }: CommandContext): Promise<number> {
  const dir = projectDir(io.cwd, stringOption(values, 'dir'));
  const namespace = stringOption(values, 'namespace') ?? 'default';
  const { project, file } = compileManifest(dir, { namespace }, io);
  const platform = (stringOption(values, 'platform') ?? 'onpremise') as NonNullable<RenderConfig['platform']>;
  const result = renderSteadyState(project, { platform });
  if (result.issues.length > 0) {
    for (const issue of result.issues)
      io.stderr(`${file}: ${io.err.red('error')} ${issue.path}: ${issue.message}\n`);
    throw new CliError(
      `the operator would reject this project (${result.issues.length} problem(s) listed above).`,
    );
  }
  const objects = result.objects.map((desired) => desired.object);
  const format = outputFormat(values.output);
  if (format === 'json') {
    io.stdout(await formatDocument({ apiVersion: 'v1', kind: 'List', items: objects }, 'json'));
  } else {
    const documents = await Promise.all(objects.map((object) => formatDocument(object, 'yaml')));
    io.stdout(documents.map((document) => `---\n${document}`).join(''));
  }
  const migration = result.migration.jobName
    ? `, as they are once migration Job ${result.migration.jobName} has succeeded`
    : '';
  io.stderr(
    `${objects.length} objects for ${project.metadata.namespace}/${project.metadata.name}${migration}\n`,
  );
  // Conditions that no amount of waiting fixes: the operator's configuration or the spec must change.
  for (const c of result.conditions)
    if (c.status === 'False' && CONFIGURATION_REASONS.has(c.reason))
      io.stderr(`${io.err.yellow('note')} ${c.type}=False ${c.reason}: ${c.message}\n`);
  return 0;
}

const CONFIGURATION_REASONS = new Set(['CacheMisconfigured', 'UnsupportedMetric']);

function renderSteadyState(project: Project, config: RenderConfig): RenderResult {
  const first = render(project, {}, config);
  const jobName = first.migration.jobName;
  if (first.issues.length > 0 || first.migration.state !== 'Pending' || jobName === undefined) return first;
  const job = first.objects.find(
    (desired) => desired.object.kind === 'Job' && desired.object.metadata.name === jobName,
  );
  if (!job) return first;
  const observed: Observed = { objects: { [`Job/${jobName}`]: { ...job.object, status: { succeeded: 1 } } } };
  return render(project, observed, config);
}
