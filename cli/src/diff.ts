// A small line diff for `sync --check`: enough to show what would change, no dependency.

export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
}

/** Longest-common-subsequence line diff. Files here are a few hundred lines, so O(n·m) is fine. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const result: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      result.push({ kind: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) {
      result.push({ kind: '-', text: a[i++]! });
    } else {
      result.push({ kind: '+', text: b[j++]! });
    }
  }
  while (i < n) result.push({ kind: '-', text: a[i++]! });
  while (j < m) result.push({ kind: '+', text: b[j++]! });
  return result;
}

/** Changed lines with one line of context around each change; unchanged stretches collapse to `...`. */
export function summarizeDiff(lines: DiffLine[], context = 1): string[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, index) => {
    if (line.kind === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++)
      keep[k] = true;
  });
  const out: string[] = [];
  let skipped = false;
  lines.forEach((line, index) => {
    if (!keep[index]) {
      skipped = true;
      return;
    }
    if (skipped) out.push('  ...');
    skipped = false;
    out.push(`${line.kind} ${line.text}`);
  });
  if (skipped && out.length > 0) out.push('  ...');
  return out;
}
