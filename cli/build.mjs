// Bundles the CLI into one ESM file: dist/reinhardt-cloud.js (the `bin`). Dynamic imports of command
// modules stay lazy inside the bundle (esbuild wraps them in on-demand initializers), so `--version`
// and `--help` evaluate almost nothing.
import { chmodSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

export async function buildCli({
  outfile = join(here, 'dist/reinhardt-cloud.js'),
  logLevel = 'warning',
} = {}) {
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    banner: {
      // A bundled ESM file has no `require`; a few CommonJS dependencies call it for Node built-ins.
      js: "#!/usr/bin/env node\nimport{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
    },
    define: { __CLI_VERSION__: JSON.stringify(version) },
    logLevel,
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildCli({ logLevel: 'info' });
}
