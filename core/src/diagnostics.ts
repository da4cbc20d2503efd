// Diagnostics are the one currency of feedback in Reinhardt Cloud: the CLI prints them, the language
// server publishes them, the operator puts them in conditions. Positions follow LSP: 0-based line and
// UTF-16 character offsets, so the language server can forward them untouched.

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A machine-applicable fix, offered as a quick fix in the editor. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix an editor may apply automatically ("fix all"). */
  preferred?: boolean;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable rule code (kebab-case rule name), e.g. `unknown-key`, `tls-requires-ingress-host`. */
  code: string;
  message: string;
  /** Dotted field path in the TOML document, array items as `[i]`: `infrastructure.buckets[0].name`; `''` for the whole file. */
  path: string;
  range: Range;
  fixes?: Fix[];
}

export const ZERO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: severity code message` with 1-based line and column, the format compilers and editors parse. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`;
}
