// analyzeToml: text → value, config and every diagnostic (syntax, type, enum, unknown key, missing key,
// cross-field spec rules), each with the range of the offending key or value. Runs on every keystroke in
// the editor, so it parses once, validates once and never throws.

import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import type * as z from 'zod';
import { tomlConfigToSpecInput } from '../build/project';
import { type Diagnostic, type Fix, type Range, ZERO_RANGE } from '../diagnostics';
import { type SpecIssue, validateProjectSpec } from '../rules';
import { childSchema, describeTomlPath, schemaKind, tableShape, unwrap } from './describe';
import { attachLayoutFixes } from './fixes';
import { formatPath, indexLocations, type LocationIndex, type PathSegment, parsePath } from './locate';
import { type TomlConfig, tomlConfigSchema } from './schema';
import { closest } from './suggest';

export interface TomlAnalysis {
  /** The parsed document when it is syntactically valid. */
  value: unknown | undefined;
  /** The typed config when the document also matches the schema (no errors other than cross-field rules). */
  config: TomlConfig | undefined;
  /** Every problem found, errors and warnings, in document order. */
  diagnostics: Diagnostic[];
  /** Where every key, table and array item is (by dotted path); empty when nothing could be parsed. */
  locations: LocationIndex;
}

type ParseOutcome = { ast?: ReturnType<typeof parseTOML>; clean: boolean; diagnostics: Diagnostic[] };

const MAX_SYNTAX_ERRORS = 20;

/** Parse; on a syntax error, blank the offending line (keeping offsets) and try again to find more problems. */
function parseWithRecovery(text: string): ParseOutcome {
  const diagnostics: Diagnostic[] = [];
  let current = text;
  const blanked = new Set<number>();
  for (let attempt = 0; attempt <= MAX_SYNTAX_ERRORS; attempt++) {
    try {
      const ast = parseTOML(current, { tomlVersion: 'latest' });
      return { ast, clean: attempt === 0, diagnostics };
    } catch (error) {
      const e = error as { lineNumber?: number; column?: number; message?: string };
      const lines = current.split('\n');
      let line = Math.min(Math.max((e.lineNumber ?? 1) - 1, 0), lines.length - 1);
      let character = Math.max(e.column ?? 0, 0);
      const message = e.message ?? String(error);
      // At column 0 the parser has usually just run past the real cause (an unterminated `[table`, `[1,`,
      // `{x = 1` or triple quote on an earlier line): point at the end of the previous non-blank line.
      if (character === 0 && !/multiple times/.test(message)) {
        let prev = line - 1;
        while (prev >= 0 && (lines[prev] ?? '').trim() === '') prev--;
        if (prev >= 0) {
          line = prev;
          character = (lines[prev] ?? '').replace(/\r$/, '').length;
        }
      }
      const lineText = (lines[line] ?? '').replace(/\r$/, '');
      character = Math.min(character, lineText.length);
      // At the end of a line, underline the whole line's content; elsewhere from the error to the line end.
      const indent = lineText.length - lineText.trimStart().length;
      const range =
        character === lineText.length
          ? { start: { line, character: Math.min(indent, character) }, end: { line, character } }
          : { start: { line, character }, end: { line, character: lineText.length } };
      if (!diagnostics.some((d) => d.range.start.line === line && d.message.endsWith(message))) {
        diagnostics.push({
          severity: 'error',
          code: 'toml-syntax',
          message: `TOML syntax error: ${message}`,
          path: '',
          range,
        });
      }
      if (blanked.has(line)) return { clean: false, diagnostics };
      blanked.add(line);
      lines[line] = (lines[line] ?? '').replace(/[^\r]/g, ' ');
      current = lines.join('\n');
    }
  }
  return { clean: false, diagnostics };
}

// ---- ranges ----

function rangeOfValue(index: LocationIndex, path: string): Range | undefined {
  const loc = index.get(path);
  return loc && (loc.valueRange ?? loc.headerRange ?? loc.nameRange);
}

/** A missing key points at its table's header (or the key naming an inline table); the root at 0:0. */
function rangeOfMissing(index: LocationIndex, segments: readonly PathSegment[]): Range {
  for (let n = segments.length - 1; n > 0; n--) {
    const loc = index.get(formatPath(segments.slice(0, n)));
    const range = loc && (loc.headerRange ?? loc.nameRange ?? loc.valueRange);
    if (range) return range;
  }
  return ZERO_RANGE;
}

