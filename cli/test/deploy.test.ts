import { chmodSync, cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { copyExample, fixturesDir, removeTempDirs, runCli, STACK_LINE, tempDir } from './helpers';

afterAll(removeTempDirs);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & { image: string; replicas: number };
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(hasNull);
  if (typeof value === 'object') return Object.values(value as object).some(hasNull);
  return false;
}

let bookshelf: string;

beforeAll(async () => {
  bookshelf = copyExample('bookshelf');
  const init = await runCli(['init', '--dir', bookshelf, '--no-introspect']);
  expect(init.code).toBe(0);
});

/** A fresh copy of the initialized example, for tests that edit the file. */
function bookshelfCopy(): string {
  const dir = join(tempDir(), 'bookshelf');
  cpSync(bookshelf, dir, { recursive: true });
  return dir;
}

describe('deploy --dry-run', () => {
  it('prints the Project manifest as YAML with the keys in manifest order', async () => {
    const result = await runCli(['deploy', '--dry-run', '--dir', bookshelf]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      'apiVersion: paas.reinhardt-cloud.dev/v1alpha2',
      'kind: Project',
      'metadata:',
    ]);
    const manifest = parseYaml(result.stdout) as Manifest;
    expect(manifest.metadata).toEqual({ name: 'bookshelf', namespace: 'default' });
    expect(manifest.spec.image).toBe('bookshelf:latest');
    expect(manifest.spec.replicas).toBe(1);
    expect(manifest.spec.database).toEqual({ engine: 'postgresql' });
    expect(manifest.spec.cache).toEqual({ backend: 'redis' });
    expect(manifest.spec.auth).toEqual({ jwt: true });
    expect(hasNull(manifest)).toBe(false);
  });

  it('-o json prints the same manifest as JSON, and flags override the file', async () => {
    const result = await runCli([
      'deploy',
      '--dry-run',
      '--dir',
      bookshelf,
      '-o',
      'json',
      '--name',
      'bookshelf-staging',
      '--image',
      'ghcr.io/acme/bookshelf:1.2.0',
      '--replicas',
      '3',
      '--namespace',
      'staging',
    ]);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(result.stdout) as Manifest;
    expect(manifest.kind).toBe('Project');
    expect(manifest.metadata).toEqual({ name: 'bookshelf-staging', namespace: 'staging' });
    expect(manifest.spec.image).toBe('ghcr.io/acme/bookshelf:1.2.0');
    expect(manifest.spec.replicas).toBe(3);
    expect(hasNull(manifest)).toBe(false);
    const yaml = parseYaml((await runCli(['deploy', '--dry-run', '--dir', bookshelf])).stdout) as Manifest;
    expect({ ...manifest.spec, image: yaml.spec.image, replicas: yaml.spec.replicas }).toEqual(yaml.spec);
  });

  it('works from the project directory without --dir', async () => {
    const result = await runCli(['deploy', '--dry-run', '-o', 'json'], { cwd: bookshelf });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Manifest).metadata.name).toBe('bookshelf');
  });

  it('an invalid file exits 1, lists every problem in validate format, prints no manifest', async () => {
    const dir = bookshelfCopy();
    writeFileSync(
      join(dir, 'reinhardt-cloud.toml'),
      '[app]\nname = "bookshelf"\nimage = "bookshelf:1"\n\n[services]\nport = 0\n\n[services.tls]\nenabled = true\n\n[scale]\nmin_replicas = 4\nmax_replicas = 2\n',
    );
    const result = await runCli(['deploy', '--dry-run', '--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const problems = result.stderr.split('\n').filter((line) => / error [a-z0-9-]+ /.test(line));
    expect(problems.length).toBeGreaterThanOrEqual(4);
    for (const line of problems) expect(line).toMatch(/reinhardt-cloud\.toml:\d+:\d+: error [a-z0-9-]+ \S/);
    const codes = problems.map((line) => line.split(' ')[2]);
    expect(codes).toEqual(
      expect.arrayContaining([
        'services-port-range',
        'tls-requires-ingress-host',
        'tls-requires-secret-name',
      ]),
    );
    expect(result.stderr).toMatch(
      /Error: .*reinhardt-cloud\.toml has \d+ errors; no manifest was produced\./,
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a file with a TOML syntax error is listed, not thrown', async () => {
    const dir = bookshelfCopy();
    writeFileSync(join(dir, 'reinhardt-cloud.toml'), '[app\nname = "bookshelf"\n');
    const result = await runCli(['deploy', '--dry-run', '--dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/reinhardt-cloud\.toml:1:\d+: error /);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('a project without reinhardt-cloud.toml points at init', async () => {
    const result = await runCli(['deploy', '--dry-run', '--dir', tempDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('reinhardt-cloud.toml: file not found');
    expect(result.stderr).toContain('reinhardt-cloud init');
  });

  it('--replicas must be a non-negative integer', async () => {
    const result = await runCli(['deploy', '--dry-run', '--dir', bookshelf, '--replicas', 'three']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid value `three` for `--replicas`');
  });
});

describe('deploy --dry-run --manage-bin', () => {
  function manageBin(body: string): string {
    const script = join(tempDir(), 'manage-bin.cjs');
    writeFileSync(script, `#!${process.execPath}\n${body}\n`);
    chmodSync(script, 0o755);
    return script;
  }

  it('fills spec.introspect from the framework output (nulls and all)', async () => {
    const fixture = join(fixturesDir, 'blog-postgres-redis-auth', 'introspect.json');
    const bin = manageBin(
      `process.stdout.write(require('fs').readFileSync(${JSON.stringify(fixture)}, 'utf8'));`,
    );
    const result = await runCli([
      'deploy',
      '--dry-run',
      '--dir',
      bookshelf,
      '-o',
      'json',
      '--manage-bin',
      bin,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const manifest = JSON.parse(result.stdout) as Manifest & {
      spec: { introspect?: { app: { name: string } } };
    };
    expect(manifest.spec.introspect?.app).toEqual({ name: 'inkwell', version: '1.3.0' });
    // Introspect's app name names the Project unless --name says otherwise (cli.md §5.1).
    expect(manifest.metadata.name).toBe('inkwell');
    expect(hasNull(manifest)).toBe(false);
  });

  it('a failing manage binary ends the command: it was asked for explicitly', async () => {
    const bin = manageBin(`process.stderr.write('error: database settings missing\\n'); process.exit(1);`);
    const result = await runCli(['deploy', '--dry-run', '--dir', bookshelf, '--manage-bin', bin]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('failed: database settings missing');
  });
});

describe('deploy without --dry-run', () => {
  it('says cluster and dashboard deploys are not available yet and exits 2', async () => {
    const result = await runCli(['deploy', '--dir', bookshelf]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('not available yet');
    expect(result.stderr).toContain('deploy --dry-run');
  });

  it('--direct is not available yet either, but --dry-run still wins', async () => {
    const direct = await runCli(['deploy', '--direct', '--dir', bookshelf]);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain('--direct');
    const both = await runCli(['deploy', '--direct', '--dry-run', '--dir', bookshelf]);
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('kind: Project');
  });
});
