import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors, syncToml } from '@reinhardt-cloud/core';
import { booleanOption, stringOption } from '../args';
import { detect, displayPath, printDetectDiagnostics } from '../detect';
import { diffLines, summarizeDiff } from '../diff';
import { CliError } from '../errors';
import { projectDir, readTextFile, TOML_FILE, writeFileAtomic } from '../files';
import type { CommandContext } from '../spec';

export async function run({ values, io }: CommandContext): Promise<number> {
  const dir = projectDir(io.cwd, stringOption(values, 'dir'));
  const target = join(dir, TOML_FILE);
  const check = booleanOption(values, 'check');
  if (!existsSync(target)) throw new CliError(`${TOML_FILE} not found. Run \`reinhardt-cloud init\` first.`);
  const existing = readTextFile(target);

  const detection = await detect(dir, values, io, 'sync');
  if (detection.config === undefined || hasErrors(detection.diagnostics)) {
    throw new CliError(
      `cannot sync ${TOML_FILE}: the project could not be analysed (problems listed above).`,
    );
  }
  const result = syncToml(existing, detection);
  printDetectDiagnostics(result.diagnostics, dir, io);
  const shown = displayPath(io.cwd, target);
  if (hasErrors(result.diagnostics)) {
    throw new CliError(`cannot sync ${shown}: fix the problems listed above, then run sync again.`);
  }
  if (!result.changed || result.text === existing) {
    io.stdout(`${shown} is up to date.\n`);
    return 0;
  }
  if (check) {
    io.stdout(`${io.out.yellow(`${shown} is out of date.`)} \`reinhardt-cloud sync\` would change:\n`);
    for (const line of summarizeDiff(diffLines(existing, result.text))) {
      const painted = line.startsWith('-')
        ? io.out.red(line)
        : line.startsWith('+')
          ? io.out.green(line)
          : line;
      io.stdout(`${painted}\n`);
    }
    return 1;
  }
  try {
    writeFileAtomic(target, result.text, { overwrite: true });
  } catch (error) {
    throw new CliError(`cannot write ${target}: ${(error as Error).message}`);
  }
  io.stdout(`${io.out.green('Updated')} ${shown}\n`);
  return 0;
}
