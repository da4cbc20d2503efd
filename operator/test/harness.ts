// Integration-test harness: the shared simulated cluster (test/cluster), an admin API client, the operator
// as a real child process (operator/dist/operator.js), and a TCP proxy that can cut or freeze the
// operator's connections to the API server.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '@reinhardt-cloud/core';
import { clusterPaths, kubectlPath, uniqueName, waitFor } from '@reinhardt-cloud/test/cluster';
import { stringify } from 'yaml';
import { KubeClient, RESOURCES, resourcePath } from '../src/kube';
import { loadKubeConfigFile } from '../src/kubeconfig';

const run = promisify(execFile);
export const OPERATOR_DIR = resolve(import.meta.dirname, '..');
export const REPO = resolve(OPERATOR_DIR, '..');
export { uniqueName, waitFor };

export async function apiReady(client: KubeClient): Promise<boolean> {
  try {
    const res = await client.open('GET', '/readyz', {}, AbortSignal.timeout(3000));
    res.resume();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}

/** The shared cluster (started by test/cluster/up.sh when it is not running) and an admin client. */
export async function ensureClusterUp(): Promise<{ kubeconfig: string; admin: KubeClient }> {
  const paths = clusterPaths();
  if (existsSync(paths.kubeconfig)) {
    const admin = new KubeClient(loadKubeConfigFile(paths.kubeconfig));
    if (await apiReady(admin)) return { kubeconfig: paths.kubeconfig, admin };
  }
  await run('bash', [paths.upScript], { maxBuffer: 64 * 1024 * 1024, timeout: 3_600_000 });
  const admin = new KubeClient(loadKubeConfigFile(paths.kubeconfig));
  if (!(await apiReady(admin)))
    throw new Error(`${paths.upScript} finished but the API server does not answer /readyz`);
  return { kubeconfig: paths.kubeconfig, admin };
}

export async function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(kubectlPath(), ['--kubeconfig', kubeconfig, ...args], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Installs the Project CRD from schemas/ (as the chart does) and waits until it is served. */
export async function installCrd(kubeconfig: string, admin: KubeClient): Promise<void> {
  await kubectl(
    kubeconfig,
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(REPO, 'schemas', 'project-crd.yaml'),
  );
  await waitFor('the Project CRD to be served', async () => {
    await admin.list(RESOURCES.Project, { labelSelector: 'x=none' });
    return true;
  });
}

export async function createNamespace(admin: KubeClient, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await admin.request('POST', '/api/v1/namespaces', {
    body: { metadata: { name, labels: { 'reinhardt.cloud/test-namespace': 'true' } } },
  });
  await waitFor(
    `ServiceAccount default in ${name}`,
    async () => (await admin.get(RESOURCES.ServiceAccount, name, 'default')) !== undefined,
  );
  return name;
}

export async function deleteNamespace(admin: KubeClient, name: string): Promise<void> {
  await admin.request('DELETE', `/api/v1/namespaces/${name}`).catch(() => undefined);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

export interface OperatorProcess {
  child: ChildProcess;
  port: number;
  logs: string[];
  /** Parsed JSON log records. */
  records(): Record<string, unknown>[];
  metrics(): Promise<string>;
  readyz(): Promise<{ status: number; body: string }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

let built = false;
export async function buildOperator(): Promise<void> {
  if (built) return;
  await run(process.execPath, [join(OPERATOR_DIR, 'build.mjs')], { cwd: OPERATOR_DIR });
  built = true;
}

export async function startOperator(
  kubeconfig: string,
  env: Record<string, string> = {},
): Promise<OperatorProcess> {
  await buildOperator();
  const port = await freePort();
  const child = spawn(process.execPath, [join(OPERATOR_DIR, 'dist', 'operator.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      KUBECONFIG: kubeconfig,
      REINHARDT_CLOUD_METRICS_ADDR: `127.0.0.1:${port}`,
      REINHARDT_CLOUD_METRICS_ENABLED: 'true',
      REINHARDT_LOG_FORMAT: 'json',
      REINHARDT_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines.filter(Boolean));
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  const handle: OperatorProcess = {
    child,
    port,
    logs,
    records: () =>
      logs.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    readyz: async () => {
      const res = await fetch(`${base}/readyz`);
      return { status: res.status, body: await res.text() };
    },
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  await waitFor(
    'the operator health listener',
    async () => {
      if (child.exitCode !== null)
        throw new Error(`operator exited (${child.exitCode}): ${logs.slice(-5).join('\n')}`);
      return (
        (await fetch(`${base}/healthz`)
          .then((r) => r.ok)
          .catch(() => false)) || undefined
      );
    },
    { timeoutMs: 15_000 },
  );
  return handle;
}

/** Reads a counter/gauge sample from Prometheus text (sum over series matching `labels`). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const set = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) sum += Number(match[3]);
  }
  return sum;
}

/** The API server URL of a kubeconfig's current context. */
export function serverOf(kubeconfigPath: string): string {
  return loadKubeConfigFile(kubeconfigPath).getCurrentCluster()?.server ?? '';
}

function base64Of(file: string | undefined, data: string | undefined): string {
  if (data) return data;
  return file ? readFileSync(file).toString('base64') : '';
}

/** A kubeconfig for `server` with the cluster CA and either the admin client certificate or a bearer token. */
export function writeKubeconfig(
  path: string,
  server: string,
  auth: { token?: string; certFrom?: string },
): string {
  const admin = loadKubeConfigFile(clusterPaths().kubeconfig);
  const cluster = admin.getCurrentCluster();
  const adminUser = admin.getCurrentUser();
  const user: Record<string, string> = {};
  if (auth.token) user.token = auth.token;
  else {
    user['client-certificate-data'] = base64Of(adminUser?.certFile, adminUser?.certData);
    user['client-key-data'] = base64Of(adminUser?.keyFile, adminUser?.keyData);
  }
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c',
          cluster: { server, 'certificate-authority-data': base64Of(cluster?.caFile, cluster?.caData) },
        },
      ],
      users: [{ name: 'u', user }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return path;
}

/** TCP proxy in front of the API server: `cut()` resets every connection, `freeze()` stops forwarding. */
export class ApiProxy {
  private readonly sockets = new Set<net.Socket>();
  private frozen = false;
  private server?: net.Server;
  port = 0;

  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port), this.target.hostname);
      this.sockets.add(client);
      this.sockets.add(upstream);
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on('data', (chunk) => {
          if (!this.frozen) to.write(chunk);
        });
      forward(client, upstream);
      forward(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    const server = this.server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.port = (server.address() as net.AddressInfo).port;
  }

  get connections(): number {
    return this.sockets.size / 2;
  }

  cut(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
  }

  /** Silently drops traffic on open connections (new ones too): the "watch stopped without closing" case. */
  freeze(on: boolean): void {
    this.frozen = on;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export const TEST_RUN_LABEL = 'reinhardt.cloud/operator-test-run';

export function projectObject(
  namespace: string,
  name: string,
  run: string,
  spec: Record<string, unknown>,
): KubeObject {
  return {
    apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2',
    kind: 'Project',
    metadata: { name, namespace, labels: { [TEST_RUN_LABEL]: run } },
    spec,
  };
}

export async function applyProject(admin: KubeClient, project: KubeObject): Promise<KubeObject> {
  return admin.apply(RESOURCES.Project, project, 'integration-test');
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export function conditionOf(project: KubeObject | undefined, type: string): Condition | undefined {
  return ((project?.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
    (c) => c.type === type,
  );
}

export async function waitForCondition(
  admin: KubeClient,
  namespace: string,
  name: string,
  type: string,
  status: string,
  reason?: string,
  timeoutMs = 60_000,
): Promise<KubeObject> {
  let last: Condition | undefined;
  try {
    return await waitFor(
      `${namespace}/${name} ${type}=${status}${reason ? ` ${reason}` : ''}`,
      async () => {
        const project = await admin.get(RESOURCES.Project, namespace, name);
        last = conditionOf(project, type);
        const generation = project?.metadata.generation as number | undefined;
        const observed = (project?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
        return last?.status === status && (!reason || last.reason === reason) && observed === generation
          ? project
          : undefined;
      },
      { timeoutMs, intervalMs: 200 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last ${type}: ${JSON.stringify(last)}`);
  }
}

/** A pre-bound hostPath PersistentVolume so the database claim `<project>-db-data` binds (no provisioner here). */
export async function providePersistentVolume(
  admin: KubeClient,
  namespace: string,
  project: string,
  gi = 20,
): Promise<string> {
  const name = uniqueName(`pv-${project}`).slice(0, 63);
  await admin.request('POST', '/api/v1/persistentvolumes', {
    body: {
      metadata: { name, labels: { 'reinhardt.cloud/test-namespace': 'true' } },
      spec: {
        capacity: { storage: `${gi}Gi` },
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: '',
        hostPath: { path: `/tmp/${name}` },
        claimRef: { namespace, name: `${project}-db-data` },
      },
    },
  });
  return name;
}

export function child(admin: KubeClient, kind: keyof typeof RESOURCES, namespace: string, name: string) {
  return admin.get(RESOURCES[kind], namespace, name);
}

export function listPath(kind: keyof typeof RESOURCES, namespace: string): string {
  return resourcePath(RESOURCES[kind], namespace);
}

/**
 * The operator as the Helm chart runs it: the chart's RBAC (rendered with `values`) applied for a
 * ServiceAccount in `namespace`, the operator authenticated with that token and given the chart's env,
 * then `env` on top. Call `rbac.cleanup()` after `operator.stop()`.
 */
export async function startOperatorWithChartRbac(
  kubeconfig: string,
  namespace: string,
  env: Record<string, string>,
  values: Record<string, unknown> = {},
): Promise<{ operator: OperatorProcess; rbac: import('../../charts/test/rbac').ChartRbac }> {
  const { applyChartRbac } = await import('../../charts/test/rbac');
  const rbac = await applyChartRbac(kubeconfig, namespace, { values });
  const operator = await startOperator(rbac.kubeconfigPath, {
    ...rbac.operatorEnv,
    REINHARDT_CLOUD_LEASE_NAMESPACE: namespace,
    ...env,
  });
  return { operator, rbac };
}

/**
 * What an operator run with the chart's RBAC must show: no 403 counted, and no log line saying forbidden (a
 * 403 always carries reason Forbidden; matching "403" would also catch a random port in a log line).
 */
export async function neverForbidden(operator: OperatorProcess | undefined): Promise<{
  forbiddenResponses: number;
  forbiddenLogLines: string[];
}> {
  const metrics = (await operator?.metrics()) ?? '';
  return {
    forbiddenResponses: metricValue(metrics, 'reinhardt_cloud_operator_api_errors_total', { code: '403' }),
    forbiddenLogLines: (operator?.logs ?? []).filter((l) => /forbidden/i.test(l)),
  };
}

/** Log records of errors and permanently failed reconciles (transient retries are normal). */
export function reconcileFailures(operator: OperatorProcess | undefined): string[] {
  return (operator?.records() ?? [])
    .filter((r) => r.level === 'error' || r.errorClass === 'permanent')
    .map((r) => `${r.project}: ${r.message}: ${JSON.stringify(r.error)}`);
}
