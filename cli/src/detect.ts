// Shared by init and sync: run introspection (optional), detect, and describe what was found.
import { join, relative } from 'node:path';
import { type DetectDiagnostic, type Detection, detectProject } from '@reinhardt-cloud/core';
import { formatDiagnosticLine, formatProjectDiagnostic } from './diagnostics';
import { projectFiles } from './files';
import { runIntrospect } from './introspect';
import type { Io, OptionValues } from './spec';

export async function detect(dir: string, values: OptionValues, io: Io, command: string): Promise<Detection> {
  const where = displayPath(io.cwd, dir);
  io.stdout(`Detecting reinhardt-web project in ${where === '.' ? 'the current directory' : where}...\n`);
  const introspect = await runIntrospect(dir, values, io, command);
  const detection = detectProject(projectFiles(dir), {
    env: io.env,
    ...(introspect.status === 'skipped' ? {} : { introspect: introspect.input }),
  });
  describe(
    detection,
    introspect.status === 'skipped' ? `skipped (${introspect.reason})` : undefined,
    dir,
    io,
  );
  return detection;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}

function describe(detection: Detection, skipped: string | undefined, dir: string, io: Io): void {
  const { out } = io;
  if (detection.packageName) {
    const framework = detection.frameworkVersion ? ` (reinhardt-web ${detection.frameworkVersion})` : '';
    io.stdout(
      `  Found: ${out.bold(detection.packageName)} v${detection.packageVersion ?? '0.1.0'}${framework}\n`,
    );
  }
  if (detection.crateDir !== '.') io.stdout(`  Crate: ${detection.crateDir}\n`);
  if (detection.declaredFeatures.length > 0)
    io.stdout(`  Features: ${detection.declaredFeatures.join(', ')}\n`);
  if (detection.settings) {
    const files =
      detection.settings.files.length > 0 ? detection.settings.files.join(', ') : 'no settings files';
    io.stdout(`  Settings: ${detection.settings.profile} profile (${files})\n`);
  }
  const introspect =
    skipped ??
    `${detection.introspect.status}${detection.introspect.detail ? ` (${detection.introspect.detail})` : ''}`;
  io.stdout(`  Introspect: ${introspect}\n`);
  if (detection.reasons.length > 0) {
    io.stdout('Inferred:\n');
    const width = Math.min(32, Math.max(...detection.reasons.map((reason) => reason.key.length)));
    for (const reason of detection.reasons) {
      io.stdout(`  ${out.cyan(reason.key.padEnd(width))}  ${reason.because}\n`);
    }
  }
  printDetectDiagnostics(detection.diagnostics, dir, io);
}

/** Detection diagnostics point into project files (`Cargo.toml`, `settings/production.toml`). */
export function printDetectDiagnostics(diagnostics: readonly DetectDiagnostic[], dir: string, io: Io): void {
  for (const diagnostic of diagnostics) {
    const line = diagnostic.file
      ? formatDiagnosticLine(displayPath(io.cwd, join(dir, diagnostic.file)), diagnostic, io.out)
      : formatProjectDiagnostic(displayPath(io.cwd, dir), diagnostic, io.out);
    io.stdout(`${line}\n`);
  }
}
