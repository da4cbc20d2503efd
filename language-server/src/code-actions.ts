// Code actions: every fix core attaches to a diagnostic (did-you-mean keys and enum values, ...), plus
// edits computed from the schema alone: "add the missing required key" and, for the cluster_issuer rule
// whose core issue carries no edit, "remove cluster_issuer, use issuer". No rule is decided here: an
// action only ever answers a diagnostic core reported, or a `required` flag in core's schema.

import type { Diagnostic } from '@reinhardt-cloud/core';
import {
  type CodeAction,
  CodeActionKind,
  type Diagnostic as LspDiagnostic,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { ScannedDocument, ScannedTable } from './scan';
import type { SchemaModel, SchemaNode } from './schema-model';

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

const overlaps = (a: Range, b: Range) => !(a.end.line < b.start.line || a.start.line > b.end.line);

/** A placeholder value that parses and has the right type, so the file stays valid after the edit. */
function placeholder(node: SchemaNode): string {
  switch (node.kind) {
    case 'string':
      return `"${node.enumValues?.[0] ?? ''}"`;
    case 'integer':
    case 'number':
      return String(node.default ?? 1);
    case 'boolean':
      return String(node.default ?? false);
    case 'array':
      return '[]';
    default:
      return '{}';
  }
}

/** Where a new key goes in a table: after its last entry, else after its header. */
function insertionPoint(doc: ScannedDocument, table: ScannedTable): { line: number; character: number } {
  const lastKey = table.keys.filter((k) => k.equalsCharacter >= 0).at(-1);
  if (lastKey) return { line: lastKey.entryRange.end.line + 1, character: 0 };
  if (table.headerRange) return { line: table.headerRange.start.line + 1, character: 0 };
  // The root table: before the first header.
  const firstHeader = doc.tables[1]?.headerRange?.start.line;
  return { line: firstHeader ?? doc.lines.length, character: 0 };
}

function missingRequiredActions(
  uri: string,
  doc: ScannedDocument,
  schema: SchemaModel,
  range: Range,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const table of doc.tables) {
    if (table.kind !== 'root' && !overlaps(table.range, range)) continue;
    const node = schema.lookup(table.path);
    if (!node?.children || (node.kind !== 'table' && node.kind !== 'array-of-tables')) continue;
    const at = insertionPoint(doc, table);
    for (const child of node.children.values()) {
      if (!child.required) continue;
      const present =
        table.keys.some((k) => k.equalsCharacter >= 0 && k.segments[0] === child.name) ||
        doc.tables.some(
          (t) =>
            t.path.length === table.path.length + 1 &&
            t.path.join('.') === [...table.path, child.name].join('.'),
        );
      if (present) continue;
      if (child.kind === 'table') {
        // A required table (only `[app]`): offered when the cursor is in the root part of the file.
        if (table.kind !== 'root' || range.start.line > (doc.tables[1]?.range.start.line ?? 0) + 1) continue;
        const keys = [...(child.children?.values() ?? [])].filter((c) => c.required);
        const text = [`[${child.path}]`, ...keys.map((k) => `${k.name} = ${placeholder(k)}`), '', ''].join(
          '\n',
        );
        const top = { line: doc.tables[1]?.headerRange?.start.line ?? doc.lines.length, character: 0 };
        actions.push(
          quickFix(`Add the missing required table [${child.path}]`, uri, [
            { range: { start: top, end: top }, newText: text },
          ]),
        );
        continue;
      }
      const where = table.kind === 'root' ? 'the file' : `[${table.path.join('.')}]`;
      actions.push(
        quickFix(`Add the missing required key \`${child.name}\` to ${where}`, uri, [
          { range: { start: at, end: at }, newText: `${child.name} = ${placeholder(child)}\n` },
        ]),
      );
    }
  }
  return actions;
}

/** `cluster_issuer = "x"` → `issuer = "x"`, or the line removed when `issuer` is already set. */
function clusterIssuerFix(uri: string, doc: ScannedDocument, diagnostic: Diagnostic): CodeAction | undefined {
  for (const table of doc.tables) {
    for (const key of table.keys) {
      const path = [...table.path, ...key.segments];
      if (path.join('.') !== 'services.tls.cluster_issuer') continue;
      if (key.keyRange.start.line !== diagnostic.range.start.line) continue;
      const issuerSet = table.keys.some(
        (k) => [...table.path, ...k.segments].join('.') === 'services.tls.issuer',
      );
      const line = key.keyRange.start.line;
      const edit: TextEdit = issuerSet
        ? {
            range: {
              start: { line, character: 0 },
              end: { line: key.entryRange.end.line + 1, character: 0 },
            },
            newText: '',
          }
        : { range: key.keyRange, newText: [...key.segments.slice(0, -1), 'issuer'].join('.') };
      return quickFix(
        issuerSet ? 'Remove cluster_issuer (issuer is already set)' : 'Remove cluster_issuer, use issuer',
        uri,
        [edit],
        true,
      );
    }
  }
  return undefined;
}

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
  doc: ScannedDocument,
  schema: SchemaModel,
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
    if (!d.fixes?.length && d.code === 'tls-cluster-issuer-forbidden') {
      const action = clusterIssuerFix(uri, doc, d);
      if (action && lsp) action.diagnostics = [lsp];
      add(action);
    }
  }
  for (const action of missingRequiredActions(uri, doc, schema, range)) add(action);
  return actions;
}
