// Acting as the chart's ServiceAccount: render the chart's RBAC with `helm template`, apply it, mint a
// TokenRequest token and write a kubeconfig that authenticates with it. Used by the chart's RBAC tests
// and by the operator's "run with the chart's RBAC" integration test.
import { randomBytes } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { kubectl, RBAC_KINDS, type RenderedObject, renderChart, toManifest } from './helm';

export interface ChartRbacOptions {
  /** Helm release name (names the ClusterRole/bindings); default a unique `rco-<time>-<hex>`. */
  release?: string;
  /** Chart value `watchNamespaces` (namespace-scoped mode); default [] (all namespaces). */
  watchNamespaces?: string[];
  /** Any other chart values, merged over the above. */
  values?: Record<string, unknown>;
  /** Token lifetime; default 3600 s. */
  tokenSeconds?: number;
  /** Where to write the ServiceAccount's kubeconfig; default a file in the OS temp dir. */
  kubeconfigOut?: string;
}

export interface ChartRbac {
  /** ServiceAccount name (in `namespace`). */
  serviceAccount: string;
  /** `system:serviceaccount:<namespace>:<serviceAccount>`, the user the API server sees. */
  username: string;
  /** The TokenRequest token. */
  token: string;
  /** A kubeconfig for the admin kubeconfig's cluster that authenticates with `token`. */
  kubeconfigPath: string;
  release: string;
  namespace: string;
  /** The RBAC objects applied (ServiceAccount, ClusterRole(s), Role, bindings). */
  objects: RenderedObject[];
  /**
   * The literal env vars the chart gives the operator container, with POD_NAMESPACE resolved to
   * `namespace`; the listener address (REINHARDT_CLOUD_METRICS_ADDR/_ENABLED) is left out so the
   * caller can choose a free port. The Lease name here is the only one the chart's Role lets it renew.
   */
  operatorEnv: Record<string, string>;
  /** Deletes the applied objects (cluster-scoped ones too) and the kubeconfig file. */
  cleanup(): Promise<void>;
}

interface KubeconfigCluster {
  server: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
}

/** The admin kubeconfig's current cluster, with a relative CA path made absolute. */
async function currentCluster(kubeconfigPath: string): Promise<{ name: string; cluster: KubeconfigCluster }> {
  const doc = parse(await readFile(kubeconfigPath, 'utf8')) as {
    'current-context'?: string;
    contexts?: { name: string; context: { cluster: string } }[];
    clusters?: { name: string; cluster: KubeconfigCluster }[];
  };
  const contextName = doc['current-context'];
  const context = doc.contexts?.find((c) => c.name === contextName);
  if (!context) throw new Error(`${kubeconfigPath}: current-context '${contextName ?? ''}' not found`);
  const entry = doc.clusters?.find((c) => c.name === context.context.cluster);
  if (!entry?.cluster?.server)
    throw new Error(`${kubeconfigPath}: cluster '${context.context.cluster}' not found or has no server`);
  const cluster = { ...entry.cluster };
  const ca = cluster['certificate-authority'];
  if (ca && !isAbsolute(ca)) cluster['certificate-authority'] = resolve(dirname(kubeconfigPath), ca);
  return { name: entry.name, cluster };
}

/** Writes a kubeconfig (mode 0600) for `cluster` that authenticates with a bearer token. */
export async function writeTokenKubeconfig(
  path: string,
  cluster: { name: string; cluster: KubeconfigCluster },
  user: string,
  token: string,
): Promise<void> {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [cluster],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: cluster.name, user } }],
    'current-context': user,
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}

