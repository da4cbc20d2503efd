// Bundles the language server into self-contained files (every dependency inlined, core included):
// dist/server.js (ESM, the `reinhardt-cloud-lsp` bin) and dist/server.cjs (for the VS Code extension,
// whose host loads CommonJS most reliably).
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('.', import.meta.url));
const common = {
  absWorkingDir: root,
  entryPoints: ['src/server.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: process.env.LSP_MINIFY !== '0',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

try {
  await Promise.all([
    build({
      ...common,
      format: 'esm',
      outfile: 'dist/server.js',
      // Bundled CommonJS dependencies call require() for node built-ins; give the ESM bundle one.
      banner: {
        js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
      },
    }),
    build({ ...common, format: 'cjs', outfile: 'dist/server.cjs' }),
  ]);
} catch {
  // esbuild has already printed each error with file:line:col.
  process.exit(1);
}
await chmod(`${root}dist/server.js`, 0o755);
