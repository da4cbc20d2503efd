import { resolve } from 'node:path';
import { analyzeToml, type Diagnostic } from '@reinhardt-cloud/core';
import { stringOption } from '../args';
import { countBySeverity, formatDiagnosticLine, plural, sortDiagnostics } from '../diagnostics';
import { readTextFile, TOML_FILE } from '../files';
import type { CommandContext } from '../spec';

/** The JSON contract of `validate --format json`: 0-based LSP ranges, dotted field paths. */
function toJson(file: string, diagnostics: readonly Diagnostic[]): string {
  const items = diagnostics.map(({ severity, code, message, path, range }) => ({
    severity,
    code,
    message,
    path,
    range,
  }));
  return `${JSON.stringify({ file, diagnostics: items }, null, 2)}\n`;
}

export async function run({ values, io }: CommandContext): Promise<number> {
  const file = stringOption(values, 'file') ?? TOML_FILE;
  const text = readTextFile(resolve(io.cwd, file), {
    shown: file,
    hint: file === TOML_FILE ? 'Run `reinhardt-cloud init` to create it, or pass --file.' : undefined,
  });
  const diagnostics = sortDiagnostics(analyzeToml(text).diagnostics);
  const { errors, warnings } = countBySeverity(diagnostics);
  if (stringOption(values, 'format') === 'json') {
    io.stdout(toJson(file, diagnostics));
  } else {
    for (const diagnostic of diagnostics) io.stdout(`${formatDiagnosticLine(file, diagnostic, io.out)}\n`);
    const summary =
      errors > 0
        ? io.out.red(`${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`)
        : io.out.green(`${file}: valid${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}`);
    io.stderr(`${summary}\n`);
  }
  return errors > 0 ? 1 : 0;
}
