import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, repoRoot } from './helpers';

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

export default async function setup(): Promise<void> {
  const sources = [
    join(repoRoot, 'cli/src'),
    join(repoRoot, 'cli/build.mjs'),
    join(repoRoot, 'cli/package.json'),
    join(repoRoot, 'core/src'),
  ];
  const sourcesTime = Math.max(...sources.map(newestMtime));
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= sourcesTime) return;
  const { buildCli } = (await import(join(repoRoot, 'cli/build.mjs'))) as {
    buildCli(options?: { outfile?: string }): Promise<string>;
  };
  await buildCli();
}
