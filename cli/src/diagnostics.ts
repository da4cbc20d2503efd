// Printing diagnostics the way compilers do, so terminals and editors can jump to them.
import { type Diagnostic, formatDiagnostic } from '@reinhardt-cloud/core';
import type { Palette } from './color';

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

/** `file:line:col: severity code message`, the severity word colored when the stream allows it. */
export function formatDiagnosticLine(file: string, diagnostic: Diagnostic, color: Palette): string {
  const line = formatDiagnostic(file, diagnostic);
  const paint = severityColor(diagnostic, color);
  const marker = `: ${diagnostic.severity} `;
  const at = line.indexOf(marker);
  if (at < 0) return line;
  return `${line.slice(0, at)}: ${paint(diagnostic.severity)} ${line.slice(at + marker.length)}`;
}

/** A finding about the project as a whole (no file to point into): `dir: severity code message`. */
export function formatProjectDiagnostic(dir: string, diagnostic: Diagnostic, color: Palette): string {
  return `${dir}: ${severityColor(diagnostic, color)(diagnostic.severity)} ${diagnostic.code} ${diagnostic.message}`;
}

function severityColor(diagnostic: Diagnostic, color: Palette): (text: string) => string {
  return diagnostic.severity === 'error'
    ? color.red
    : diagnostic.severity === 'warning'
      ? color.yellow
      : color.cyan;
}

/** Diagnostics sorted by position so the listing reads top to bottom like the file. */
export function sortDiagnostics<T extends Diagnostic>(diagnostics: readonly T[]): T[] {
  return [...diagnostics].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
