// Running `manage introspect` for init/sync. Optional by design: when it is unavailable or fails,
// detection proceeds from Cargo.toml and settings alone and says so.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { booleanOption, stringOption } from './args';
import { UsageError } from './errors';
import type { OptionValues } from './spec';

/** What happened, plus the shape core's `DetectOptions.introspect` takes (absent when skipped). */
export type IntrospectResult =
  | { status: 'ok'; input: { stdout: string; format: 'json' }; source: string }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; reason: string; input: { error: string } };

const DEFAULT_TIMEOUT_SECONDS = 120;

function onPath(executable: string, env: NodeJS.ProcessEnv): boolean {
  const names = process.platform === 'win32' ? [`${executable}.exe`, `${executable}.cmd`] : [executable];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        // keep looking
      }
    }
  }
  return false;
}

/** `src/bin/manage.rs` or a `[[bin]] name = "manage"`: otherwise `cargo run --bin manage` cannot work. */
function hasManageBinary(dir: string): boolean {
  if (existsSync(join(dir, 'src/bin/manage.rs'))) return true;
  try {
    return /name\s*=\s*"manage"|^\[workspace\]/m.test(readFileSync(join(dir, 'Cargo.toml'), 'utf8'));
  } catch {
    return false;
  }
}

function timeoutSeconds(values: OptionValues, env: NodeJS.ProcessEnv, command: string): number {
  const raw = stringOption(values, 'introspect-timeout') ?? env.REINHARDT_CLOUD_INTROSPECT_TIMEOUT_SECONDS;
  if (raw === undefined || raw === '') return DEFAULT_TIMEOUT_SECONDS;
  if (!/^\d+$/.test(raw) || Number(raw) === 0) {
    throw new UsageError(
      `invalid introspect timeout \`${raw}\`: expected a positive number of seconds.`,
      command,
    );
  }
  return Number(raw);
}

interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: Error;
}

/** Runs a child in its own process group so a timeout can stop cargo and the compiler under it. */
async function runWithTimeout(
  file: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  seconds: number,
) {
  // Loaded here, not at the top: most runs never spawn anything, and startup time is a feature.
  const { spawn } = await import('node:child_process');
  return new Promise<RunOutcome>((done) => {
    const child = spawn(file, args, { cwd, env, detached: process.platform !== 'win32', stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined)
          process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal);
      } catch {
        // already exited
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), 1000);
    }, seconds * 1000);
    child.on('error', (spawnError) => {
      clearTimeout(timer);
      done({ code: null, stdout, stderr, timedOut, spawnError });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      done({ code, stdout, stderr, timedOut });
    });
  });
}

/** The line of a child's stderr worth showing: the first `error...` line (cargo, rustup, the framework), else the first line. */
function errorLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return (lines.find((line) => /^error\b/i.test(line)) ?? lines[0] ?? '').replace(/^error:\s*/i, '');
}

/**
 * `--manage-bin PATH` runs that binary; otherwise `cargo run --quiet --bin manage` when cargo is on
 * PATH and the project has a manage binary; otherwise introspection is skipped.
 */
export async function runIntrospect(
  dir: string,
  values: OptionValues,
  io: { cwd: string; env: NodeJS.ProcessEnv },
  command: string,
): Promise<IntrospectResult> {
  if (booleanOption(values, 'no-introspect')) return { status: 'skipped', reason: '--no-introspect' };
  const seconds = timeoutSeconds(values, io.env, command);
  const manageBin = stringOption(values, 'manage-bin');
  let file: string;
  let args: string[];
  let label: string;
  if (manageBin !== undefined) {
    file = resolve(io.cwd, manageBin);
    args = ['introspect', '--format', 'json'];
    label = `${manageBin} introspect`;
  } else {
    if (!onPath('cargo', io.env)) return { status: 'skipped', reason: 'cargo is not on PATH' };
    if (!hasManageBinary(dir)) return { status: 'skipped', reason: 'the project has no `manage` binary' };
    file = 'cargo';
    args = ['run', '--quiet', '--bin', 'manage', '--', 'introspect', '--format', 'json'];
    label = 'cargo run --bin manage -- introspect';
  }
  const outcome = await runWithTimeout(file, args, dir, io.env, seconds);
  const failed = (reason: string): IntrospectResult => ({
    status: 'failed',
    reason,
    input: { error: reason },
  });
  if (outcome.spawnError) return failed(`could not run ${label}: ${outcome.spawnError.message}`);
  if (outcome.timedOut) return failed(`${label} timed out after ${seconds} seconds`);
  if (outcome.code !== 0)
    return failed(`${label} failed: ${errorLine(outcome.stderr) || `exit status ${outcome.code}`}`);
  return { status: 'ok', input: { stdout: outcome.stdout, format: 'json' }, source: label };
}
