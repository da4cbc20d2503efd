// A tolerant, line-oriented scanner for reinhardt-cloud.toml. The real parser (in core) rejects a
// half-typed file; the editor features still need to know, on every keystroke, which table and key the
// cursor is in, which keys a table already has and where its values are. This scanner never fails: it
// reads what it can recognise and records the rest as partial lines. One linear pass, no regex backtracking.

import type { Position, Range } from 'vscode-languageserver-textdocument';

export type ValueKind =
  | 'string'
  | 'literal'
  | 'multiline-string'
  | 'array'
  | 'inline-table'
  | 'boolean'
  | 'number'
  | 'other'
  | 'empty';

export interface ScannedValue {
  kind: ValueKind;
  /** Raw source text of the value (first line only for multi-line values). */
  text: string;
  range: Range;
}

export interface ScannedKey {
  /** Dotted key segments as written, unquoted: `tls.enabled` → ['tls', 'enabled']. */
  segments: string[];
  keyRange: Range;
  /** Range of the whole `key = value` entry, trailing comment excluded. */
  entryRange: Range;
  /** Column of `=`; -1 when the line has none yet (half-typed key). */
  equalsCharacter: number;
  value?: ScannedValue;
}

export interface ScannedTable {
  kind: 'root' | 'table' | 'array-item';
  /** Table path from the header, unquoted: `[services.tls]` → ['services', 'tls']. */
  path: string[];
  headerRange?: Range;
  /** Range of the name between the brackets. */
  nameRange?: Range;
  /** From the header to the last non-blank line that belongs to the table. */
  range: Range;
  keys: ScannedKey[];
}

export type LineKind = 'blank' | 'comment' | 'header' | 'entry' | 'partial' | 'continuation';

export interface ScannedLine {
  kind: LineKind;
  /** Index into `tables` of the table this line belongs to. */
  table: number;
  /** Index into that table's `keys` for entry, partial and continuation lines. */
  key?: number;
  /** Column where a trailing comment starts, -1 when none. */
  commentStart: number;
}

export interface ScannedDocument {
  lines: string[];
  lineInfo: ScannedLine[];
  tables: ScannedTable[];
}

const pos = (line: number, character: number): Position => ({ line, character });
const range = (line: number, start: number, end: number): Range => ({
  start: pos(line, start),
  end: pos(line, end),
});

function isBareKeyChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 45
  );
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

interface KeyParse {
  segments: string[];
  start: number;
  end: number;
}

/** Reads a dotted key starting at `i`; stops at the first character that can't continue it. */
function readDottedKey(text: string, i: number): KeyParse {
  const segments: string[] = [];
  const start = i;
  let end = i;
  while (i < text.length) {
    i = skipSpaces(text, i);
    const ch = text[i];
    let segment: string | undefined;
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      const stop = close < 0 ? text.length : close;
      segment = text.slice(i + 1, stop);
      i = close < 0 ? text.length : close + 1;
    } else {
      const from = i;
      while (i < text.length && isBareKeyChar(text.charCodeAt(i))) i++;
      if (i === from) break;
      segment = text.slice(from, i);
    }
    segments.push(segment);
    end = i;
    const next = skipSpaces(text, i);
    if (text[next] !== '.') break;
    i = next + 1;
    end = i;
  }
  return { segments, start, end };
}

/** Column of a `#` that starts a comment, ignoring `#` inside single-line strings. */
function findCommentStart(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#') return i;
  }
  return -1;
}

interface Continuation {
  /** Inside a `"""` or `'''` string. */
  string?: '"""' | "'''";
  /** Bracket depth of an unfinished array/inline table. */
  depth: number;
}