function uniqueRelease(): string {
  return `rco-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function operatorEnvOf(objects: RenderedObject[], namespace: string): Record<string, string> {
  const deployment = objects.find((o) => o.kind === 'Deployment') as
    | { spec: { template: { spec: { containers: { env?: { name: string; value?: string }[] }[] } } } }
    | undefined;
  const env: Record<string, string> = {};
  for (const entry of deployment?.spec.template.spec.containers[0]?.env ?? []) {
    if (entry.value === undefined) continue;
    if (entry.name === 'REINHARDT_CLOUD_METRICS_ADDR' || entry.name === 'REINHARDT_CLOUD_METRICS_ENABLED')
      continue;
    env[entry.name] = entry.value;
  }
  env.POD_NAMESPACE = namespace;
  return env;
}

/**
 * Renders the operator chart's RBAC for a release in `namespace` (the operator's own namespace), applies
 * it with the admin kubeconfig, and returns a token kubeconfig for the chart's ServiceAccount.
 * `namespace` must exist. Call `cleanup()` afterwards: ClusterRoles and ClusterRoleBindings outlive it.
 */
export async function applyChartRbac(
  kubeconfigPath: string,
  namespace: string,
  options: ChartRbacOptions = {},
): Promise<ChartRbac> {
  const release = options.release ?? uniqueRelease();
  const rendered = await renderChart({
    release,
    namespace,
    values: { watchNamespaces: options.watchNamespaces ?? [], ...options.values },
  });
  const objects = rendered.filter((o) => RBAC_KINDS.has(o.kind));
  const account = objects.find((o) => o.kind === 'ServiceAccount');
  if (!account)
    throw new Error('the chart rendered no ServiceAccount (serviceAccount.create must stay true)');
  const manifest = toManifest(objects);
  const outPath = options.kubeconfigOut ?? join(tmpdir(), `${release}-${namespace}.kubeconfig`);
  const cleanup = async () => {
    await kubectl(kubeconfigPath, ['delete', '--ignore-not-found', '--wait=false', '-f', '-'], {
      input: manifest,
    });
    await rm(outPath, { force: true });
  };
  try {
    await kubectl(kubeconfigPath, ['apply', '-f', '-'], { input: manifest });
    const serviceAccount = account.metadata.name;
    const { stdout } = await kubectl(kubeconfigPath, [
      'create',
      'token',
      serviceAccount,
      '--namespace',
      namespace,
      `--duration=${options.tokenSeconds ?? 3600}s`,
    ]);
    const token = stdout.trim();
    const username = `system:serviceaccount:${namespace}:${serviceAccount}`;
    await writeTokenKubeconfig(outPath, await currentCluster(kubeconfigPath), serviceAccount, token);
    return {
      serviceAccount,
      username,
      token,
      kubeconfigPath: outPath,
      release,
      namespace,
      objects,
      operatorEnv: operatorEnvOf(rendered, namespace),
      cleanup,
    };
  } catch (error) {
    await cleanup().catch(() => undefined);
    throw error;
  }
}

/** One question for the authorizer: may the caller `verb` `resource` (`group`, `subresource`) in `namespace`? */
export interface AccessCheck {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  /** Absent: cluster-wide (all namespaces, or a cluster-scoped resource). */
  namespace?: string;
  name?: string;
}

/**
 * Asks the API server's authorizer (SelfSubjectAccessReview, one kubectl call for all checks) what the
 * identity of `kubeconfigPath` may do; answers in the order of `checks`.
 */
export async function accessReviews(kubeconfigPath: string, checks: AccessCheck[]): Promise<boolean[]> {
  const reviews = checks.map((check) => ({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb: check.verb,
        resource: check.resource,
        group: check.group ?? '',
        ...(check.subresource ? { subresource: check.subresource } : {}),
        ...(check.namespace ? { namespace: check.namespace } : {}),
        ...(check.name ? { name: check.name } : {}),
      },
    },
  }));
  // kubectl prints one answer per review, in order.
  const { stdout } = await kubectl(
    kubeconfigPath,
    ['create', '-o', 'jsonpath={.status.allowed}{"\\n"}', '-f', '-'],
    {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: reviews }),
    },
  );
  const answers = stdout.split('\n').filter((line) => line !== '');
  if (answers.length !== checks.length)
    throw new Error(`asked ${checks.length} access reviews, the API server answered ${answers.length}`);
  return answers.map((answer) => answer === 'true');
}

export function describeCheck(check: AccessCheck): string {
  const resource = `${check.resource}${check.subresource ? `/${check.subresource}` : ''}${check.group ? `.${check.group}` : ''}`;
  return `${check.verb} ${resource}${check.name ? ` ${check.name}` : ''} in ${check.namespace ?? '(cluster-wide)'}`;
}
