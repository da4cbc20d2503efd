import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateToml, hasErrors } from '@reinhardt-cloud/core';
import { booleanOption, stringOption } from '../args';
import { detect, displayPath } from '../detect';
import { CliError } from '../errors';
import { projectDir, TOML_FILE, writeFileAtomic } from '../files';
import type { CommandContext } from '../spec';

const ALREADY_EXISTS = `${TOML_FILE} already exists. Use --force to overwrite, or \`reinhardt-cloud sync\` to update.`;

export async function run({ values, io }: CommandContext): Promise<number> {
  const dir = projectDir(io.cwd, stringOption(values, 'dir'));
  const target = join(dir, TOML_FILE);
  const force = booleanOption(values, 'force');
  // Checked before detection so a refusal costs nothing; the write below re-checks atomically.
  if (!force && existsSync(target)) throw new CliError(ALREADY_EXISTS);

  const detection = await detect(dir, values, io, 'init');
  if (detection.config === undefined || hasErrors(detection.diagnostics)) {
    throw new CliError(
      `cannot generate ${TOML_FILE}: the project could not be analysed (problems listed above).`,
    );
  }
  const text = generateToml(detection);
  try {
    writeFileAtomic(target, text, { overwrite: force });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError(ALREADY_EXISTS);
    throw new CliError(`cannot write ${target}: ${(error as Error).message}`);
  }
  const shown = displayPath(io.cwd, target);
  io.stdout(`${io.out.green(force ? 'Wrote' : 'Created')} ${shown}\n`);
  io.stdout(`Next: review it, then \`reinhardt-cloud validate\` and \`reinhardt-cloud deploy --dry-run\`.\n`);
  return 0;
}
