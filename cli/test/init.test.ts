import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeToml } from '@reinhardt-cloud/core';
import { afterAll, describe, expect, it } from 'vitest';
import { copyExample, copyFixture, listFiles, removeTempDirs, runCli, STACK_LINE, tempDir } from './helpers';

afterAll(removeTempDirs);

const ALREADY_EXISTS =
  'Error: reinhardt-cloud.toml already exists. Use --force to overwrite, or `reinhardt-cloud sync` to update.';

/** Fixture folder → `[package].name` of its deployable crate (fixtures/projects/README.md). */
const PACKAGES: Record<string, string> = {
  'minimal-api': 'pulse-api',
  'blog-postgres-redis-auth': 'inkwell',
  'shop-mysql-worker-s3': 'tradepost',
  'pages-wasm-ssr': 'agora-polls',
  'workspace-multi-crate': 'harbor-api',
  'realtime-chat': 'relay-chat',
  'legacy-v0.3.6': 'fieldnotes',
  'fresh-restful-no-introspect': 'taskboard',
};

function tomlValue(path: string): Record<string, Record<string, unknown>> {
  const analysis = analyzeToml(readFileSync(path, 'utf8'));
  expect(analysis.value).toBeDefined();
  return analysis.value as Record<string, Record<string, unknown>>;
}

describe('init on the fixture projects', () => {
  it.each(Object.entries(PACKAGES))('%s: writes a valid file named after %s', async (fixture, pkg) => {
    const dir = copyFixture(fixture);
    const result = await runCli(['init', '--dir', dir, '--no-introspect']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Found: ${pkg} v`);
    expect(result.stdout).toContain('Introspect: skipped (--no-introspect)');
    expect(result.stdout).toMatch(/^Created .*reinhardt-cloud\.toml$/m);
    const file = join(dir, 'reinhardt-cloud.toml');
    expect(tomlValue(file).app?.name).toBe(pkg);
    // What init writes, validate accepts.
    const validate = await runCli(['validate', '--file', file]);
    expect(validate.code).toBe(0);
    // The atomic write leaves no temp file behind.
    expect(listFiles(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('prints what it inferred and why', async () => {
    const dir = copyFixture('blog-postgres-redis-auth');
    const result = await runCli(['init', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Inferred:');
    expect(result.stdout).toMatch(/^ {2}database\.engine\s+.*postgresql/m);
    expect(result.stdout).toMatch(/^ {2}auth\.jwt\s+.*auth-jwt/m);
    expect(result.stdout).toContain(
      'Settings: production profile (settings/base.toml, settings/production.toml)',
    );
    const value = tomlValue(join(dir, 'reinhardt-cloud.toml'));
    expect(value.database?.engine).toBe('postgresql');
    expect(value.auth?.jwt).toBe(true);
    expect(value.cache?.backend).toBe('redis');
  });

  it('honours REINHARDT_ENV for the settings profile', async () => {
    const dir = copyFixture('blog-postgres-redis-auth');
    const result = await runCli(['init', '--dir', dir, '--no-introspect'], {
      env: { REINHARDT_ENV: 'local' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Settings: local profile (settings/base.toml, settings/local.toml)');
  });

  it('works on the bookshelf example from another working directory', async () => {
    const dir = copyExample('bookshelf');
    const result = await runCli(['init', '--no-introspect'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Detecting reinhardt-web project in the current directory...');
    const value = tomlValue(join(dir, 'reinhardt-cloud.toml'));
    expect(value.app).toEqual({ name: 'bookshelf', image: 'bookshelf:latest' });
    expect(value.worker).toBeDefined();
  });
});

describe('init refuses to overwrite', () => {
  it('exits 1 without --force and leaves the file untouched', async () => {
    const dir = copyFixture('minimal-api');
    const file = join(dir, 'reinhardt-cloud.toml');
    writeFileSync(file, '# mine\n[app]\nname = "keep"\nimage = "keep:1"\n');
    const result = await runCli(['init', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(ALREADY_EXISTS);
    expect(result.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe('# mine\n[app]\nname = "keep"\nimage = "keep:1"\n');
  });

  it('overwrites with --force', async () => {
    const dir = copyFixture('minimal-api');
    const file = join(dir, 'reinhardt-cloud.toml');
    writeFileSync(file, '[app]\nname = "keep"\nimage = "keep:1"\n');
    const result = await runCli(['init', '--dir', dir, '--no-introspect', '--force']);
    expect(result.code).toBe(0);
    expect(tomlValue(file).app?.name).toBe('pulse-api');
    expect(listFiles(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});

describe('init failures', () => {
  it('a broken Cargo.toml is listed with file:line:col, no file is written, no stack trace', async () => {
    const dir = copyFixture('broken-cargo-toml');
    const result = await runCli(['init', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Cargo\.toml:\d+:\d+: error \S+ /);
    expect(result.stderr).toContain('Error: cannot generate reinhardt-cloud.toml');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, 'reinhardt-cloud.toml'))).toBe(false);
  });

  it('a directory without Cargo.toml is not a Reinhardt project', async () => {
    const dir = tempDir();
    const result = await runCli(['init', '--dir', dir, '--no-introspect']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error/);
    expect(existsSync(join(dir, 'reinhardt-cloud.toml'))).toBe(false);
  });

  it('a missing --dir is an I/O error (exit 2)', async () => {
    const result = await runCli(['init', '--dir', join(tempDir(), 'absent'), '--no-introspect']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Error: project directory not found:');
  });
});

describe('init with manage introspect', () => {
  function manageScript(dir: string, body: string): string {
    const script = join(dir, 'manage-bin.cjs');
    writeFileSync(script, `#!${process.execPath}\n${body}\n`);
    chmodSync(script, 0o755);
    return script;
  }

  it('--manage-bin runs `introspect --format json` in the project and uses its output', async () => {
    const dir = copyFixture('blog-postgres-redis-auth');
    const bin = manageScript(
      tempDir(),
      `const fs = require('fs');
if (process.argv.slice(2).join(' ') !== 'introspect --format json') process.exit(3);
process.stdout.write(fs.readFileSync(require('path').join(process.cwd(), 'introspect.json'), 'utf8'));`,
    );
    const result = await runCli(['init', '--dir', dir, '--manage-bin', bin]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Introspect: used');
    expect(result.stdout).toMatch(/health\.path\s+.*introspect/);
  });

  it('a failing manage binary is reported and init continues from static analysis', async () => {
    const dir = copyFixture('minimal-api');
    const bin = manageScript(
      tempDir(),
      `process.stderr.write('error: settings could not be built\\n'); process.exit(1);`,
    );
    const result = await runCli(['init', '--dir', dir, '--manage-bin', bin]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('settings could not be built');
    expect(existsSync(join(dir, 'reinhardt-cloud.toml'))).toBe(true);
  });

  it('a hanging manage binary is stopped at --introspect-timeout', async () => {
    const dir = copyFixture('minimal-api');
    const bin = manageScript(tempDir(), 'setTimeout(() => {}, 60_000);');
    const started = Date.now();
    const result = await runCli(['init', '--dir', dir, '--manage-bin', bin, '--introspect-timeout', '1']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('timed out after 1 seconds');
    expect(existsSync(join(dir, 'reinhardt-cloud.toml'))).toBe(true);
  });

  it('an invalid --introspect-timeout is a usage error', async () => {
    const dir = copyFixture('minimal-api');
    const result = await runCli(['init', '--dir', dir, '--introspect-timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(existsSync(join(dir, 'reinhardt-cloud.toml'))).toBe(false);
    expect(result.stderr).toContain('invalid introspect timeout `soon`');
  });
});
