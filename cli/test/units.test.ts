// In-process checks of the small pure helpers the end-to-end tests rely on.
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../src/color';
import { diffLines, summarizeDiff } from '../src/diff';
import { closest } from '../src/suggest';

describe('closest', () => {
  it.each([
    ['delpoy', 'deploy'],
    ['valdiate', 'validate'],
    ['snyc', 'sync'],
    ['--dry-rn', '--dry-run'],
    ['ren', 'render'],
  ])('%s → %s', (input, expected) => {
    expect(closest(input, ['init', 'sync', 'validate', 'deploy', 'render', 'crd', '--dry-run'])).toBe(
      expected,
    );
  });

  it('suggests nothing for unrelated words', () => {
    expect(closest('kubernetes', ['init', 'sync', 'deploy'])).toBeUndefined();
    expect(closest('x', ['init', 'crd'])).toBeUndefined();
  });
});

describe('diffLines / summarizeDiff', () => {
  it('marks added and removed lines and keeps one line of context', () => {
    const before = [
      '[app]',
      'name = "a"',
      '',
      '[health]',
      'port = 8000',
      '',
      '[scale]',
      'min_replicas = 2',
    ].join('\n');
    const after = [
      '[app]',
      'name = "a"',
      '',
      '[health]',
      'port = 8000',
      '',
      '[worker]',
      'concurrency = 4',
      '',
      '[scale]',
      'min_replicas = 2',
    ].join('\n');
    const lines = diffLines(before, after);
    expect(lines.filter((l) => l.kind === '+').map((l) => l.text)).toEqual([
      '[worker]',
      'concurrency = 4',
      '',
    ]);
    expect(lines.filter((l) => l.kind === '-')).toEqual([]);
    expect(summarizeDiff(lines)).toEqual([
      '  ...',
      '  ',
      '+ [worker]',
      '+ concurrency = 4',
      '+ ',
      '  [scale]',
      '  ...',
    ]);
  });

  it('identical texts have no changes', () => {
    expect(summarizeDiff(diffLines('a\nb\n', 'a\nb\n'))).toEqual([]);
  });
});

describe('colorEnabled', () => {
  it('follows NO_COLOR, FORCE_COLOR, TERM and the TTY', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
