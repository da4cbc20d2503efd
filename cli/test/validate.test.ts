import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, runCli, STACK_LINE, tempDir } from './helpers';

afterAll(removeTempDirs);

const VALID = '[app]\nname = "bookshelf"\nimage = "ghcr.io/acme/bookshelf:1.0.0"\n\n[replicas]\ncount = 2\n';
// Three independent problems: a wrong type, a range violation and a cross-field rule, plus an unknown table.
const INVALID = [
  '[app]',
  'name = "bookshelf"',
  'image = 42',
  '',
  '[services]',
  'port = 70000',
  '',
  '[services.tls]',
  'enabled = true',
  '',
  '[extras]',
  'x = 1',
  '',
].join('\n');

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

interface JsonReport {
  file: string;
  diagnostics: {
    severity: string;
    code: string;
    message: string;
    path: string;
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
  }[];
}

describe('validate', () => {
  it('a valid file exits 0 and prints no diagnostics', async () => {
    const dir = project({ 'reinhardt-cloud.toml': VALID });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('reinhardt-cloud.toml: valid');
  });

  it('warnings alone still exit 0', async () => {
    const dir = project({ 'reinhardt-cloud.toml': `${VALID}\n[extras]\nx = 1\n` });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^reinhardt-cloud\.toml:8:\d+: warning unknown-key .*extras/m);
  });

  it('text format lists every problem as file:line:col: severity code message and exits 1', async () => {
    const dir = project({ 'app.toml': INVALID });
    const result = await runCli(['validate', '--file', 'app.toml'], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    for (const line of lines)
      expect(line).toMatch(/^app\.toml:\d+:\d+: (error|warning|info) [a-z0-9-]+ \S.*$/);
    expect(lines.some((line) => line.startsWith('app.toml:3:9: error '))).toBe(true);
    expect(lines.some((line) => line.startsWith('app.toml:6:8: error services-port-range '))).toBe(true);
    expect(lines.some((line) => line.includes(' error tls-requires-secret-name '))).toBe(true);
    expect(lines.some((line) => line.includes(' warning unknown-key '))).toBe(true);
    expect(result.stderr).toMatch(/app\.toml: [3-9] errors, 1 warning/);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('json format carries paths and 0-based LSP ranges', async () => {
    const dir = project({ 'reinhardt-cloud.toml': INVALID });
    const result = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.file).toBe('reinhardt-cloud.toml');
    const image = report.diagnostics.find((d) => d.path === 'app.image');
    expect(image).toMatchObject({ severity: 'error', range: { start: { line: 2, character: 8 } } });
    const port = report.diagnostics.find((d) => d.code === 'services-port-range');
    expect(port).toMatchObject({
      severity: 'error',
      path: 'services.port',
      range: { start: { line: 5, character: 7 } },
    });
    for (const d of report.diagnostics) {
      expect(Object.keys(d).sort()).toEqual(['code', 'message', 'path', 'range', 'severity']);
      expect(['error', 'warning', 'info']).toContain(d.severity);
    }
  });

  it('json format of a valid file is an empty list', async () => {
    const dir = project({ 'reinhardt-cloud.toml': VALID });
    const result = await runCli(['validate', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file: 'reinhardt-cloud.toml', diagnostics: [] });
  });

  it('a TOML syntax error is a located error, not a crash', async () => {
    const dir = project({
      'reinhardt-cloud.toml': '[app]\nname = "x"\nimage = "x:1"\n[services\nport = 80\n',
    });
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^reinhardt-cloud\.toml:4:\d+: error \S+ /m);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a missing file exits 2 with a hint', async () => {
    const dir = project({});
    const result = await runCli(['validate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: cannot read reinhardt-cloud.toml: file not found');
    expect(result.stderr).toContain('reinhardt-cloud init');
    const other = await runCli(['validate', '--file', 'nope.toml', '--format', 'json'], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stdout).toBe('');
  });

  it('a directory passed as --file exits 2', async () => {
    const dir = project({});
    const result = await runCli(['validate', '--file', '.'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a directory');
  });
});