/** Advances over a value fragment, updating open multi-line string/bracket state; returns the comment column. */
function scanValueFragment(text: string, from: number, state: Continuation): number {
  let i = from;
  while (i < text.length) {
    if (state.string) {
      const close = text.indexOf(state.string, i);
      if (close < 0) return -1;
      i = close + 3;
      // `""""` closes with the extra quote belonging to the string content
      while (text[i] === state.string[0]) i++;
      state.string = undefined;
      continue;
    }
    const ch = text[i];
    if (ch === '#') return i;
    if (ch === '"' || ch === "'") {
      if (text.startsWith(ch.repeat(3), i)) {
        state.string = ch === '"' ? '"""' : "'''";
        i += 3;
        continue;
      }
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' && ch === '"' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (ch === '[' || ch === '{') state.depth++;
    else if (ch === ']' || ch === '}') state.depth = Math.max(0, state.depth - 1);
    i++;
  }
  return -1;
}

function classifyValue(text: string): ValueKind {
  const ch = text[0];
  if (text.length === 0) return 'empty';
  if (text.startsWith('"""') || text.startsWith("'''")) return 'multiline-string';
  if (ch === '"') return 'string';
  if (ch === "'") return 'literal';
  if (ch === '[') return 'array';
  if (ch === '{') return 'inline-table';
  if (text === 'true' || text === 'false') return 'boolean';
  if (/^[+-]?(\d|inf|nan)/.test(text)) return 'number';
  return 'other';
}

export function scanDocument(source: string): ScannedDocument {
  const lines = source.split(/\r?\n/);
  const root: ScannedTable = { kind: 'root', path: [], range: range(0, 0, 0), keys: [] };
  const tables: ScannedTable[] = [root];
  const lineInfo: ScannedLine[] = new Array(lines.length);
  let current = root;
  let lastContentLine = -1;
  const state: Continuation = { depth: 0 };
  let openKey: ScannedKey | undefined;

  const closeTable = () => {
    if (lastContentLine >= 0 && current.range.start.line <= lastContentLine) {
      current.range = {
        start: current.range.start,
        end: pos(lastContentLine, lines[lastContentLine]?.length ?? 0),
      };
    }
  };

  for (let line = 0; line < lines.length; line++) {
    const text = lines[line] ?? '';
    const tableIndex = tables.length - 1;
    if (state.string || state.depth > 0) {
      const commentStart = scanValueFragment(text, 0, state);
      lineInfo[line] = {
        kind: 'continuation',
        table: tableIndex,
        key: current.keys.length - 1,
        commentStart,
      };
      if (openKey?.value) {
        const end = commentStart >= 0 ? text.slice(0, commentStart).trimEnd().length : text.trimEnd().length;
        openKey.value.range = { start: openKey.value.range.start, end: pos(line, end) };
        openKey.entryRange = { start: openKey.entryRange.start, end: pos(line, end) };
      }
      lastContentLine = line;
      continue;
    }
    const first = skipSpaces(text, 0);
    if (first >= text.length) {
      lineInfo[line] = { kind: 'blank', table: tableIndex, commentStart: -1 };
      continue;
    }
    const ch = text[first];
    if (ch === '#') {
      lineInfo[line] = { kind: 'comment', table: tableIndex, commentStart: first };
      continue;
    }
    if (ch === '[') {
      closeTable();
      const isArray = text[first + 1] === '[';
      const nameStart = first + (isArray ? 2 : 1);
      const key = readDottedKey(text, nameStart);
      const afterName = skipSpaces(text, key.end);
      let headerEnd = afterName;
      if (text[afterName] === ']') headerEnd = afterName + (isArray && text[afterName + 1] === ']' ? 2 : 1);
      const commentStart = findCommentStart(text, headerEnd);
      const nameEnd = text.slice(nameStart, key.end).trimEnd().length + nameStart;
      current = {
        kind: isArray ? 'array-item' : 'table',
        path: key.segments,
        headerRange: range(line, first, headerEnd),
        nameRange: range(line, skipSpaces(text, nameStart), Math.max(nameEnd, skipSpaces(text, nameStart))),
        range: range(line, first, headerEnd),
        keys: [],
      };
      tables.push(current);
      lineInfo[line] = { kind: 'header', table: tables.length - 1, commentStart };
      lastContentLine = line;
      openKey = undefined;
      continue;
    }
    const key = readDottedKey(text, first);
    const afterKey = skipSpaces(text, key.end);
    const keyRange = range(line, first, key.end);
    if (key.segments.length === 0 || text[afterKey] !== '=') {
      // Half-typed: `eng`, `engine`, `tls.` ... The key is recorded so completion knows what is being typed.
      const commentStart = findCommentStart(text, first);
      const entry: ScannedKey = {
        segments: key.segments,
        keyRange,
        entryRange: keyRange,
        equalsCharacter: -1,
      };
      current.keys.push(entry);
      lineInfo[line] = {
        kind: 'partial',
        table: tables.length - 1,
        key: current.keys.length - 1,
        commentStart,
      };
      lastContentLine = line;
      openKey = undefined;
      continue;
    }
    const valueStart = skipSpaces(text, afterKey + 1);
    const commentStart = scanValueFragment(text, valueStart, state);
    const valueEnd = (commentStart >= 0 ? text.slice(0, commentStart) : text).trimEnd().length;
    const valueText = text.slice(valueStart, Math.max(valueStart, valueEnd));
    const entry: ScannedKey = {
      segments: key.segments,
      keyRange,
      entryRange: range(line, first, Math.max(valueEnd, afterKey + 1)),
      equalsCharacter: afterKey,
      value: {
        kind: classifyValue(valueText),
        text: valueText,
        range: range(line, valueStart, Math.max(valueStart, valueEnd)),
      },
    };
    current.keys.push(entry);
    lineInfo[line] = { kind: 'entry', table: tables.length - 1, key: current.keys.length - 1, commentStart };
    lastContentLine = line;
    openKey = state.string || state.depth > 0 ? entry : undefined;
  }
  closeTable();
  return { lines, lineInfo, tables };
}

/** Full dotted path of a key inside a table, e.g. table ['services'] + key ['tls','enabled']. */
export function keyPath(table: ScannedTable, key: ScannedKey): string[] {
  return [...table.path, ...key.segments];
}

/** Whether the table has a key (or a dotted key starting with) `name` directly inside it. */
export function tableHasKey(table: ScannedTable, name: string): boolean {
  return table.keys.some((k) => k.equalsCharacter >= 0 && k.segments[0] === name);
}
