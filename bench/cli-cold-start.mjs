#!/usr/bin/env node
// Cold start of the `reinhardt-cloud` binary against the floor every Node CLI pays: `node -e 0`.
// Usage: node bench/cli-cold-start.mjs [--runs N] [--warmup N] [--assert]
// Target: `deploy --dry-run` of the example project under 3x bare Node start (p50). --assert exits 1 if not.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TARGET_RATIO = 3;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'cli/dist/reinhardt-cloud.js');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    assert: { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);

if (!existsSync(cli)) {
  console.error(`${cli} is missing: run \`npm run build\` (or \`npm run build -w cli\`) first.`);
  process.exit(2);
}

const project = mkdtempSync(join(tmpdir(), 'rc-bench-bookshelf-'));
cpSync(join(root, 'examples/bookshelf'), project, { recursive: true });

function run(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.trim()}`);
  }
  return ms;
}

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'reinhardt-cloud --version', args: [cli, '--version'] },
  { name: 'reinhardt-cloud deploy --dry-run', args: [cli, 'deploy', '--dry-run', '--dir', project] },
];

try {
  run([cli, 'init', '--dir', project, '--no-introspect']);
  for (let i = 0; i < warmup; i++) for (const c of cases) run(c.args);
  const samples = cases.map(() => []);
  // Round-robin so that machine noise (other processes, thermal) hits every case alike.
  for (let i = 0; i < runs; i++) {
    cases.forEach((c, index) => {
      samples[index].push(run(c.args));
    });
  }

  const stats = samples.map((times) => {
    const sorted = [...times].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const p50 = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
    return { p50, mean, min: sorted[0] };
  });
  const base = stats[0];
  console.log(
    `CLI cold start, ${runs} runs each after ${warmup} warmups (node ${process.version}, ${process.platform})`,
  );
  console.log(
    `${'command'.padEnd(36)}${'p50 ms'.padStart(9)}${'mean ms'.padStart(9)}${'min ms'.padStart(9)}${'p50 x'.padStart(8)}${'min x'.padStart(8)}`,
  );
  cases.forEach((c, index) => {
    const s = stats[index];
    const cells = [s.p50, s.mean, s.min].map((ms) => ms.toFixed(1).padStart(9)).join('');
    const ratios = [s.p50 / base.p50, s.min / base.min].map((x) => x.toFixed(2).padStart(8)).join('');
    console.log(`${c.name.padEnd(36)}${cells}${ratios}`);
  });
  const ratio = stats[2].p50 / base.p50;
  const verdict = ratio < TARGET_RATIO ? 'within' : 'OVER';
  console.log(
    `deploy --dry-run: ${ratio.toFixed(2)}x bare node (p50; ${(stats[2].min / base.min).toFixed(2)}x by min), ${verdict} the ${TARGET_RATIO}x target`,
  );
  if (values.assert && ratio >= TARGET_RATIO) process.exitCode = 1;
} finally {
  rmSync(project, { recursive: true, force: true });
}
