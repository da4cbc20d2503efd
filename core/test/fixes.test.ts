import { describe, expect, it } from 'vitest';
import type { Diagnostic, Position, TextEdit } from '../src/diagnostics';
import { analyzeToml } from '../src/toml/analyze';

function offsetOf(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + p.character, text.length);
}

/** Apply edits the way an LSP client does: by offsets, last first. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, offsetOf(out, e.range.start)) + e.newText + out.slice(offsetOf(out, e.range.end));
  }
  return out;
}

function fixOf(text: string, code: string): { d: Diagnostic; fixed: string; title: string } {
  const d = analyzeToml(text).diagnostics.find((x) => x.code === code);
  expect(d, `no ${code} in ${JSON.stringify(analyzeToml(text).diagnostics)}`).toBeDefined();
  const fix = d!.fixes?.[0];
  expect(fix, `no fix on ${code}`).toBeDefined();
  return { d: d!, fixed: applyEdits(text, fix!.edits), title: fix!.title };
}

const codes = (text: string) => analyzeToml(text).diagnostics.map((d) => d.code);

describe('layout-aware quick fixes', () => {
  it.each([
    {
      name: 'missing key goes after the last key of its table',
      text: '[app]\nname = "a"\n\n[worker]\nconcurrency = 2\n',
      title: 'Add the missing required key `image` to [app]',
      fixed: '[app]\nname = "a"\nimage = ""\n\n[worker]\nconcurrency = 2\n',
    },
    {
      name: 'missing key in a table with no keys goes under its header',
      text: '[app]\nname = "a"\nimage = "b"\n[source] # git\n',
      title: 'Add the missing required key `repository` to [source]',
      fixed: '[app]\nname = "a"\nimage = "b"\n[source] # git\nrepository = ""\n',
    },
    {
      name: 'missing key at the end of a file without a final newline',
      text: '[app]\nname = "a"',
      title: 'Add the missing required key `image` to [app]',
      fixed: '[app]\nname = "a"\nimage = ""',
    },
    {
      name: 'missing key in an array-of-tables item',
      text: '[app]\nname = "a"\nimage = "b"\n[[infrastructure.dns]]\nhost = "a.example.com"\n',
      title: 'Add the missing required key `type` to [infrastructure.dns[0]]',
      fixed: '[app]\nname = "a"\nimage = "b"\n[[infrastructure.dns]]\nhost = "a.example.com"\ntype = "A"\n',
    },
    {
      name: 'missing [app] goes above the first table',
      text: '# deploy file\n[database]\nengine = "sqlite"\n',
      title: 'Add the missing required table [app]',
      fixed: '# deploy file\n[app]\nname = ""\nimage = ""\n\n[database]\nengine = "sqlite"\n',
    },
    {
      name: 'missing [app] in a file with no tables goes at the end',
      text: '# nothing yet',
      title: 'Add the missing required table [app]',
      fixed: '# nothing yet\n[app]\nname = ""\nimage = ""\n',
    },
  ])('$name', ({ text, title, fixed }) => {
    const result = fixOf(text, 'missing-required-key');
    expect(result.title).toBe(title);
    expect(result.fixed).toBe(fixed);
    expect(codes(result.fixed)).not.toContain('missing-required-key');
  });

  it('renames cluster_issuer to issuer, keeping the value and comment', () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[services.tls]\ncluster_issuer = "le" # ACME\n';
    const { title, fixed } = fixOf(text, 'tls-cluster-issuer-forbidden');
    expect(title).toBe('Remove cluster_issuer, use issuer');
    expect(fixed).toBe('[app]\nname = "a"\nimage = "b"\n[services.tls]\nissuer = "le" # ACME\n');
    expect(codes(fixed)).toEqual([]);
  });

  it('renames the last segment of a dotted key', () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[services]\ntls.cluster_issuer = "le"\n';
    const { fixed } = fixOf(text, 'tls-cluster-issuer-forbidden');
    expect(fixed).toContain('\ntls.issuer = "le"\n');
    expect(codes(fixed)).toEqual([]);
  });

  it('drops the cluster_issuer line when issuer is already set', () => {
    const text = '[app]\nname = "a"\nimage = "b"\n[services.tls]\nissuer = "ns"\ncluster_issuer = "le"\n';
    const { title, fixed } = fixOf(text, 'tls-cluster-issuer-forbidden');
    expect(title).toBe('Remove cluster_issuer (issuer is already set)');
    expect(fixed).toBe('[app]\nname = "a"\nimage = "b"\n[services.tls]\nissuer = "ns"\n');
    expect(codes(fixed)).toEqual([]);
  });

  it('offers no line deletion inside an inline table (it would break the table)', () => {
    const text =
      '[app]\nname = "a"\nimage = "b"\n[services]\ntls = { issuer = "ns", cluster_issuer = "le" }\n';
    const d = analyzeToml(text).diagnostics.find((x) => x.code === 'tls-cluster-issuer-forbidden');
    expect(d).toBeDefined();
    expect(d?.fixes).toBeUndefined();
  });
});
