import { ZERO_RANGE } from '../diagnostics';
import type { DetectDiagnostic } from './types';

/** Diagnostic pointing at a 1-based line/column of an input file (the form TOML parsers report). */
export function locatedDiagnostic(
  severity: DetectDiagnostic['severity'],
  code: string,
  file: string,
  line: number,
  column: number,
  message: string,
): DetectDiagnostic {
  const pos = { line: Math.max(0, line - 1), character: Math.max(0, column - 1) };
  return { severity, code, message, path: '', file, range: { start: pos, end: pos } };
}

export function fileDiagnostic(
  severity: DetectDiagnostic['severity'],
  code: string,
  message: string,
  file?: string,
  path = '',
): DetectDiagnostic {
  return { severity, code, message, path, range: ZERO_RANGE, ...(file ? { file } : {}) };
}

/** Joins and normalizes `/`-separated relative paths, keeping leading `..` segments (`crates/api` + `../..` ⇒ `.`). */
export function joinPath(...parts: string[]): string {
  const out: string[] = [];
  for (const part of parts.join('/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.length === 0 ? '.' : out.join('/');
}

export function fileIn(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}
