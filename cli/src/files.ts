// File-system side of the CLI: core does no I/O, so the CLI reads the project and hands text in.
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, EXIT_USAGE } from './errors';

export const TOML_FILE = 'reinhardt-cloud.toml';

/** Read access to a project directory, relative paths only (the shape core's detection expects). */
export interface ProjectFileReader {
  read(relPath: string): string | undefined;
  exists(relPath: string): boolean;
  list(relDir: string): string[];
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}

export function projectFiles(root: string): ProjectFileReader {
  return {
    read(relPath) {
      try {
        return readFileSync(join(root, relPath), 'utf8');
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw new CliError(`cannot read ${join(root, relPath)}: ${(error as Error).message}`, {
          exitCode: EXIT_USAGE,
        });
      }
    },
    exists(relPath) {
      return existsSync(join(root, relPath));
    },
    list(relDir) {
      try {
        return readdirSync(join(root, relDir)).sort();
      } catch {
        return [];
      }
    },
  };
}

/** The project directory from `--dir`, checked to exist so later messages can talk about files in it. */
export function projectDir(cwd: string, dir: string | undefined): string {
  const path = resolve(cwd, dir ?? '.');
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw new CliError(`project directory not found: ${path}`, { exitCode: EXIT_USAGE });
  return path;
}

/** Reads a text file; a missing or unreadable file is an I/O problem (exit 2) with the path in the message. */
export function readTextFile(path: string, options: { shown?: string; hint?: string } = {}): string {
  const { shown = path, hint } = options;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new CliError(`cannot read ${shown}: ${reason}`, {
      exitCode: EXIT_USAGE,
      details: hint ? [hint] : [],
    });
  }
}

/**
 * Writes `text` to `path` atomically: a temp file in the same directory, fsync, then rename over the
 * target. Readers see the old file or the new one, never half of one. With `overwrite: false` the
 * final step is a hard link, which fails if the target appeared meanwhile instead of replacing it.
 */
export function writeFileAtomic(path: string, text: string, options: { overwrite: boolean }): void {
  // Unique enough with the pid; `wx` below refuses to reuse a name rather than clobber it.
  const suffix = `${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const temp = join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.overwrite) {
      renameSync(temp, path);
    } else {
      linkSync(temp, path);
      unlinkSync(temp);
    }
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}
