import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = resolve(repoRoot, '../shared/fixtures/projects');
export const examplesDir = join(repoRoot, 'examples');
export const BIN = join(repoRoot, 'cli/dist/reinhardt-cloud.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell without color overrides, unless a test sets them. */
function baseEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NO_COLOR', 'FORCE_COLOR', 'REINHARDT_CLOUD_DEBUG', 'REINHARDT_ENV']) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Runs the built binary as a subprocess, the way a user's shell does. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: baseEnv(options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const tempDirs: string[] = [];

export function tempDir(prefix = 'rc-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A private copy of a fixture project (tests write reinhardt-cloud.toml into it). */
export function copyFixture(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  return dir;
}

export function copyExample(name: string): string {
  const dir = join(tempDir(), name);
  cpSync(join(examplesDir, name), dir, { recursive: true });
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Files left in a directory, to prove atomic writes leave no temp files behind. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}

/** A stack trace line, which a user must never see without REINHARDT_CLOUD_DEBUG=1. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
