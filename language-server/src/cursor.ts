// Where the cursor is, in TOML terms: in a table header, on a key, or inside a value (and inside its
// quotes or not). Computed from the tolerant scan, so it works on half-typed, invalid input.

import type { Position, Range } from 'vscode-languageserver-textdocument';
import type { ScannedDocument, ScannedKey, ScannedTable } from './scan';

export type CursorContext =
  | { kind: 'header'; isArray: boolean; prefix: string; replace: Range; hasClose: boolean }
  | {
      kind: 'key';
      table: ScannedTable;
      /** Complete segments typed before the last `.` of the key under the cursor: `tls.en` → ['tls']. */
      typed: string[];
      prefix: string;
      replace: Range;
      /** The key under the cursor, excluded from "already present" checks. */
      current?: ScannedKey;
      /** Nothing but the word being typed on this line: table snippets fit here. */
      lineIsEmpty: boolean;
    }
  | {
      kind: 'value';
      table: ScannedTable;
      key: ScannedKey;
      inString: boolean;
      inArray: boolean;
      prefix: string;
      replace: Range;
    }
  | { kind: 'none' };

const isWordChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_-]/.test(ch);

function wordRange(text: string, character: number): { start: number; end: number } {
  let start = character;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  let end = character;
  while (end < text.length && isWordChar(text[end])) end++;
  return { start, end };
}

/** Scans a value line up to the cursor: open quote column (or -1) and bracket depth. */
function valueStateAt(
  text: string,
  from: number,
  character: number,
): { quote: number; quoteChar: string; depth: number } {
  let quote = -1;
  let quoteChar = '';
  let depth = 0;
  for (let i = from; i < character && i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote >= 0) {
      if (ch === '\\' && quoteChar === '"') i++;
      else if (ch === quoteChar) quote = -1;
    } else if (ch === '"' || ch === "'") {
      quote = i;
      quoteChar = ch;
    } else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === '#') return { quote: -2, quoteChar: '', depth };
  }
  return { quote, quoteChar, depth };
}

export function cursorContext(doc: ScannedDocument, position: Position): CursorContext {
  const { line, character } = position;
  const info = doc.lineInfo[line];
  const text = doc.lines[line] ?? '';
  if (!info) return { kind: 'none' };
  if (info.commentStart >= 0 && character > info.commentStart) return { kind: 'none' };
  const table = doc.tables[info.table];
  if (!table) return { kind: 'none' };
  switch (info.kind) {
    case 'comment':
      return { kind: 'none' };
    case 'header': {
      const header = table.headerRange;
      const name = table.nameRange;
      if (!header || !name) return { kind: 'none' };
      const isArray = table.kind === 'array-item';
      const nameStart = name.start.character;
      if (character < nameStart) return { kind: 'none' };
      const closeAt = text.indexOf(']', nameStart);
      if (closeAt >= 0 && character > closeAt) return { kind: 'none' };
      return {
        kind: 'header',
        isArray,
        prefix: text.slice(nameStart, character),
        replace: {
          start: { line, character: nameStart },
          end: { line, character: Math.max(character, name.end.character) },
        },
        hasClose: closeAt >= 0,
      };
    }
    case 'blank':
      return {
        kind: 'key',
        table,
        typed: [],
        prefix: '',
        replace: { start: position, end: position },
        lineIsEmpty: true,
      };
    case 'partial':
    case 'entry': {
      const key = info.key === undefined ? undefined : table.keys[info.key];
      if (!key) return { kind: 'none' };
      if (key.equalsCharacter < 0 || character <= key.equalsCharacter) {
        const keyStart = key.keyRange.start.character;
        const typedText = text.slice(keyStart, Math.max(keyStart, character));
        const lastDot = typedText.lastIndexOf('.');
        const typed =
          lastDot >= 0 ? key.segments.slice(0, typedText.slice(0, lastDot).split('.').length) : [];
        const word = wordRange(text, character);
        const replaceEnd = key.equalsCharacter < 0 ? Math.max(word.end, character) : word.end;
        return {
          kind: 'key',
          table,
          typed,
          prefix: text.slice(word.start, character),
          replace: { start: { line, character: word.start }, end: { line, character: replaceEnd } },
          current: key,
          lineIsEmpty: key.equalsCharacter < 0 && key.segments.length <= 1 && lastDot < 0,
        };
      }
      return valueContext(
        doc,
        table,
        key,
        line,
        key.value?.range.start.character ?? key.equalsCharacter + 1,
        character,
      );
    }
    case 'continuation': {
      const key = info.key === undefined ? undefined : table.keys[info.key];
      if (!key || key.value?.kind === 'multiline-string') return { kind: 'none' };
      return valueContext(doc, table, key, line, 0, character, true);
    }
  }
}

function valueContext(
  doc: ScannedDocument,
  table: ScannedTable,
  key: ScannedKey,
  line: number,
  from: number,
  character: number,
  continued = false,
): CursorContext {
  const text = doc.lines[line] ?? '';
  const state = valueStateAt(text, from, character);
  if (state.quote === -2) return { kind: 'none' };
  const inArray = continued || state.depth > 0;
  if (state.quote >= 0) {
    const contentStart = state.quote + 1;
    let contentEnd = text.indexOf(state.quoteChar, character);
    if (contentEnd < 0) contentEnd = text.length;
    return {
      kind: 'value',
      table,
      key,
      inString: true,
      inArray,
      prefix: text.slice(contentStart, character),
      replace: { start: { line, character: contentStart }, end: { line, character: contentEnd } },
    };
  }
  const word = wordRange(text, character);
  return {
    kind: 'value',
    table,
    key,
    inString: false,
    inArray,
    prefix: text.slice(word.start, character),
    replace: { start: { line, character: word.start }, end: { line, character: word.end } },
  };
}
