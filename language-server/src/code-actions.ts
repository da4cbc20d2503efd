// Code actions: every fix core attaches to a diagnostic (did-you-mean keys and enum values, wrong types,
// the missing required key, "remove cluster_issuer, use issuer"). Nothing is computed here: one source of
// truth for rules and their fixes, so the CLI and every editor offer the same edits.

import type { Diagnostic } from '@reinhardt-cloud/core';
import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

const overlaps = (a: Range, b: Range) => !(a.end.line < b.start.line || a.start.line > b.end.line);

function quickFix(
  title: string,
  uri: string,
  edits: TextEdit[],
  preferred = false,
  diagnostics?: LspDiagnostic[],
): CodeAction {
  const action: CodeAction = { title, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } };
  if (preferred) action.isPreferred = true;
  if (diagnostics) action.diagnostics = diagnostics;
  return action;
}

export function codeActions(
  uri: string,
  reported: readonly Diagnostic[],
  range: Range,
  contextDiagnostics: readonly LspDiagnostic[],
): CodeAction[] {
  const actions: CodeAction[] = [];
  const titles = new Set<string>();
  const add = (action: CodeAction | undefined) => {
    if (!action || titles.has(action.title)) return;
    titles.add(action.title);
    actions.push(action);
  };
  // The client echoes the diagnostics in the range; match them to what core reported to find the fixes.
  const matched = new Set<Diagnostic>();
  for (const lsp of contextDiagnostics) {
    const core = reported.find(
      (d) => d.code === lsp.code && sameRange(d.range, lsp.range) && d.message === lsp.message,
    );
    if (core) matched.add(core);
  }
  for (const d of reported)
    if (overlaps(d.range, range) && range.start.line === range.end.line) matched.add(d);
  for (const d of matched) {
    const lsp = contextDiagnostics.find((c) => c.code === d.code && sameRange(d.range, c.range));
    for (const fix of d.fixes ?? [])
      add(quickFix(fix.title, uri, fix.edits, fix.preferred ?? false, lsp ? [lsp] : undefined));
  }
  return actions;
}
