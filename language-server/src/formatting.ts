// Document formatting in Taplo's default style (the formatter most TOML users already run), so that
// formatting in the editor and `taplo fmt` in CI agree: `key = value`, `[a.b]` headers without inner
// spaces, no indentation, single-line arrays and inline tables with `, ` separators, arrays longer than
// 80 columns expanded one item per line with a trailing comma, comment-free short arrays collapsed,
// trailing comments aligned within a run of single-line entries, at most two blank lines, one final newline.
// Comments are always kept. A document with unbalanced strings or brackets is left untouched.

import type { TextEdit } from 'vscode-languageserver';
import { type ScannedDocument, scanDocument } from './scan';

const COLUMN_WIDTH = 80;
const INDENT = '  ';

function formatKeySegment(segment: string): string {
  return /^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment);
}

// --- a tiny value tokenizer/printer for single-line values ------------------------------------------

type ValueNode =
  | { type: 'scalar'; text: string }
  | { type: 'array'; items: ValueNode[] }
  | { type: 'table'; entries: { key: string; value: ValueNode }[] };

class ValueParser {
  i = 0;
  constructor(readonly text: string) {}

  skip() {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  parse(): ValueNode | undefined {
    this.skip();
    const ch = this.text[this.i];
    if (ch === undefined) return undefined;
    if (ch === '[') return this.array();
    if (ch === '{') return this.table();
    return this.scalar();
  }

  scalar(): ValueNode | undefined {
    const start = this.i;
    const ch = this.text[this.i];
    if (ch === '"' || ch === "'") {
      if (this.text.startsWith(ch.repeat(3), this.i)) return undefined;
      this.i++;
      while (this.i < this.text.length && this.text[this.i] !== ch)
        this.i += this.text[this.i] === '\\' && ch === '"' ? 2 : 1;
      if (this.i >= this.text.length) return undefined;
      this.i++;
    } else {
      while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i] ?? '')) this.i++;
      if (this.i === start) return undefined;
    }
    return { type: 'scalar', text: this.text.slice(start, this.i) };
  }

  array(): ValueNode | undefined {
    this.i++;
    const items: ValueNode[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.i] === ']') {
        this.i++;
        return { type: 'array', items };
      }
      const item = this.parse();
      if (!item) return undefined;
      items.push(item);
      this.skip();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== ']') return undefined;
    }
  }

  table(): ValueNode | undefined {
    this.i++;
    const entries: { key: string; value: ValueNode }[] = [];
    for (;;) {
      this.skip();
      if (this.text[this.i] === '}') {
        this.i++;
        return { type: 'table', entries };
      }
      const keyParts: string[] = [];
      for (;;) {
        this.skip();
        const key = this.scalar();
        if (key?.type !== 'scalar') return undefined;
        const raw = key.text.replace(/=.*$/, '');
        // A bare key may run into `=` (`a=1`): give the rest back.
        if (raw.length !== key.text.length) this.i -= key.text.length - raw.length;
        keyParts.push(raw.trim());
        this.skip();
        if (this.text[this.i] !== '.') break;
        this.i++;
      }
      this.skip();
      if (this.text[this.i] !== '=') return undefined;
      this.i++;
      const value = this.parse();
      if (!value) return undefined;
      entries.push({ key: keyParts.join('.'), value });
      this.skip();
      if (this.text[this.i] === ',') this.i++;
      else if (this.text[this.i] !== '}') return undefined;
    }
  }
}

function parseValue(text: string): ValueNode | undefined {
  const parser = new ValueParser(text);
  const node = parser.parse();
  parser.skip();
  return node && parser.i === text.length ? node : undefined;
}

function printInline(node: ValueNode): string {
  if (node.type === 'scalar') return node.text;
  if (node.type === 'array') return `[${node.items.map(printInline).join(', ')}]`;
  if (node.entries.length === 0) return '{}';
  return `{ ${node.entries.map((e) => `${e.key} = ${printInline(e.value)}`).join(', ')} }`;
}

/** A value printed on one line, or expanded over several (arrays only) when the line would be too long. */
function printValue(prefix: string, node: ValueNode): string[] {
  const inline = printInline(node);
  if (node.type !== 'array' || node.items.length === 0 || prefix.length + inline.length <= COLUMN_WIDTH) {
    return [prefix + inline];
  }
  return [`${prefix}[`, ...node.items.map((item) => `${INDENT}${printInline(item)},`), ']'];
}

