// The Project manifest from `<dir>/reinhardt-cloud.toml` plus flag overrides, shared by deploy and render.
import { join } from 'node:path';
import { compileProject, type Project } from '@reinhardt-cloud/core';
import { displayPath } from './detect';
import { countBySeverity, formatDiagnosticLine, plural, sortDiagnostics } from './diagnostics';
import { CliError } from './errors';
import { readTextFile, TOML_FILE } from './files';
import type { Io } from './spec';

export interface ManifestOverrides {
  name?: string;
  image?: string;
  replicas?: number;
  namespace?: string;
  /** Parsed `manage introspect` output for `spec.introspect`. */
  introspect?: unknown;
}

/** Compiles the file; every diagnostic goes to stderr (stdout stays a clean document); errors end the command. */
export function compileManifest(
  dir: string,
  overrides: ManifestOverrides,
  io: Io,
): { project: Project; file: string } {
  const file = displayPath(io.cwd, join(dir, TOML_FILE));
  const text = readTextFile(join(dir, TOML_FILE), {
    shown: file,
    hint: 'Run `reinhardt-cloud init` to create it.',
  });
  const result = compileProject(text, overrides);
  for (const diagnostic of sortDiagnostics(result.diagnostics)) {
    io.stderr(`${formatDiagnosticLine(file, diagnostic, io.err)}\n`);
  }
  const { errors } = countBySeverity(result.diagnostics);
  if (result.project === undefined || errors > 0) {
    throw new CliError(`${file} has ${plural(errors, 'error')}; no manifest was produced.`);
  }
  return { project: result.project, file };
}
