// Cluster credentials: the in-cluster ServiceAccount, or a kubeconfig file ($KUBECONFIG, ~/.kube/config).
// Written here rather than taken from @kubernetes/client-node: the operator needs only TLS material, a
// bearer token and the server URL, and keeping the generated clients out keeps the bundle and start small
// (client-node 2.x, through undici 8, does not even load on Node 20).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ClusterCredentials {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Re-read on every call: projected ServiceAccount tokens rotate. */
  token?: () => string;
  insecureSkipTlsVerify?: boolean;
  source: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface NamedEntry<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

function pick<T>(list: unknown, name: string | undefined, field: string): T | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = (list as NamedEntry<T>[]).find((e) => e.name === name);
  return entry?.[field] as T | undefined;
}

function material(data: unknown, file: unknown, base: string): Buffer | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  if (typeof file === 'string' && file) return readFileSync(file.startsWith('/') ? file : join(base, file));
  return undefined;
}

export function loadKubeconfigFile(path: string, contextName?: string): ClusterCredentials {
  const doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ctxName = contextName ?? (doc['current-context'] as string | undefined);
  const context = pick<{ cluster?: string; user?: string }>(doc.contexts, ctxName, 'context');
  if (!context) throw new Error(`${path}: context '${ctxName ?? ''}' not found`);
  const cluster = pick<Record<string, unknown>>(doc.clusters, context.cluster, 'cluster');
  if (!cluster?.server) throw new Error(`${path}: cluster '${context.cluster ?? ''}' has no server`);
  const user = pick<Record<string, unknown>>(doc.users, context.user, 'user') ?? {};
  const base = join(path, '..');
  if (user.exec || user['auth-provider']) {
    throw new Error(
      `${path}: user '${context.user}' uses an exec/auth-provider plugin, which the operator does not support; use a token or client certificate`,
    );
  }
  const credentials: ClusterCredentials = { server: String(cluster.server), source: path };
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority'], base);
  if (ca) credentials.ca = ca;
  const cert = material(user['client-certificate-data'], user['client-certificate'], base);
  if (cert) credentials.cert = cert;
  const key = material(user['client-key-data'], user['client-key'], base);
  if (key) credentials.key = key;
  if (typeof user.token === 'string' && user.token) {
    const token = user.token;
    credentials.token = () => token;
  } else if (typeof user.tokenFile === 'string') {
    const file = user.tokenFile;
    credentials.token = () => readFileSync(file, 'utf8').trim();
  }
  if (cluster['insecure-skip-tls-verify'] === true) credentials.insecureSkipTlsVerify = true;
  return credentials;
}

export function loadCredentials(env: NodeJS.ProcessEnv = process.env): ClusterCredentials {
  const explicit = env.KUBECONFIG?.split(':').find((p) => p && existsSync(p));
  if (explicit) return loadKubeconfigFile(explicit);
  const host = env.KUBERNETES_SERVICE_HOST;
  if (host && existsSync(`${SA_DIR}/token`)) {
    const port = env.KUBERNETES_SERVICE_PORT ?? '443';
    return {
      server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
      ca: readFileSync(`${SA_DIR}/ca.crt`),
      token: () => readFileSync(`${SA_DIR}/token`, 'utf8').trim(),
      source: 'in-cluster service account',
    };
  }
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return loadKubeconfigFile(home);
  throw new Error('no Kubernetes credentials: set KUBECONFIG, run in a cluster, or create ~/.kube/config');
}
