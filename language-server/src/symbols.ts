// Document symbols (the outline) and folding ranges, both from the tolerant scan so they keep working
// while the file does not parse.

import { type DocumentSymbol, type FoldingRange, FoldingRangeKind, SymbolKind } from 'vscode-languageserver';
import type { ScannedDocument, ScannedKey } from './scan';

function keySymbol(key: ScannedKey): DocumentSymbol | undefined {
  if (key.equalsCharacter < 0 || key.segments.length === 0) return undefined;
  const kind =
    key.value?.kind === 'array'
      ? SymbolKind.Array
      : key.value?.kind === 'inline-table'
        ? SymbolKind.Object
        : key.value?.kind === 'boolean'
          ? SymbolKind.Boolean
          : key.value?.kind === 'number'
            ? SymbolKind.Number
            : SymbolKind.Property;
  const symbol: DocumentSymbol = {
    name: key.segments.join('.'),
    kind,
    range: key.entryRange,
    selectionRange: key.keyRange,
  };
  if (key.value?.text)
    symbol.detail = key.value.text.length > 40 ? `${key.value.text.slice(0, 39)}…` : key.value.text;
  return symbol;
}

export function documentSymbols(doc: ScannedDocument): DocumentSymbol[] {
  const result: DocumentSymbol[] = [];
  const arrayCounts = new Map<string, number>();
  for (const table of doc.tables) {
    const children = table.keys.map(keySymbol).filter((s): s is DocumentSymbol => s !== undefined);
    if (table.kind === 'root') {
      result.push(...children);
      continue;
    }
    if (!table.headerRange || !table.nameRange) continue;
    const name = table.path.join('.');
    let label = name;
    if (table.kind === 'array-item') {
      const index = arrayCounts.get(name) ?? 0;
      arrayCounts.set(name, index + 1);
      label = `${name}[${index}]`;
    }
    result.push({
      name: label || '(unnamed table)',
      kind: table.kind === 'array-item' ? SymbolKind.Array : SymbolKind.Module,
      range: table.range,
      selectionRange: table.nameRange,
      children,
    });
  }
  return result;
}

export function foldingRanges(doc: ScannedDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const table of doc.tables) {
    if (table.kind !== 'root' && table.range.end.line > table.range.start.line) {
      ranges.push({
        startLine: table.range.start.line,
        endLine: table.range.end.line,
        kind: FoldingRangeKind.Region,
      });
    }
    for (const key of table.keys) {
      if (key.value && key.value.range.end.line > key.value.range.start.line) {
        ranges.push({ startLine: key.entryRange.start.line, endLine: key.value.range.end.line });
      }
    }
  }
  // Runs of two or more comment lines fold as comments.
  let runStart = -1;
  for (let line = 0; line <= doc.lineInfo.length; line++) {
    const isComment = doc.lineInfo[line]?.kind === 'comment';
    if (isComment && runStart < 0) runStart = line;
    if (!isComment && runStart >= 0) {
      if (line - 1 > runStart)
        ranges.push({ startLine: runStart, endLine: line - 1, kind: FoldingRangeKind.Comment });
      runStart = -1;
    }
  }
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
