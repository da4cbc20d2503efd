// Hover: the key's (or table's) description, type, default, allowed values and the CRD field it maps to.

import { type Hover, MarkupKind, type Position } from 'vscode-languageserver';
import type { ScannedDocument, ScannedKey } from './scan';
import { describeNode, type SchemaModel } from './schema-model';

/** Index of the dotted-key segment under `character` (dots inside quotes don't count). */
function segmentAt(text: string, key: ScannedKey, character: number): number {
  let index = 0;
  let quote = '';
  for (let i = key.keyRange.start.character; i < character && i < key.keyRange.end.character; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '.') index++;
  }
  return Math.min(index, key.segments.length - 1);
}

const within = (character: number, start: number, end: number) => character >= start && character <= end;

export function hoverAt(doc: ScannedDocument, schema: SchemaModel, position: Position): Hover | null {
  const info = doc.lineInfo[position.line];
  const text = doc.lines[position.line] ?? '';
  if (!info) return null;
  const table = doc.tables[info.table];
  if (!table) return null;
  if (info.commentStart >= 0 && position.character > info.commentStart) return null;
  if (info.kind === 'header') {
    const name = table.nameRange;
    if (!name || !within(position.character, name.start.character, name.end.character)) return null;
    const node = schema.lookup(table.path);
    if (!node) return null;
    return { contents: { kind: MarkupKind.Markdown, value: describeNode(node) }, range: name };
  }
  if (info.kind !== 'entry' && info.kind !== 'partial' && info.kind !== 'continuation') return null;
  const key = info.key === undefined ? undefined : table.keys[info.key];
  if (!key || key.segments.length === 0) return null;
  const onKey =
    info.kind !== 'continuation' &&
    within(position.character, key.keyRange.start.character, key.keyRange.end.character);
  const segments = onKey ? key.segments.slice(0, segmentAt(text, key, position.character) + 1) : key.segments;
  const node = schema.lookup([...table.path, ...segments]);
  if (!node) return null;
  let value = describeNode(node);
  if (!onKey && key.value && node.enumDescriptions) {
    const written = key.value.text.replace(/^["']|["']$/g, '');
    const doc = node.enumDescriptions[written];
    if (doc) value = `\`"${written}"\`: ${doc}\n\n---\n\n${value}`;
  }
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: onKey ? key.keyRange : (key.value?.range ?? key.entryRange),
  };
}