// ---- value helpers ----

function tomlTypeOf(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number' || typeof value === 'bigint')
    return Number.isInteger(value) || typeof value === 'bigint' ? 'an integer' : 'a float';
  if (value instanceof Date) return 'a date-time';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return 'a table';
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'an integer',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'a table',
  record: 'a table',
  array: 'an array',
};

function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
  let v = root;
  for (const s of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}

const isTable = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

// ---- checks ----

function unknownKeys(
  value: unknown,
  schema: z.ZodType,
  segments: PathSegment[],
  index: LocationIndex,
  out: Diagnostic[],
) {
  const { core } = unwrap(schema);
  const kind = schemaKind(core);
  if (kind === 'object' && isTable(value)) {
    const shape = tableShape(core)!;
    const known = Object.keys(shape);
    for (const [key, child] of Object.entries(value)) {
      const childSegments = [...segments, key];
      if (key in shape) {
        unknownKeys(child, shape[key]!, childSegments, index, out);
        continue;
      }
      const path = formatPath(childSegments);
      const loc = index.get(path);
      const range = loc?.nameRange ?? loc?.headerRange ?? rangeOfMissing(index, childSegments);
      const isHeader = loc?.headerRange !== undefined;
      const where = segments.length === 0 ? 'at the top level' : `in [${formatPath(segments)}]`;
      const suggestion = closest(key, known);
      const what = isHeader ? `unknown table [${path}]` : `unknown key \`${key}\` ${where}`;
      // `replicas = 3` under [app]: the key names a top-level table, so say where it belongs.
      const topLevel = segments.length > 0 ? tableShape(unwrap(tomlConfigSchema).core)?.[key] : undefined;
      const hint = topLevel ? `; \`${key}\` is a top-level table: move it to [${key}]` : undefined;
      const fixes: Fix[] | undefined =
        suggestion && loc?.nameRange && BARE_KEY.test(suggestion)
          ? [
              {
                title: `Rename to \`${suggestion}\``,
                edits: [{ range: loc.nameRange, newText: suggestion }],
                preferred: true,
              },
            ]
          : undefined;
      out.push({
        severity: 'warning',
        code: 'unknown-key',
        message: `${what} is ignored${hint ?? (suggestion ? `; did you mean \`${suggestion}\`?` : `; known keys: ${known.join(', ')}`)}`,
        path,
        range,
        ...(fixes ? { fixes } : {}),
      });
    }
  } else if (kind === 'array' && Array.isArray(value)) {
    const element = childSchema(core, 0)!;
    value.forEach((item, i) => {
      unknownKeys(item, element, [...segments, i], index, out);
    });
  }
}

interface SchemaIssueOptions {
  /** After a syntax error blanked lines, "missing" keys may just be on a blanked line: don't report them. */
  reportMissing: boolean;
}

function schemaDiagnostics(
  raw: unknown,
  issues: readonly z.core.$ZodIssue[],
  index: LocationIndex,
  opts: SchemaIssueOptions,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const segments = issue.path.filter(
      (p): p is PathSegment => typeof p === 'string' || typeof p === 'number',
    );
    const path = formatPath(segments);
    const actual = valueAt(raw, segments);
    const key = segments.length ? String(segments[segments.length - 1]) : '';
    // zod reports an absent enum key as `invalid_value` with no input: it is a missing key all the same.
    if (actual === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      if (!opts.reportMissing) continue;
      const parent = formatPath(segments.slice(0, -1));
      const message =
        segments.length === 1
          ? `missing required table [${key}]`
          : `missing required key \`${key}\` in [${parent}]`;
      out.push({
        severity: 'error',
        code: 'missing-required-key',
        message,
        path,
        range: rangeOfMissing(index, segments),
      });
      continue;
    }
    const range = rangeOfValue(index, path) ?? rangeOfMissing(index, segments);
    if (issue.code === 'invalid_type') {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const fixes = typeFix(actual, issue.expected, range);
      out.push({
        severity: 'error',
        code: 'invalid-type',
        message: `\`${path}\` must be ${expected}, found ${tomlTypeOf(actual)}`,
        path,
        range,
        ...(fixes ? { fixes } : {}),
      });
      continue;
    }
    if (issue.code === 'invalid_value') {
      // Offer the canonical spellings only; aliases are accepted but never suggested.
      const allowed = describeTomlPath(segments)?.enum ?? issue.values.map(String);
      const isEvent = /^source\.webhook\.events\[\d+\]$/.test(path);
      const suggestion = typeof actual === 'string' ? closest(actual, allowed) : undefined;
      const shown = typeof actual === 'string' ? JSON.stringify(actual) : String(actual);
      const subject = isEvent ? `unknown webhook event ${shown}` : `invalid value ${shown} for \`${path}\``;
      out.push({
        severity: 'error',
        code: isEvent ? 'unknown-webhook-event' : 'invalid-enum-value',
        message: `${subject}; expected one of: ${allowed.join(', ')}${suggestion ? `. Did you mean "${suggestion}"?` : ''}`,
        path,
        range,
        ...(suggestion
          ? {
              fixes: [
                {
                  title: `Replace with "${suggestion}"`,
                  edits: [{ range, newText: JSON.stringify(suggestion) }],
                  preferred: true,
                },
              ],
            }
          : {}),
      });
      continue;
    }
    const message =
      issue.code === 'too_big' || issue.code === 'too_small'
        ? `\`${path}\` is out of range (${issue.code === 'too_big' ? 'too large' : 'too small'})`
        : `\`${path}\`: ${issue.message}`;
    out.push({ severity: 'error', code: 'invalid-value', message, path, range });
  }
  return out;
}

