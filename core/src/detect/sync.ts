// `sync`: merge a fresh detection into an existing reinhardt-cloud.toml with text edits on the CST, so the
// user's comments, key order and formatting survive byte for byte.
//
// Policy (documented in core/README.md):
//   1. A table or key the detection produces but the file lacks is added (new tables in spec order, new keys at
//      the end of their table), with the same "why" comment `init` writes. [health], [services] and [scale]
//      are init-time defaults, not detections: sync never adds them or keys inside them.
//   2. A value already in the file is never changed, even if detection now suggests another one; the
//      difference is reported as an `info` diagnostic (a clearly invalid value gets a `warning` with a fix).
//   3. Nothing is removed: tables detection no longer produces (and unknown tables/keys) stay as written.
//   4. [infrastructure] follows the same rules per sub-section: an existing postgres / buckets / dns / secrets
//      section wins; only absent ones are derived.
import { parse, TomlError } from 'smol-toml';
import { type AST, getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import type { Range } from '../diagnostics';
import { isKnownTable, tableOrder } from './detect';
import { commentFor, formatKey, formatValue, renderTable } from './generate';
import type { DetectDiagnostic, Detection, TomlValue } from './types';
import { fileDiagnostic } from './util';

type Obj = { [key: string]: TomlValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isObjArray = (v: unknown): v is Obj[] => Array.isArray(v) && v.length > 0 && v.every((x) => isObj(x));

export interface SyncResult {
  text: string;
  changed: boolean;
  diagnostics: DetectDiagnostic[];
}

interface Insertion {
  offset: number;
  text: string;
  seq: number;
}

const FILE = 'reinhardt-cloud.toml';

/** Tables `init` writes from fixed defaults rather than from anything detected in the project. */
const DEFAULT_ONLY_TABLES = new Set(['health', 'services', 'scale']);

function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

function rangeOf(text: string, node: { range: [number, number] }): Range {
  return { start: positionAt(text, node.range[0]), end: positionAt(text, node.range[1]) };
}

function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl < 0) return text.length;
  return text[nl - 1] === '\r' ? nl - 1 : nl;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Start of the comment lines directly above a header (no blank line in between): they belong to it. */
function leadingCommentStart(text: string, headerOffset: number): number {
  let start = lineStartOf(text, headerOffset);
  while (start > 0) {
    const prevStart = lineStartOf(text, start - 1);
    const prev = text.slice(prevStart, start).trim();
    if (!prev.startsWith('#')) break;
    start = prevStart;
  }
  return start;
}

const samePath = (a: readonly (string | number)[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const startsWith = (a: readonly (string | number)[], prefix: readonly string[]) =>
  prefix.every((x, i) => a[i] === x);

export function syncToml(existingText: string, detection: Detection): SyncResult {
  const unchanged = (diagnostics: DetectDiagnostic[]): SyncResult => ({
    text: existingText,
    changed: false,
    diagnostics,
  });
  if (!detection.config) {
    const errors = detection.diagnostics.filter((d) => d.severity === 'error');
    return unchanged(
      errors.length > 0
        ? errors
        : [fileDiagnostic('error', 'detection-failed', 'project detection produced no configuration')],
    );
  }
  let ast: AST.TOMLProgram;
  try {
    // smol-toml reports the most precise location; toml-eslint-parser gives the CST with ranges.
    parse(existingText);
    ast = parseTOML(existingText);
  } catch (e) {
    const line = e instanceof TomlError ? e.line : ((e as { lineNumber?: number }).lineNumber ?? 1);
    const column = e instanceof TomlError ? e.column : ((e as { column?: number }).column ?? 0) + 1;
    const detail = (e instanceof Error ? e.message : String(e))
      .split('\n')[0]
      ?.replace(/^Invalid TOML document:\s*/, '');
    const pos = { line: Math.max(0, line - 1), character: Math.max(0, column - 1) };
    return unchanged([
      {
        severity: 'error',
        code: 'toml-parse-error',
        message: `cannot parse ${FILE}: ${detail}; fix the syntax error, then run sync again`,
        path: '',
        file: FILE,
        range: { start: pos, end: pos },
      },
    ]);
  }
  const existing = getStaticTOMLValue(ast) as Obj;
  const tables = ast.body[0].body.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable');
  const diagnostics: DetectDiagnostic[] = [];
  const insertions: Insertion[] = [];
  let seq = 0;
  const insert = (offset: number, text: string) => insertions.push({ offset, text, seq: seq++ });
  const comments = (path: string) => commentFor(detection, path);
  const eol = existingText.includes('\r\n') ? '\r\n' : '\n';

  const findTable = (path: string[]) =>
    tables.find((t) => t.kind === 'standard' && samePath(t.resolvedKey, path));
  const tableEnd = (t: AST.TOMLTable) => {
    const last = t.body[t.body.length - 1];
    return endOfLine(existingText, last ? last.range[1] : t.range[1]);
  };

  /** Finds the KeyValue node defining `key` directly in the table at `path`, for diagnostics with ranges. */
  const findKeyValue = (path: string[], key: string): AST.TOMLKeyValue | undefined => {
    const t = findTable(path);
    return t?.body.find((kv) => kv.key.keys.length === 1 && keyName(kv.key.keys[0]) === key);
  };

  const addBlocks = (path: string[], blocks: string[]) => {
    const body = blocks.join('\n\n');
    if (path.length > 1) {
      // A sub-table goes after the last table of its parent family ([infrastructure.*]).
      const family = tables.filter((t) => startsWith(t.resolvedKey, path.slice(0, -1)));
      const last = family[family.length - 1];
      if (!last) {
        diagnostics.push(
          fileDiagnostic(
            'info',
            'sync-cannot-add',
            `[${path.join('.')}] not added: [${path.slice(0, -1).join('.')}] is written as an inline table or dotted keys; add it by hand`,
            FILE,
            path.join('.'),
          ),
        );
        return;
      }
      insert(tableEnd(last), `\n\n${body}`);
      return;
    }
    // A top-level table goes after the family of the latest-placed table that precedes it in spec order
    // (so it lands next to its neighbours even in a file the user reordered), else before the first table
    // that follows it in spec order, else at the end.
    const order = tableOrder(path[0] as string);
    const rootOf = (t: AST.TOMLTable) => String(t.resolvedKey[0]);
    const before = tables.filter((t) => isKnownTable(rootOf(t)) && tableOrder(rootOf(t)) < order);
    const anchor = before[before.length - 1];
    const next = anchor
      ? tables.slice(tables.indexOf(anchor) + 1).find((t) => rootOf(t) !== rootOf(anchor))
      : tables.find((t) => isKnownTable(rootOf(t)) && tableOrder(rootOf(t)) > order);
    if (next) insert(leadingCommentStart(existingText, next.range[0]), `${body}\n\n`);
    else {
      const trimmedEnd = existingText.replace(/[ \t]+$/, '');
      const sep =
        trimmedEnd.length === 0
          ? ''
          : trimmedEnd.endsWith('\n\n')
            ? ''
            : trimmedEnd.endsWith('\n')
              ? '\n'
              : '\n\n';
      insert(existingText.length, `${sep}${body}\n`);
    }
  };

  const addKey = (path: string[], key: string, value: TomlValue) => {
    const t = findTable(path);
    if (!t) {
      diagnostics.push(
        fileDiagnostic(
          'info',
          'sync-cannot-add',
          `${path.join('.')}.${key} not added: [${path.join('.')}] is written as an inline table or dotted keys; add it by hand`,
          FILE,
          `${path.join('.')}.${key}`,
        ),
      );
      return;
    }
    const last = t.body[t.body.length - 1];
    const indent = last
      ? (existingText.slice(lineStartOf(existingText, last.range[0]), last.range[0]).match(/^[ \t]*/)?.[0] ??
        '')
      : '';
    insert(tableEnd(t), `\n${indent}${formatKey(key)} = ${formatValue(value)}`);
  };

  const walk = (path: string[], fresh: Obj, current: unknown) => {
    const dotted = path.join('.');
    if (current === undefined) {
      addBlocks(path, renderTable(path, fresh, comments));
      return;
    }
    if (!isObj(current)) {
      diagnostics.push(
        fileDiagnostic(
          'info',
          'sync-kept-value',
          `${dotted} is not a table in ${FILE}; left as written`,
          FILE,
          dotted,
        ),
      );
      return;
    }
    for (const [key, value] of Object.entries(fresh)) {
      const here = current[key];
      if (isObjArray(value)) {
        if (here === undefined) {
          const blocks = value.flatMap((item) => renderTable([...path, key], item, comments, true));
          const c = comments([...path, key].join('.'));
          if (c.length > 0 && blocks.length > 0) blocks[0] = `${c.join('\n')}\n${blocks[0]}`;
          addBlocks([...path, key], blocks);
        }
        continue;
      }
      if (isObj(value)) {
        walk([...path, key], value, here);
        continue;
      }
      if (here === undefined) addKey(path, key, value);
      else if (JSON.stringify(here) !== JSON.stringify(value)) {
        const kv = findKeyValue(path, key);
        diagnostics.push({
          severity: 'info',
          code: 'sync-kept-value',
          message: `kept ${dotted}.${key} = ${formatValue(here as TomlValue)}; detection suggests ${formatValue(value)}`,
          path: `${dotted}.${key}`,
          file: FILE,
          range: kv
            ? rangeOf(existingText, kv)
            : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        });
      }
    }
  };

  for (const [table, value] of Object.entries(detection.config)) {
    // Defaults that no detection backs are init's suggestions only: a user who removed [scale] to run a
    // fixed replica count, or trimmed [health], must not get them back on every sync (nor fail `sync --check`).
    if (DEFAULT_ONLY_TABLES.has(table)) continue;
    if (isObj(value)) walk([table], value, existing[table]);
  }

  // The original tool wrote `concurrency = 0`, which deploy rejects; offer the fix without applying it.
  const worker = existing.worker;
  if (isObj(worker) && worker.concurrency === 0) {
    const kv = findKeyValue(['worker'], 'concurrency');
    if (kv) {
      const range = rangeOf(existingText, kv.value);
      diagnostics.push({
        severity: 'warning',
        code: 'worker-concurrency-zero',
        message: 'worker.concurrency = 0 is rejected at deploy (must be > 0); 4 is the default',
        path: 'worker.concurrency',
        file: FILE,
        range,
        fixes: [{ title: 'Set worker.concurrency to 4', edits: [{ range, newText: '4' }], preferred: true }],
      });
    }
  }

  let text = existingText;
  for (const ins of [...insertions].sort((a, b) => b.offset - a.offset || b.seq - a.seq)) {
    const piece = eol === '\n' ? ins.text : ins.text.replace(/\r?\n/g, eol);
    text = text.slice(0, ins.offset) + piece + text.slice(ins.offset);
  }
  return { text, changed: text !== existingText, diagnostics };
}

function keyName(k: AST.TOMLBare | AST.TOMLQuoted | undefined): string | undefined {
  if (!k) return undefined;
  return k.type === 'TOMLBare' ? k.name : k.value;
}
