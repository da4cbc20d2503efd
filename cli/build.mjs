// Bundles the CLI into one ESM file: dist/reinhardt-cloud.js (the `bin`). Dynamic imports of command
// modules stay lazy inside the bundle (esbuild wraps them in on-demand initializers), so `--version`
// and `--help` evaluate almost nothing.
import { chmodSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

export async function buildCli({
  outfile = join(here, 'dist/reinhardt-cloud.js'),
  logLevel = 'warning',
} = {}) {
  // Built next to the target and renamed over it: a test or a shell running the CLI meanwhile sees the
  // old file or the new one, never half of one.
  const temp = `${outfile}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(here, 'src/main.ts')],
    outfile: temp,
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
  chmodSync(temp, 0o755);
  renameSync(temp, outfile);
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const outfile = await buildCli();
  const { size } = statSync(outfile);
  console.log(
    `built ${relative(process.cwd(), outfile)} (${(size / 1024).toFixed(1)} KiB) in ${Date.now() - started} ms`,
  );
}
