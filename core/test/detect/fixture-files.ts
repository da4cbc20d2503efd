// Test-only adapter: exposes a fixture directory on disk as ProjectFiles (core itself never touches the disk).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectFiles } from '../../src/detect';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `<repo>/../shared/fixtures/projects` (the shared folder sits beside the work tree). */
export const FIXTURES = path.resolve(repoRoot, '../shared/fixtures/projects');

export function fixtureDir(name: string): string {
  return path.join(FIXTURES, name);
}

export function diskFiles(dir: string): ProjectFiles {
  return {
    read(rel) {
      try {
        return readFileSync(path.resolve(dir, rel), 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (rel) => existsSync(path.resolve(dir, rel)),
    list(rel) {
      try {
        return readdirSync(path.resolve(dir, rel));
      } catch {
        return [];
      }
    },
  };
}

export function readFixture(name: string, file: string): string | undefined {
  return diskFiles(fixtureDir(name)).read(file);
}

/** In-memory ProjectFiles for hand-written cases. */
export function memoryFiles(files: Record<string, string>): ProjectFiles {
  return { read: (rel) => files[rel] };
}
