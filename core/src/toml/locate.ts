// Located TOML parsing: the plain value plus, for every key/table/array item, where it is in the text.
// Paths use the repo convention: dotted, list items as `[i]` (`infrastructure.buckets[0].name`).
import type { AST } from 'toml-eslint-parser';
import type { Position, Range } from '../diagnostics';

export type PathSegment = string | number;

export interface Location {
  /** The name segment that introduced this path (`enabled` in `tls.enabled = true`, `tls` in `[services.tls]`). */
  nameRange?: Range;
  /** The value (for `key = value` entries and array items). */
  valueRange?: Range;
  /** `[table]` / `[[table]]` header, when the table has one. */
  headerRange?: Range;
  /** The whole `key = value` entry. */
  entryRange?: Range;
  /** TOML kind of a scalar value (`integer`, `float`, `string`, ...): JS numbers lose the integer/float split. */
  valueKind?: string;
}

export type LocationIndex = Map<string, Location>;

export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

export function parentPath(segments: readonly PathSegment[]): PathSegment[] {
  return segments.slice(0, -1);
}

const pos = (p: { line: number; column: number }): Position => ({ line: p.line - 1, character: p.column });
export const nodeRange = (node: {
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
}): Range => ({
  start: pos(node.loc.start),
  end: pos(node.loc.end),
});

function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

function touch(index: LocationIndex, path: string): Location {
  let loc = index.get(path);
  if (!loc) {
    loc = {};
    index.set(path, loc);
  }
  return loc;
}

/** Record `key = value` (possibly dotted) under `base`, then descend into inline tables and arrays. */
function indexKeyValue(index: LocationIndex, base: PathSegment[], kv: AST.TOMLKeyValue): void {
  const segments = [...base];
  for (const k of kv.key.keys) {
    segments.push(keyName(k));
    const loc = touch(index, formatPath(segments));
    loc.nameRange ??= nodeRange(k);
  }
  const loc = touch(index, formatPath(segments));
  loc.valueRange = nodeRange(kv.value);
  loc.entryRange = nodeRange(kv);
  if (kv.value.type === 'TOMLValue') loc.valueKind = kv.value.kind;
  indexValue(index, segments, kv.value);
}

function indexValue(index: LocationIndex, path: PathSegment[], node: AST.TOMLContentNode): void {
  if (node.type === 'TOMLInlineTable') {
    for (const kv of node.body) indexKeyValue(index, path, kv);
  } else if (node.type === 'TOMLArray') {
    node.elements.forEach((element, i) => {
      const itemPath = [...path, i];
      const loc = touch(index, formatPath(itemPath));
      loc.valueRange = nodeRange(element);
      if (element.type === 'TOMLValue') loc.valueKind = element.kind;
      indexValue(index, itemPath, element);
    });
  }
}

/** Build the location index of a parsed document. */
export function indexLocations(ast: AST.TOMLProgram): LocationIndex {
  const index: LocationIndex = new Map();
  const top = ast.body[0];
  for (const node of top.body) {
    if (node.type === 'TOMLKeyValue') {
      indexKeyValue(index, [], node);
      continue;
    }
    // Header segments: `resolvedKey` already carries array-of-tables indices (`["b", 1, "c"]`).
    const resolved = node.resolvedKey;
    let nameIndex = 0;
    const sofar: PathSegment[] = [];
    for (const seg of resolved) {
      sofar.push(seg);
      if (typeof seg === 'number') continue;
      const k = node.key.keys[nameIndex++];
      const loc = touch(index, formatPath(sofar));
      if (k) loc.nameRange ??= nodeRange(k);
    }
    // The array of tables itself (`infrastructure.buckets`) points at its first header's name.
    if (node.kind === 'array') {
      const last = node.key.keys[node.key.keys.length - 1];
      const arrayLoc = touch(index, formatPath(resolved.slice(0, -1)));
      if (last) arrayLoc.nameRange ??= nodeRange(last);
      arrayLoc.headerRange ??= headerRange(node);
    }
    touch(index, formatPath(resolved)).headerRange = headerRange(node);
    for (const kv of node.body) indexKeyValue(index, resolved, kv);
  }
  return index;
}

/** `[a.b]` or `[[a.b]]`: from the opening bracket to the closing one. */
function headerRange(table: AST.TOMLTable): Range {
  const close = table.kind === 'array' ? 2 : 1;
  const end = table.key.loc.end;
  return { start: pos(table.loc.start), end: { line: end.line - 1, character: end.column + close } };
}

/** Inverse of formatPath: `infrastructure.buckets[0].name` → `['infrastructure', 'buckets', 0, 'name']`. */
export function parsePath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  if (path === '') return out;
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export interface TomlCursor {
  /** Key path under the cursor, or of the table the cursor is in. */
  path: PathSegment[];
  /** `key`: on a key name; `value`: on a value; `header`: on a `[table]` header; `table`: elsewhere inside a table. */
  target: 'key' | 'value' | 'header' | 'table';
}

const contains = (r: Range | undefined, p: Position) =>
  r !== undefined &&
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

const size = (r: Range) => (r.end.line - r.start.line) * 100_000 + (r.end.character - r.start.character);

/**
 * What the cursor is on, for hover and completion: the innermost key, value or header containing `position`,
 * else the table whose section the position is in (the last header above it; the root before any header).
 * Pair with `describeTomlPath(cursor.path)`.
 */
export function tomlPathAt(locations: LocationIndex, position: Position): TomlCursor {
  let best: { path: string; target: TomlCursor['target']; size: number } | undefined;
  let section: { path: string; line: number } | undefined;
  for (const [path, loc] of locations) {
    const candidates: Array<[Range | undefined, TomlCursor['target']]> = [
      [loc.nameRange, loc.headerRange && !loc.entryRange ? 'header' : 'key'],
      [loc.valueRange, 'value'],
      [loc.headerRange, 'header'],
    ];
    for (const [range, target] of candidates) {
      if (range && contains(range, position) && (!best || size(range) < best.size)) {
        best = { path, target, size: size(range) };
      }
    }
    const header = loc.headerRange;
    if (header && header.start.line <= position.line && (!section || header.start.line >= section.line)) {
      // Array-of-tables headers are indexed both as the array and as the item; prefer the item (longer path).
      if (!section || header.start.line > section.line || path.length > section.path.length) {
        section = { path, line: header.start.line };
      }
    }
  }
  if (best) return { path: parsePath(best.path), target: best.target };
  return { path: section ? parsePath(section.path) : [], target: 'table' };
}
