// Credentials go through @kubernetes/client-node's KubeConfig: a kubeconfig whose user is an `exec`
// credential plugin (a real node script printing an ExecCredential) authenticates the operator's own
// requests, the plugin runs once per credentials interval (not per request), and a 401 makes the client
// run it again and retry.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeClient } from './kube';
import { loadCredentials, loadKubeConfigFile } from './kubeconfig';

let dir: string;
let server: http.Server;
let acceptedToken = 'exec-token-1';
const seenAuthorization: string[] = [];

function execRuns(): number {
  return readFileSync(join(dir, 'runs'), 'utf8').split('\n').filter(Boolean).length;
}

function writeExecKubeconfig(serverUrl: string): string {
  // Each run appends a line and prints the token `exec-token-<run number>`; no expirationTimestamp, so
  // client-node would run it again on every call were the operator not caching.
  const script = join(dir, 'credential.mjs');
  writeFileSync(
    script,
    `import { appendFileSync, readFileSync } from 'node:fs';
const runs = ${JSON.stringify(join(dir, 'runs'))};
appendFileSync(runs, 'run\\n');
const n = readFileSync(runs, 'utf8').split('\\n').filter(Boolean).length;
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: 'exec-token-' + n },
}));
`,
  );
  writeFileSync(join(dir, 'runs'), '');
  const path = join(dir, 'kubeconfig');
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: serverUrl, 'insecure-skip-tls-verify': true } }],
      users: [
        {
          name: 'plugin-user',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: process.execPath,
              args: [script],
              interactiveMode: 'Never',
            },
          },
        },
      ],
      contexts: [{ name: 'local', context: { cluster: 'local', user: 'plugin-user' } }],
      'current-context': 'local',
    }),
  );
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'operator-exec-'));
  // A stand-in API endpoint that only checks the bearer token (the cluster's API server cannot be told to
  // trust an arbitrary exec plugin).
  server = http.createServer((req, res) => {
    const authorization = req.headers.authorization ?? '';
    seenAuthorization.push(authorization);
    const ok = authorization === `Bearer ${acceptedToken}`;
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(ok ? { kind: 'APIVersions', versions: ['v1'] } : { reason: 'Unauthorized' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('KubeClient with an exec credential plugin', () => {
  it('sends the plugin token, runs the plugin once per interval, and re-runs it after a 401', async () => {
    const port = (server.address() as AddressInfo).port;
    const client = new KubeClient(loadKubeConfigFile(writeExecKubeconfig(`http://127.0.0.1:${port}`)));
    try {
      const options = await client.connectionOptions();
      expect(options.headers.Authorization).toBe('Bearer exec-token-1');

      const body = await client.request<{ kind: string }>('GET', '/api');
      expect(body.kind).toBe('APIVersions');
      await Promise.all([client.request('GET', '/api'), client.request('GET', '/api')]);
      expect(seenAuthorization).toEqual(Array(3).fill('Bearer exec-token-1'));
      expect(execRuns()).toBe(1);

      // The server stops accepting the first token (it expired): one 401, a new plugin run, a retry.
      acceptedToken = 'exec-token-2';
      await client.request('GET', '/api');
      expect(seenAuthorization.slice(3)).toEqual(['Bearer exec-token-1', 'Bearer exec-token-2']);
      expect(execRuns()).toBe(2);
      expect((await client.connectionOptions()).headers.Authorization).toBe('Bearer exec-token-2');
    } finally {
      client.destroy();
    }
  });

  it('reports a kubeconfig it cannot use with its path', () => {
    const broken = join(dir, 'broken-kubeconfig');
    writeFileSync(broken, 'apiVersion: v1\nkind: Config\ncurrent-context: missing\n');
    expect(() => loadKubeConfigFile(broken)).toThrow(`${broken}: current context 'missing' names no cluster`);
    expect(() => loadKubeConfigFile(join(dir, 'absent'))).toThrow('kubeconfig file not found');
  });

  it('finds credentials the standard way, and says so when there are none', () => {
    const saved = {
      KUBECONFIG: process.env.KUBECONFIG,
      HOME: process.env.HOME,
      HOST: process.env.KUBERNETES_SERVICE_HOST,
    };
    try {
      delete process.env.KUBERNETES_SERVICE_HOST;
      process.env.HOME = dir;
      delete process.env.KUBECONFIG;
      expect(() => loadCredentials()).toThrow('no Kubernetes credentials');
      process.env.KUBECONFIG = join(dir, 'absent');
      expect(() => loadCredentials()).toThrow(
        `KUBECONFIG names a file that does not exist: ${join(dir, 'absent')}`,
      );
      process.env.KUBECONFIG = join(dir, 'kubeconfig');
      const loaded = loadCredentials();
      expect(loaded.source).toBe(`KUBECONFIG=${join(dir, 'kubeconfig')}`);
      expect(loaded.kubeConfig.getCurrentUser()?.name).toBe('plugin-user');
    } finally {
      for (const [name, value] of [
        ['KUBECONFIG', saved.KUBECONFIG],
        ['HOME', saved.HOME],
        ['KUBERNETES_SERVICE_HOST', saved.HOST],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
