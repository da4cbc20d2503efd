// Builds the extension into dist/:
//   extension.cjs      the activation bundle (vscode-languageclient + the extension; `vscode` is external)
//   project-files.cjs  Init/Sync with core's project detection, loaded on first use only
//   server.cjs         the language server, bundled from language-server/src so the VSIX is self-contained
//   reinhardt-cloud.schema.json  the JSON Schema of reinhardt-cloud.toml, for `contributes.tomlValidation`
// Usage: node build.mjs [--no-minify]
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const dist = join(here, 'dist');
// Minified by default: the activation bundle is mostly vscode-languageclient, ~3x smaller minified.
const minify = !process.argv.includes('--no-minify');
const SCHEMA_NAME = 'reinhardt-cloud.schema.json';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify,
  logLevel: 'warning',
  // Keep `import()` of the lazily loaded bundle a real require at call time instead of a bundled copy.
  supported: { 'dynamic-import': false },
  // Prefer ESM entry points of dependencies (better tree shaking), but accept CJS-only packages.
  mainFields: ['module', 'main'],
};

/** `import('./commands/project-files')` from the activation bundle resolves to the sibling file at runtime. */
const lazyProjectFiles = {
  name: 'lazy-project-files',
  setup(build) {
    build.onResolve({ filter: /\/commands\/project-files$/ }, (args) =>
      args.importer.endsWith(join('src', 'extension.ts'))
        ? { path: './project-files.cjs', external: true }
        : undefined,
    );
  },
};

async function buildAll() {
  const started = performance.now();
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const serverEntry = join(root, 'language-server', 'src', 'server.ts');
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: [join(here, 'src', 'extension.ts')],
      outfile: join(dist, 'extension.cjs'),
      external: ['vscode'],
      plugins: [lazyProjectFiles],
      metafile: true,
    }),
    esbuild.build({
      ...common,
      entryPoints: [join(here, 'src', 'commands', 'project-files.ts')],
      outfile: join(dist, 'project-files.cjs'),
      external: ['vscode'],
    }),
    readFile(serverEntry).then(
      () =>
        esbuild.build({
          ...common,
          entryPoints: [serverEntry],
          outfile: join(dist, 'server.cjs'),
          // The server source is ESM; give it import.meta.url in the CommonJS bundle.
          define: { 'import.meta.url': 'importMetaUrl' },
          banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
        }),
      () => {
        throw new Error(`language server entry not found: ${serverEntry} (the VSIX must bundle the server)`);
      },
    ),
    writeSchema(),
  ]);
  console.log(`extension built into ${dist} in ${Math.round(performance.now() - started)} ms`);
}

/** Copy the checked-in schema; if it has not been generated yet, generate it from core. */
async function writeSchema() {
  const checkedIn = join(root, 'schemas', SCHEMA_NAME);
  try {
    await copyFile(checkedIn, join(dist, SCHEMA_NAME));
    return;
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  const generator = await esbuild.build({
    stdin: {
      contents: "import { tomlJsonSchema } from '@reinhardt-cloud/core'; export default tomlJsonSchema();",
      resolveDir: here,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const script = join(dist, '.schema-generator.mjs');
  await writeFile(script, generator.outputFiles[0].text);
  try {
    const { default: schema } = await import(pathToFileURL(script).href);
    await writeFile(join(dist, SCHEMA_NAME), `${JSON.stringify(schema, null, 2)}\n`);
  } finally {
    await rm(script, { force: true });
  }
}

try {
  await buildAll();
} catch (error) {
  console.error(`extension build failed: ${error.message}`);
  process.exit(1);
}