/** `count = "3"` → `count = 3` and `name = 3` → `name = "3"`: the obvious repair, offered as a quick fix. */
function typeFix(actual: unknown, expected: string, range: Range): Fix[] | undefined {
  if (
    (expected === 'number' || expected === 'int') &&
    typeof actual === 'string' &&
    /^-?\d+$/.test(actual.trim())
  ) {
    return [
      {
        title: `Use the integer ${actual.trim()}`,
        edits: [{ range, newText: actual.trim() }],
        preferred: true,
      },
    ];
  }
  if (expected === 'string' && (typeof actual === 'number' || typeof actual === 'boolean')) {
    return [
      {
        title: `Quote as "${actual}"`,
        edits: [{ range, newText: JSON.stringify(String(actual)) }],
        preferred: true,
      },
    ];
  }
  if (expected === 'boolean' && typeof actual === 'string' && /^(true|false)$/i.test(actual)) {
    const b = actual.toLowerCase();
    return [{ title: `Use the boolean ${b}`, edits: [{ range, newText: b }], preferred: true }];
  }
  return undefined;
}

/** Spec field path → the TOML key that sets it (toml.md §3). */
export function specPathToTomlPath(specPath: string): string {
  if (specPath === 'replicas') return 'replicas.count';
  if (specPath === 'image') return 'app.image';
  return specPath;
}

/** Turn spec-rule issues into located diagnostics on the TOML keys that produced them. */
export function specIssuesToDiagnostics(issues: readonly SpecIssue[], index: LocationIndex): Diagnostic[] {
  return issues.map((issue) => {
    const path = specPathToTomlPath(issue.path);
    let range = rangeOfValue(index, path);
    for (const anchor of issue.anchors ?? []) {
      if (range) break;
      range = rangeOfValue(index, specPathToTomlPath(anchor));
    }
    return {
      severity: issue.severity,
      code: issue.code,
      message: issue.message,
      path,
      range: range ?? rangeOfMissing(index, parsePath(path)),
    };
  });
}

/** Drop the values zod rejected so the rest of the document can still be checked by the spec rules. */
function pruneInvalid(raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(raw) as Record<string, unknown>;
  for (const issue of issues) {
    // An invalid enum value: substitute an allowed one so the rest of its table is still checked.
    if (issue.code === 'invalid_value' && issue.values.length > 0) {
      const actual = valueAt(copy, issue.path);
      const parent = valueAt(copy, issue.path.slice(0, -1));
      const last = issue.path[issue.path.length - 1];
      if (parent && typeof parent === 'object' && last !== undefined) {
        const allowed = issue.values.map(String);
        (parent as Record<PropertyKey, unknown>)[last] =
          (typeof actual === 'string' ? closest(actual, allowed) : undefined) ?? allowed[0];
        continue;
      }
    }
    let segments = [...issue.path];
    if (valueAt(copy, segments) === undefined) segments.pop(); // missing key: drop its table
    // Inside an array of tables: drop the whole array (removing one item would shift later issue paths).
    const firstIndex = segments.findIndex((s) => typeof s === 'number');
    if (firstIndex >= 0) segments = segments.slice(0, firstIndex);
    if (segments.length === 0) continue;
    if (segments[0] === 'app') {
      copy.app = { name: '', image: '' }; // the spec rules never look at app
      continue;
    }
    const parent = valueAt(copy, segments.slice(0, -1));
    const last = segments[segments.length - 1]!;
    if (parent && typeof parent === 'object') delete (parent as Record<PropertyKey, unknown>)[last];
  }
  if (!isTable(copy.app)) copy.app = { name: '', image: '' };
  return copy;
}

