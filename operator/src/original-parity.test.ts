// Operator behaviours the original Rust implementation tested (spec/tests-in-original.md §2.4 and §2.7),
// restated against our process: error classes, command line, log format, health/metrics listener. Numbers
// in the test names are the case numbers of that list. Where we deliberately differ, the comment says so.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { classify, PermanentError } from './controller';
import { ApiError } from './kube';
import { createMetrics } from './metrics';
import { startHealthServer } from './server';

describe('36: error classes', () => {
  // Deviation: invalid specs (missing field, invalid port, tenant mismatch, ingress host, plugin spec) never
  // reach the error policy here: the reconcile validates first and writes phase failed + Ready=False InvalidSpec
  // without throwing, so only ownership conflicts and API answers are classified. 404/409 keep the spec's
  // `dependency_not_ready` class.
  it('ownership conflicts and API 400/403/422 are permanent; 404/409 wait for a dependency; the rest retry', () => {
    expect(classify(new PermanentError('refusing to manage existing Deployment d/web'))).toBe('permanent');
    for (const code of [400, 403, 422])
      expect(classify(new ApiError(code, 'Invalid', 'x')), `${code}`).toBe('permanent');
    for (const code of [404, 409])
      expect(classify(new ApiError(code, 'NotFound', 'x')), `${code}`).toBe('dependency_not_ready');
    for (const code of [429, 500, 503])
      expect(classify(new ApiError(code, 'Busy', 'x')), `${code}`).toBe('transient');
    expect(classify(new Error('resource web has no namespace'))).toBe('transient');
    expect(classify('socket hang up')).toBe('transient');
  });
});

describe('60: REINHARDT_LOG_FORMAT', () => {
  it('json in any case, surrounded by whitespace, selects JSON; anything else selects text', () => {
    for (const value of ['JSON', 'Json', '  json  ', 'json\n']) {
      expect(loadConfig({ REINHARDT_LOG_FORMAT: value }).logJson, JSON.stringify(value)).toBe(true);
    }
    for (const value of ['text', 'plain', '', 'jsonl']) {
      expect(loadConfig({ REINHARDT_LOG_FORMAT: value }).logJson, JSON.stringify(value)).toBe(false);
    }
    // Deviation (operator/README.md): unset means JSON here, text in the original; the chart sets it either way.
    expect(loadConfig({}).logJson).toBe(true);
  });
});

describe('61: health listener without metrics', () => {
  let base = '';
  let close: () => void = () => undefined;
  beforeAll(async () => {
    const server = await startHealthServer('127.0.0.1', 0, { notReadyReasons: () => [] });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('GET /healthz (with a query) is 200 ok; look-alike paths, POST and disabled /metrics are 404', async () => {
    for (const path of ['/healthz', '/healthz?ts=1']) {
      const res = await fetch(base + path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe('ok');
    }
    for (const path of ['/healthzfoo', '/healthz_admin', '/metrics']) {
      expect((await fetch(base + path)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(404);
  });

  it('/metrics is served only when metrics are enabled', async () => {
    const server = await startHealthServer('127.0.0.1', 0, {
      notReadyReasons: () => [],
      metrics: createMetrics().registry,
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      expect(res.status).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('59: --healthcheck', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-operator-parity-'));
  const bundle = join(dir, 'operator.mjs');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    // Bundled the way operator/build.mjs does, into a private directory: the shared dist/ belongs to the
    // integration tests and may be rebuilt by them at any moment.
    await build({
      entryPoints: [join(import.meta.dirname, 'main.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
  }, 60_000);

  /** Runs the operator with credentials that cannot exist, so a normal start stops at the credentials step. */
  function runOperator(args: string[]): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bundle, ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          KUBECONFIG: join(dir, 'missing-kubeconfig'),
          REINHARDT_CLOUD_METRICS_ADDR: '127.0.0.1:0',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('exactly one --healthcheck argument exits 0 at once', async () => {
    expect(await runOperator(['--healthcheck'])).toEqual({ code: 0, stderr: '' });
  });

  it('--healthcheck extra, healthcheck and no arguments start normally (and stop at missing credentials)', async () => {
    for (const args of [['--healthcheck', 'extra'], ['healthcheck'], [], ['run']]) {
      const result = await runOperator(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain('KUBECONFIG names a file that does not exist');
    }
  });
});
