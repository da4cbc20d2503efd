import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, listFiles, removeTempDirs, runCli, STACK_LINE } from './helpers';

afterAll(removeTempDirs);

async function initialized(fixture: string): Promise<{ dir: string; file: string }> {
  const dir = copyFixture(fixture);
  const init = await runCli(['init', '--dir', dir, '--no-introspect']);
  expect(init.code).toBe(0);
  return { dir, file: join(dir, 'reinhardt-cloud.toml') };
}

describe('sync --check', () => {
  it('exits 0 right after init', async () => {
    const { dir, file } = await initialized('blog-postgres-redis-auth');
    const before = readFileSync(file, 'utf8');
    const result = await runCli(['sync', '--dir', dir, '--check', '--no-introspect']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/reinhardt-cloud\.toml is up to date\.$/m);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('exits 1 with the lines sync would add when the project gained a feature, and writes nothing', async () => {
    const { dir, file } = await initialized('blog-postgres-redis-auth');
    const before = readFileSync(file, 'utf8');
    expect(before).not.toContain('[worker]');
    const cargo = join(dir, 'Cargo.toml');
    writeFileSync(cargo, readFileSync(cargo, 'utf8').replace('\t"api",\n', '\t"api",\n\t"tasks",\n'));
    const result = await runCli(['sync', '--dir', dir, '--check', '--no-introspect']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('reinhardt-cloud.toml is out of date.');
    expect(result.stdout).toMatch(/^\+ \[worker\]$/m);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('sync', () => {
  it('adds what is new and keeps comments, order and hand-set values', async () => {
    const { dir, file } = await initialized('blog-postgres-redis-auth');
    const edited = readFileSync(file, 'utf8')
      .replace('image = "inkwell:latest"', 'image = "ghcr.io/acme/inkwell:1.3.0" # pinned by release CI')
      .replace('[auth]', '# Tokens are signed with the key from the inkwell-jwt secret.\n[auth]')
      .concat('\n[env]\nRUST_LOG = "info,inkwell=debug"\n');
    writeFileSync(file, edited);
    const cargo = join(dir, 'Cargo.toml');
    writeFileSync(cargo, readFileSync(cargo, 'utf8').replace('\t"api",\n', '\t"api",\n\t"tasks",\n'));

    const result = await runCli(['sync', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Updated .*reinhardt-cloud\.toml$/m);
    // The kept image differs from what detection suggests: sync says so instead of changing it.
    expect(result.stdout).toMatch(/reinhardt-cloud\.toml:\d+:\d+: info \S+ .*app\.image/);
    const synced = readFileSync(file, 'utf8');
    expect(synced.startsWith(edited.slice(0, edited.indexOf('[auth]')))).toBe(true);
    expect(synced).toContain('image = "ghcr.io/acme/inkwell:1.3.0" # pinned by release CI');
    expect(synced).toContain('# Tokens are signed with the key from the inkwell-jwt secret.\n[auth]');
    expect(synced).toContain('RUST_LOG = "info,inkwell=debug"');
    expect(synced).toContain('[worker]');
    expect(synced.indexOf('[app]')).toBeLessThan(synced.indexOf('[auth]'));
    expect(listFiles(dir).filter((name) => name.includes('.tmp'))).toEqual([]);

    const again = await runCli(['sync', '--dir', dir, '--check', '--no-introspect']);
    expect(again.code).toBe(0);
  });

  it('without a file tells the user to run init', async () => {
    const dir = copyFixture('minimal-api');
    const result = await runCli(['sync', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Error: reinhardt-cloud.toml not found. Run `reinhardt-cloud init` first.',
    );
  });

  it('a file with a syntax error is reported, not rewritten', async () => {
    const { dir, file } = await initialized('minimal-api');
    writeFileSync(file, '[app]\nname = "pulse-api"\nimage = \n');
    const result = await runCli(['sync', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/reinhardt-cloud\.toml:\d+:\d+: error /);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(file, 'utf8')).toBe('[app]\nname = "pulse-api"\nimage = \n');
  });
});