// --- the line walk ----------------------------------------------------------------------------------

interface OutLine {
  text: string;
  /** Trailing comment to append (aligned later), without leading spaces. */
  comment?: string;
  /** Entry lines take part in comment alignment; `multiline` marks entries spanning several lines. */
  role: 'entry' | 'multiline' | 'break' | 'raw' | 'blank';
}

function splitComment(line: string, commentStart: number): { code: string; comment?: string } {
  if (commentStart < 0) return { code: line.trimEnd() };
  return { code: line.slice(0, commentStart).trimEnd(), comment: line.slice(commentStart).trimEnd() };
}

/** Formats a multi-line array whose lines each hold items and comments; undefined when it is not that simple. */
function formatMultilineArray(
  doc: ScannedDocument,
  prefix: string,
  firstLine: number,
  lastLine: number,
): OutLine[] | undefined {
  const items: { text: string; comment?: string }[] = [];
  const firstInfo = doc.lineInfo[firstLine];
  const first = splitComment(doc.lines[firstLine] ?? '', firstInfo?.commentStart ?? -1);
  const openAt = first.code.indexOf('[', first.code.indexOf('='));
  const body = first.code.slice(openAt + 1);
  const headComment = first.comment;
  let hasComments = headComment !== undefined;
  const pending: OutLine[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    let code: string;
    let comment: string | undefined;
    if (line === firstLine) code = body;
    else {
      const split = splitComment(doc.lines[line] ?? '', doc.lineInfo[line]?.commentStart ?? -1);
      code = split.code.trim();
      comment = split.comment;
    }
    if (line === lastLine) {
      if (!code.endsWith(']')) return undefined;
      code = code.slice(0, -1).trim();
    }
    if (code.includes('[') || code.includes('{')) return undefined;
    const parsed = code.length ? parseValue(`[${code}]`) : { type: 'array' as const, items: [] };
    if (parsed?.type !== 'array') return undefined;
    for (const item of parsed.items) {
      items.push({ text: printInline(item) });
    }
    if (comment !== undefined) {
      hasComments = true;
      const last = items[items.length - 1];
      if (parsed.items.length > 0 && last) last.comment = comment;
      else pending.push({ text: `${INDENT}${comment}`, role: 'raw' });
    }
    // Standalone comment lines keep their place before the next item.
    if (pending.length && parsed.items.length > 0) {
      const moved = pending.splice(0);
      const insertAt = items.length - parsed.items.length;
      const standaloneComments = moved.map((m) => ({ text: m.text, comment: '\u0000standalone' }));
      items.splice(insertAt, 0, ...standaloneComments);
    }
  }
  const collapsed = `${prefix}[${items.map((i) => i.text).join(', ')}]`;
  if (!hasComments && pending.length === 0 && collapsed.length <= COLUMN_WIDTH) {
    return [{ text: collapsed, role: 'entry' }];
  }
  const out: OutLine[] = [{ text: `${prefix}[${headComment ? ` ${headComment}` : ''}`, role: 'multiline' }];
  // Item comments line up one column after the longest item of their run (runs end at standalone comments).
  let runStart = 0;
  while (runStart < items.length) {
    let runEnd = runStart;
    while (runEnd < items.length && items[runEnd]?.comment !== '\u0000standalone') runEnd++;
    const run = items.slice(runStart, runEnd);
    const width = Math.max(0, ...run.map((i) => INDENT.length + i.text.length + 1));
    for (const item of run) {
      const line = `${INDENT}${item.text},`;
      out.push({ text: item.comment ? `${line.padEnd(width)} ${item.comment}` : line, role: 'raw' });
    }
    const standalone = items[runEnd];
    if (standalone) out.push({ text: standalone.text, role: 'raw' });
    runStart = runEnd + 1;
  }
  out.push(...pending, { text: ']', role: 'raw' });
  return out;
}

