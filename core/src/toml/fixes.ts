// Quick fixes that need the document's layout, not just the offending value: where a missing key goes,
// and how to turn `cluster_issuer` into `issuer`. They live beside the analyzer so every client (language
// server, CLI, extension) gets the same edits with the same diagnostics; no client computes its own.
import type { Diagnostic, Fix, Position, Range } from '../diagnostics';
import { describeTomlPath, type TomlKeyDescription } from './describe';
import { type LocationIndex, parsePath } from './locate';

/** A value that parses and has the key's type, so the file stays well-formed after the edit. */
function starterValue(key: TomlKeyDescription): string {
  switch (key.type) {
    case 'string':
      return JSON.stringify(key.enum?.[0] ?? '');
    case 'integer':
    case 'float':
      return String(key.default ?? 1);
    case 'boolean':
      return String(key.default ?? false);
    case 'array':
      return '[]';
    default:
      return '{}';
  }
}

const lineStart = (line: number): Position => ({ line, character: 0 });
const insertAt = (at: Position, newText: string) => ({ range: { start: at, end: at }, newText });

/** Direct children of `parent` (`app.name`, not `app.x.y` or `app[0]`) that are written as `key = value`. */
function lastEntryLine(index: LocationIndex, parent: string): number | undefined {
  let last: number | undefined;
  const prefix = `${parent}.`;
  for (const [path, loc] of index) {
    if (!path.startsWith(prefix) || !loc.entryRange) continue;
    const rest = path.slice(prefix.length);
    if (rest.includes('.') || rest.includes('[')) continue;
    last = Math.max(last ?? -1, loc.entryRange.end.line);
  }
  return last;
}

function firstHeaderLine(index: LocationIndex): number | undefined {
  let first: number | undefined;
  for (const loc of index.values()) {
    if (loc.headerRange) first = Math.min(first ?? Number.POSITIVE_INFINITY, loc.headerRange.start.line);
  }
  return first;
}

/** The end of the document, as an insertion point that starts on a fresh line. */
function endOfDocument(lines: readonly string[]): { at: Position; prefix: string } {
  const last = lines.length - 1;
  const text = lines[last] ?? '';
  return { at: { line: last, character: text.length }, prefix: text === '' ? '' : '\n' };
}

function missingKeyFix(d: Diagnostic, index: LocationIndex, lines: readonly string[]): Fix | undefined {
  const segments = parsePath(d.path);
  const described = describeTomlPath(segments);
  if (!described) return undefined;
  if (segments.length === 1) {
    // A missing table (only `[app]`): written above the first table, with its required keys.
    const keys = described.children.filter((c) => c.required);
    const body = [`[${d.path}]`, ...keys.map((k) => `${k.key} = ${starterValue(k)}`)].join('\n');
    const header = firstHeaderLine(index);
    const edit =
      header === undefined
        ? (({ at, prefix }) => insertAt(at, `${prefix}${body}\n`))(endOfDocument(lines))
        : insertAt(lineStart(header), `${body}\n\n`);
    return { title: `Add the missing required table [${d.path}]`, edits: [edit], preferred: true };
  }
  const parent = d.path.slice(0, d.path.length - described.key.length - 1);
  const header = index.get(parent)?.headerRange;
  // Inline tables and dotted-key tables have no header to append below; the user edits those by hand.
  if (!header) return undefined;
  const after = lastEntryLine(index, parent) ?? header.end.line;
  const entry = `${described.key} = ${starterValue(described)}`;
  return {
    title: `Add the missing required key \`${described.key}\` to [${parent}]`,
    edits: [
      // The file's last line has no newline after it: start one rather than write past the end.
      after + 1 < lines.length
        ? insertAt(lineStart(after + 1), `${entry}\n`)
        : (({ at, prefix }) => insertAt(at, `${prefix}${entry}`))(endOfDocument(lines)),
    ],
    preferred: true,
  };
}

function clusterIssuerFix(index: LocationIndex, lines: readonly string[]): Fix | undefined {
  const loc = index.get('services.tls.cluster_issuer');
  if (!loc?.nameRange || !loc.entryRange) return undefined;
  if (!index.has('services.tls.issuer')) {
    return {
      title: 'Remove cluster_issuer, use issuer',
      edits: [{ range: loc.nameRange, newText: 'issuer' }],
      preferred: true,
    };
  }
  // `issuer` is set already: drop the whole line, but only when the entry has the line to itself.
  const { start, end } = loc.entryRange;
  const before = lines[start.line]?.slice(0, start.character) ?? '';
  const afterText = lines[end.line]?.slice(end.character) ?? '';
  if (before.trim() !== '' || !/^\s*(#.*)?$/.test(afterText)) return undefined;
  const range: Range = { start: lineStart(start.line), end: lineStart(end.line + 1) };
  return {
    title: 'Remove cluster_issuer (issuer is already set)',
    edits: [{ range, newText: '' }],
    preferred: true,
  };
}

/** Attach the layout-aware fixes to the diagnostics that lack one. */
export function attachLayoutFixes(diagnostics: Diagnostic[], index: LocationIndex, text: string): void {
  let lines: string[] | undefined;
  for (const d of diagnostics) {
    if (d.fixes?.length) continue;
    let fix: Fix | undefined;
    if (d.code === 'missing-required-key') {
      lines ??= text.split('\n');
      fix = missingKeyFix(d, index, lines);
    } else if (d.code === 'tls-cluster-issuer-forbidden') {
      lines ??= text.split('\n');
      fix = clusterIssuerFix(index, lines);
    }
    if (fix) d.fixes = [fix];
  }
}
