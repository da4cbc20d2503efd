// Builds dist/server.js once so every protocol test talks to the real, bundled server over stdio.
// LSP_SKIP_BUILD=1 reuses an existing build (CI builds before testing).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (process.env.LSP_SKIP_BUILD === '1' && existsSync(`${root}dist/server.js`)) return;
  execFileSync(process.execPath, ['build.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, LSP_MINIFY: '0' },
  });
}