/** `count = 3.0` parses to the JS number 3; TOML says it is a float, and the original rejected it. */
function floatsWhereIntegersBelong(index: LocationIndex): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [path, loc] of index) {
    if (loc.valueKind !== 'float' || !loc.valueRange) continue;
    let schema: z.ZodType | undefined = tomlConfigSchema;
    for (const segment of parsePath(path)) schema = schema && childSchema(schema, segment);
    if (!schema || schemaKind(unwrap(schema).core) !== 'number') continue;
    out.push({
      severity: 'error',
      code: 'invalid-type',
      message: `\`${path}\` must be an integer, found a float`,
      path,
      range: loc.valueRange,
    });
  }
  return out;
}

const byPosition = (a: Diagnostic, b: Diagnostic) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;

/**
 * Analyze the text of a `reinhardt-cloud.toml`. Never throws: every problem is a diagnostic with a range.
 * `value` is set when the text is valid TOML, `config` when it also matches the schema.
 */
export function analyzeToml(text: string): TomlAnalysis {
  const parsed = parseWithRecovery(text);
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.ast) return { value: undefined, config: undefined, diagnostics, locations: new Map() };
  let raw: unknown;
  let index: LocationIndex;
  try {
    raw = getStaticTOMLValue(parsed.ast);
    index = indexLocations(parsed.ast);
  } catch (error) {
    diagnostics.push({
      severity: 'error',
      code: 'toml-syntax',
      message: `TOML syntax error: ${(error as Error).message}`,
      path: '',
      range: ZERO_RANGE,
    });
    return { value: undefined, config: undefined, diagnostics, locations: new Map() };
  }
  const unknown: Diagnostic[] = [];
  unknownKeys(raw, tomlConfigSchema, [], index, unknown);
  // After a syntax error a blanked `[table]` line leaves its keys at the top level: don't blame those keys.
  diagnostics.push(
    ...(parsed.clean ? unknown : unknown.filter((d) => d.path.includes('.') || d.path.includes('['))),
  );
  const floats = floatsWhereIntegersBelong(index);
  diagnostics.push(...floats);
  const result = tomlConfigSchema.safeParse(raw);
  let config: TomlConfig | undefined;
  if (result.success) {
    if (parsed.clean && floats.length === 0) {
      config = result.data;
      diagnostics.push(...specIssuesToDiagnostics(validateProjectSpec(tomlConfigToSpecInput(config)), index));
    }
  } else {
    diagnostics.push(...schemaDiagnostics(raw, result.error.issues, index, { reportMissing: parsed.clean }));
    if (parsed.clean) {
      // Still run the cross-field rules on what is valid, so one typo doesn't hide the other problems.
      let input = pruneInvalid(raw, result.error.issues);
      let partial = tomlConfigSchema.safeParse(input);
      // Dropping a key can leave its table without a required key: prune again, a few rounds at most.
      for (let round = 0; round < 3 && !partial.success; round++) {
        input = pruneInvalid(input, partial.error.issues);
        partial = tomlConfigSchema.safeParse(input);
      }
      if (partial.success) {
        diagnostics.push(
          ...specIssuesToDiagnostics(validateProjectSpec(tomlConfigToSpecInput(partial.data)), index),
        );
      }
    }
  }
  diagnostics.sort(byPosition);
  // One problem, one diagnostic: `max_replicas = 1.5` fails both the float check and zod's integer check.
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = `${d.code}|${d.path}|${d.range.start.line}:${d.range.start.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  attachLayoutFixes(unique, index, text);
  return { value: parsed.clean ? raw : undefined, config, diagnostics: unique, locations: index };
}
