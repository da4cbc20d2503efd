// Property: whatever the text, analyzeToml never throws and every range (diagnostics and fixes) lies inside
// the document. Inputs are random strings and valid documents with random character/line edits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Range } from '../src/diagnostics';
import { rules } from '../src/rules';
import { analyzeToml } from '../src/toml/analyze';
import { FULL_TOML, MINIMAL_TOML } from './fixtures';

const KNOWN_CODES = new Set(rules.map((r) => r.code));

function inDocument(text: string, range: Range): boolean {
  const lines = text.split('\n');
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) &&
    Number.isInteger(p.character) &&
    p.line >= 0 &&
    p.line < lines.length &&
    p.character >= 0 &&
    p.character <= lines[p.line]!.length;
  const ordered =
    range.start.line < range.end.line ||
    (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && ordered;
}

function check(text: string): void {
  const r = analyzeToml(text);
  for (const d of r.diagnostics) {
    expect(inDocument(text, d.range), `${JSON.stringify(d)} in ${JSON.stringify(text)}`).toBe(true);
    expect(KNOWN_CODES.has(d.code), d.code).toBe(true);
    expect(['error', 'warning', 'info']).toContain(d.severity);
    expect(d.message.length).toBeGreaterThan(0);
    for (const fix of d.fixes ?? []) for (const e of fix.edits) expect(inDocument(text, e.range)).toBe(true);
  }
  const syntax = r.diagnostics.some((d) => d.code === 'toml-syntax');
  expect(r.value === undefined).toBe(syntax);
  if (r.config) expect(r.value).toBeDefined();
}

const SEEDS = [
  FULL_TOML,
  MINIMAL_TOML,
  `${MINIMAL_TOML}[services.tls]\nenabled = true\n[scale]\nmin_replicas = 3\nmax_replicas = 1\n`,
];
const TOML_CHARS = [
  '[',
  ']',
  '"',
  "'",
  '=',
  '.',
  ',',
  '{',
  '}',
  '\n',
  ' ',
  '#',
  'a',
  '1',
  '\\',
  '\r',
  'é',
  '😀',
  '\t',
];

type Edit =
  | { kind: 'delete-char'; at: number }
  | { kind: 'insert-char'; at: number; ch: string }
  | { kind: 'duplicate-char'; at: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; at: number; with: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete-char' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert-char' as const),
    at: fc.nat(),
    ch: fc.oneof(fc.constantFrom(...TOML_CHARS), fc.string({ maxLength: 3 })),
  }),
  fc.record({ kind: fc.constant('duplicate-char' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), with: fc.nat() }),
);

function applyEdit(text: string, e: Edit): string {
  if (e.kind.endsWith('char')) {
    const at = text.length === 0 ? 0 : e.at % (text.length + 1);
    if (e.kind === 'delete-char') return text.slice(0, at) + text.slice(at + 1);
    if (e.kind === 'duplicate-char') return text.slice(0, at) + text.slice(at, at + 1) + text.slice(at);
    return text.slice(0, at) + (e as { ch: string }).ch + text.slice(at);
  }
  const lines = text.split('\n');
  const at = e.at % lines.length;
  if (e.kind === 'delete-line') lines.splice(at, 1);
  else if (e.kind === 'duplicate-line') lines.splice(at, 0, lines[at]!);
  else {
    const other = (e as { with: number }).with % lines.length;
    [lines[at], lines[other]] = [lines[other]!, lines[at]!];
  }
  return lines.join('\n');
}

describe('analyzeToml never throws and keeps ranges inside the document', () => {
  it('random strings', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200, unit: fc.constantFrom(...TOML_CHARS, 'x', '=', 'app', 'name') }),
        (text) => {
          check(text);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('randomly edited valid documents', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(editArb, { minLength: 1, maxLength: 8 }),
        (seed, edits) => {
          check(edits.reduce(applyEdit, seed));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('arbitrary unicode text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120, unit: 'grapheme' }), (text) => check(text)),
      { numRuns: 200 },
    );
  });
});
