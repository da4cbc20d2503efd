// The shared test cluster: a real kube-apiserver, controller-manager and scheduler with kwok nodes,
// started by test/cluster/up.sh. Every integration test in the repo goes through these helpers so
// that one cluster serves the whole run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeConfig } from '@kubernetes/client-node';

export interface Cluster {
  /** `.cluster/kubeconfig`: admin (system:masters) client certificate, usable by any process. */
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
}

export interface TestNamespace {
  name: string;
  /** Deletes the namespace; `wait: true` also waits until the namespace is gone (finalizers done). */
  cleanup(options?: { wait?: boolean }): Promise<void>;
}

export interface ClusterPaths {
  repoRoot: string;
  stateDir: string;
  kubeconfig: string;
  binDir: string;
  upScript: string;
  downScript: string;
}

/** Label put on every namespace made by createTestNamespace, to find leftovers. */
export const TEST_NAMESPACE_LABEL = 'reinhardt.cloud/test-namespace';

export function clusterPaths(): ClusterPaths {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const stateDir = process.env.REINHARDT_CLUSTER_DIR ?? join(repoRoot, '.cluster');
  return {
    repoRoot,
    stateDir,
    kubeconfig: join(stateDir, 'kubeconfig'),
    binDir: join(stateDir, 'bin'),
    upScript: join(repoRoot, 'test', 'cluster', 'up.sh'),
    downScript: join(repoRoot, 'test', 'cluster', 'down.sh'),
  };
}

/** kubectl of the cluster's Kubernetes version (exists once the cluster has been started). */
export function kubectlPath(): string {
  return join(clusterPaths().binDir, 'kubectl');
}

/** helm built by test/cluster/build.sh (exists once the cluster has been started). */
export function helmPath(): string {
  return join(clusterPaths().binDir, 'helm');
}

async function loadKubeConfig(path: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

/** True when the kubeconfig's API server answers /readyz. */
export async function isApiReady(kc: KubeConfig): Promise<boolean> {
  const { Health } = await import('@kubernetes/client-node');
  try {
    return await new Health(kc).readyz({ timeout: 3000 });
  } catch {
    return false;
  }
}

function runScript(script: string, args: string[] = []): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // stderr goes straight through: a cold start builds Kubernetes and its progress should be visible.
    const child = spawn('bash', [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise(stdout);
      else
        reject(
          new Error(
            `${script} failed (${signal ?? `exit ${code}`}); see the messages above and the logs in ${clusterPaths().stateDir}/logs`,
          ),
        );
    });
  });
}

let clusterPromise: Promise<Cluster & { startedHere: boolean }> | undefined;

/**
 * Starts the cluster, or reuses the one recorded in `.cluster/kubeconfig` when its API answers.
 * `startedHere` tells whether this call (in this process) had to start it.
 */
export function ensureClusterDetailed(): Promise<Cluster & { startedHere: boolean }> {
  clusterPromise ??= (async () => {
    const paths = clusterPaths();
    if (existsSync(paths.kubeconfig)) {
      const kubeConfig = await loadKubeConfig(paths.kubeconfig);
      if (await isApiReady(kubeConfig))
        return { kubeconfigPath: paths.kubeconfig, kubeConfig, startedHere: false };
    }
    await runScript(paths.upScript);
    const kubeConfig = await loadKubeConfig(paths.kubeconfig);
    if (!(await isApiReady(kubeConfig)))
      throw new Error(
        `${paths.upScript} finished but the API server in ${paths.kubeconfig} does not answer /readyz`,
      );
    return { kubeconfigPath: paths.kubeconfig, kubeConfig, startedHere: true };
  })();
  clusterPromise.catch(() => {
    clusterPromise = undefined;
  });
  return clusterPromise;
}

/** Starts the shared test cluster or reuses the running one. */
export async function ensureCluster(): Promise<Cluster> {
  const { kubeconfigPath, kubeConfig } = await ensureClusterDetailed();
  return { kubeconfigPath, kubeConfig };
}

/** Stops the cluster and removes `.cluster` (what `npm run cluster:down` does). */
export async function stopCluster(): Promise<void> {
  clusterPromise = undefined;
  await runScript(clusterPaths().downScript);
}

/** A DNS-1123 label: `<prefix>-<time>-<random>`, at most 63 characters. */
export function uniqueName(prefix: string): string {
  const cleaned =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'test';
  return `${cleaned}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Polls `check` until it returns a value other than undefined/false, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 30_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Creates a uniquely named namespace and waits for its `default` ServiceAccount (pods cannot be
 * created before the controller-manager has made it).
 */
export async function createTestNamespace(kc: KubeConfig, prefix: string): Promise<TestNamespace> {
  const { CoreV1Api } = await import('@kubernetes/client-node');
  const core = kc.makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({ body: { metadata: { name, labels: { [TEST_NAMESPACE_LABEL]: 'true' } } } });
  await waitFor(`ServiceAccount default in namespace ${name}`, async () => {
    await core.readNamespacedServiceAccount({ name: 'default', namespace: name });
    return true;
  });
  return {
    name,
    async cleanup({ wait = false } = {}) {
      try {
        await core.deleteNamespace({ name });
      } catch (error) {
        if (statusCode(error) !== 404) throw error;
      }
      if (!wait) return;
      await waitFor(
        `namespace ${name} to be deleted`,
        async () => {
          try {
            await core.readNamespace({ name });
            return false;
          } catch (error) {
            if (statusCode(error) === 404) return true;
            throw error;
          }
        },
        { timeoutMs: 60_000 },
      );
    },
  };
}

/** Ensures the cluster and creates a test namespace in it. */
export async function withNamespace(prefix: string): Promise<TestNamespace & Cluster>;
/** Ensures the cluster, runs `body` in a fresh namespace, and deletes the namespace afterwards. */
export async function withNamespace<T>(
  prefix: string,
  body: (namespace: string, cluster: Cluster) => Promise<T>,
): Promise<T>;
export async function withNamespace<T>(
  prefix: string,
  body?: (namespace: string, cluster: Cluster) => Promise<T>,
): Promise<T | (TestNamespace & Cluster)> {
  const cluster = await ensureCluster();
  const namespace = await createTestNamespace(cluster.kubeConfig, prefix);
  if (!body) return { ...cluster, ...namespace };
  try {
    return await body(namespace.name, cluster);
  } finally {
    await namespace.cleanup();
  }
}