export function formatToml(source: string): string | undefined {
  const doc = scanDocument(source);
  const out: OutLine[] = [];
  const { lines, lineInfo } = doc;
  for (let line = 0; line < lines.length; line++) {
    const info = lineInfo[line];
    const text = lines[line] ?? '';
    if (!info) continue;
    if (info.kind === 'blank') {
      out.push({ text: '', role: 'blank' });
      continue;
    }
    if (info.kind === 'comment') {
      out.push({ text: text.trim(), role: 'break' });
      continue;
    }
    if (info.kind === 'partial') return undefined;
    const table = doc.tables[info.table];
    if (!table) return undefined;
    if (info.kind === 'header') {
      const { comment } = splitComment(text, info.commentStart);
      const name = table.path.map(formatKeySegment).join('.');
      const header = table.kind === 'array-item' ? `[[${name}]]` : `[${name}]`;
      if (!table.headerRange || table.headerRange.end.character === table.nameRange?.end.character)
        return undefined;
      out.push({ text: comment ? `${header} ${comment}` : header, role: 'break' });
      continue;
    }
    if (info.kind === 'continuation') return undefined; // continuations are consumed with their entry
    const key = info.key === undefined ? undefined : table.keys[info.key];
    if (!key?.value) return undefined;
    const prefix = `${key.segments.map(formatKeySegment).join('.')} = `;
    const lastLine = key.value.range.end.line;
    if (lastLine === line) {
      const { comment } = splitComment(text, info.commentStart);
      const node = parseValue(key.value.text);
      if (!node) return undefined;
      const printed = printValue(prefix, node);
      if (printed.length === 1)
        out.push({ text: printed[0] ?? '', role: 'entry', ...(comment ? { comment } : {}) });
      else {
        printed.forEach((p, i) => {
          out.push({
            text: i === printed.length - 1 && comment ? `${p} ${comment}` : p,
            role: i === 0 ? 'multiline' : 'raw',
          });
        });
      }
      continue;
    }
    // Multi-line value: strings are copied byte for byte, simple arrays are re-laid.
    if (key.value.kind === 'array') {
      const formatted = formatMultilineArray(doc, prefix, line, lastLine);
      if (formatted) {
        out.push(...formatted);
        line = lastLine;
        continue;
      }
    }
    if (key.value.kind === 'array' || key.value.kind === 'inline-table') {
      // Arrays of tables or with nested brackets: keep the author's layout, only fix the key part.
      out.push({ text: prefix + text.slice(key.value.range.start.character).trimEnd(), role: 'multiline' });
      for (let l = line + 1; l <= lastLine; l++) out.push({ text: (lines[l] ?? '').trimEnd(), role: 'raw' });
    } else {
      out.push({ text: prefix + text.slice(key.value.range.start.character), role: 'multiline' });
      for (let l = line + 1; l <= lastLine; l++) out.push({ text: lines[l] ?? '', role: 'raw' });
    }
    line = lastLine;
  }
  alignComments(out);
  // At most two consecutive blank lines, none at the start or the end.
  const result: string[] = [];
  let blanks = 0;
  for (const o of out) {
    if (o.role === 'blank') {
      blanks++;
      continue;
    }
    if (result.length > 0) for (let b = 0; b < Math.min(blanks, 2); b++) result.push('');
    blanks = 0;
    result.push(o.comment ? `${o.text} ${o.comment}` : o.text);
  }
  return result.length ? `${result.join('\n')}\n` : '';
}

/** Taplo aligns trailing comments within a run of single-line entries (no blank, comment, header or multi-line value in it). */
function alignComments(out: OutLine[]): void {
  let start = 0;
  while (start < out.length) {
    let end = start;
    let multiline = false;
    while (
      end < out.length &&
      (out[end]?.role === 'entry' || out[end]?.role === 'multiline' || out[end]?.role === 'raw')
    ) {
      if (out[end]?.role !== 'entry') multiline = true;
      end++;
    }
    if (end > start && !multiline) {
      const run = out.slice(start, end);
      if (run.filter((o) => o.comment).length > 0 && run.length > 1) {
        const width = Math.max(...run.map((o) => o.text.length));
        for (const o of run) if (o.comment) o.text = o.text.padEnd(width);
      }
    }
    start = end + 1;
  }
}

/** One edit replacing the whole document, or none when it is already formatted or cannot be formatted safely. */
export function formattingEdits(source: string, lineCount: number): TextEdit[] {
  const formatted = formatToml(source);
  if (formatted === undefined || formatted === source) return [];
  return [
    {
      range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } },
      newText: formatted,
    },
  ];
}
