// The chart's RBAC applied to the simulated cluster: the ServiceAccount, authenticated with a real
// TokenRequest token, may do each thing the operator does and nothing it does not need.
import { join } from 'node:path';
import { createTestNamespace, ensureCluster, type TestNamespace } from '@reinhardt-cloud/test/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIR, CommandError, kubectl } from './helm';
import { type AccessCheck, accessReviews, applyChartRbac, type ChartRbac, describeCheck } from './rbac';

let adminKubeconfig: string;
const namespaces: TestNamespace[] = [];

async function namespace(prefix: string): Promise<string> {
  const { kubeConfig } = await ensureCluster();
  const ns = await createTestNamespace(kubeConfig, prefix);
  namespaces.push(ns);
  return ns.name;
}

beforeAll(async () => {
  adminKubeconfig = (await ensureCluster()).kubeconfigPath;
  // The chart's own CRD copy (identical to schemas/, see crd.test.ts), so Projects can really be listed.
  await kubectl(adminKubeconfig, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    join(CHART_DIR, 'crds', 'project-crd.yaml'),
  ]);
  await kubectl(adminKubeconfig, [
    'wait',
    '--for=condition=Established',
    '--timeout=30s',
    'crd/projects.paas.reinhardt-cloud.dev',
  ]);
});

afterAll(async () => {
  await Promise.all(namespaces.map((ns) => ns.cleanup()));
});

/** What the operator does in a namespace where it manages Projects (operator/src/controller.ts). */
function operatorWork(ns: string | undefined): AccessCheck[] {
  const checks: AccessCheck[] = [];
  const add = (group: string, resources: string[], verbs: string[]) => {
    for (const resource of resources)
      for (const verb of verbs) checks.push({ group, resource, verb, namespace: ns });
  };
  add('paas.reinhardt-cloud.dev', ['projects'], ['get', 'list', 'watch', 'patch', 'update']);
  checks.push({
    group: 'paas.reinhardt-cloud.dev',
    resource: 'projects',
    subresource: 'status',
    verb: 'patch',
    namespace: ns,
  });
  checks.push({
    group: 'paas.reinhardt-cloud.dev',
    resource: 'projects',
    subresource: 'finalizers',
    verb: 'update',
    namespace: ns,
  });
  const children: [string, string[]][] = [
    ['apps', ['deployments', 'statefulsets']],
    ['batch', ['jobs']],
    [
      '',
      [
        'services',
        'secrets',
        'configmaps',
        'persistentvolumeclaims',
        'serviceaccounts',
        'limitranges',
        'resourcequotas',
      ],
    ],
    ['networking.k8s.io', ['ingresses', 'networkpolicies']],
    ['autoscaling', ['horizontalpodautoscalers']],
  ];
  for (const [group, resources] of children)
    add(group, resources, ['get', 'list', 'watch', 'create', 'patch', 'delete']);
  add('', ['events'], ['create', 'patch']);
  add('events.k8s.io', ['events'], ['create', 'patch']);
  // The namespace itself (cluster-scoped): tenant and Pod Security labels (operator/src/namespaces.ts).
  if (ns) for (const verb of ['get', 'patch']) checks.push({ resource: 'namespaces', verb, name: ns });
  return checks;
}

/** Things an operator with a bug or a stolen token must not be able to do. */
function forbiddenEverywhere(ns: string, operatorNs: string): AccessCheck[] {
  return [
    { resource: 'nodes', verb: 'delete' },
    { resource: 'nodes', verb: 'list' },
    { resource: 'namespaces', verb: 'create' },
    { resource: 'namespaces', verb: 'delete', name: ns },
    { resource: 'pods', verb: 'create', namespace: ns },
    { resource: 'pods', subresource: 'exec', verb: 'create', namespace: ns },
    { resource: 'secrets', verb: 'deletecollection', namespace: ns },
    { resource: 'secrets', verb: 'update', namespace: ns },
    { group: 'apps', resource: 'deployments', verb: 'update', namespace: ns },
    { group: 'apps', resource: 'daemonsets', verb: 'create', namespace: ns },
    { group: 'paas.reinhardt-cloud.dev', resource: 'projects', verb: 'create', namespace: ns },
    { group: 'paas.reinhardt-cloud.dev', resource: 'projects', verb: 'delete', namespace: ns },
    { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'create' },
    { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', verb: 'escalate' },
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verb: 'create', namespace: ns },
    { group: 'rbac.authorization.k8s.io', resource: 'roles', verb: 'bind', namespace: ns },
    { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verb: 'update' },
    { resource: 'users', verb: 'impersonate' },
    { resource: 'serviceaccounts', subresource: 'token', verb: 'create', namespace: ns },
    { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: ns },
    {
      group: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'update',
      namespace: operatorNs,
      name: 'someone-elses-lease',
    },
    {
      group: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'delete',
      namespace: operatorNs,
      name: 'someone-elses-lease',
    },
  ];
}

function leaderElection(operatorNs: string, leaseName: string): AccessCheck[] {
  return [
    { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: operatorNs },
    { group: 'coordination.k8s.io', resource: 'leases', verb: 'get', namespace: operatorNs, name: leaseName },
    {
      group: 'coordination.k8s.io',
      resource: 'leases',
      verb: 'update',
      namespace: operatorNs,
      name: leaseName,
    },
  ];
}

async function expectAccess(rbac: ChartRbac, allowed: AccessCheck[], denied: AccessCheck[]): Promise<void> {
  const answers = await accessReviews(rbac.kubeconfigPath, [...allowed, ...denied]);
  const wrong = [
    ...allowed.filter((_, i) => !answers[i]).map((c) => `denied but needed: ${describeCheck(c)}`),
    ...denied
      .filter((_, i) => answers[allowed.length + i])
      .map((c) => `allowed but not needed: ${describeCheck(c)}`),
  ];
  expect(wrong).toEqual([]);
}

async function forbidden(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CommandError) return error.stderr;
    throw error;
  }
  throw new Error('expected the request to be forbidden, but it succeeded');
}

describe('chart RBAC, all namespaces (default)', () => {
  let rbac: ChartRbac;
  let operatorNs: string;
  let appNs: string;

  beforeAll(async () => {
    [operatorNs, appNs] = await Promise.all([namespace('charts-rbac-op'), namespace('charts-rbac-app')]);
    rbac = await applyChartRbac(adminKubeconfig, operatorNs);
  });
  afterAll(async () => {
    await rbac?.cleanup();
  });

  it('returns a ServiceAccount token kubeconfig and the chart env for the operator', () => {
    expect(rbac.serviceAccount).toBe(`${rbac.release}-reinhardt-cloud-operator`);
    expect(rbac.username).toBe(`system:serviceaccount:${operatorNs}:${rbac.serviceAccount}`);
    expect(rbac.token.split('.')).toHaveLength(3);
    expect(rbac.operatorEnv).toMatchObject({
      POD_NAMESPACE: operatorNs,
      REINHARDT_CLOUD_LEASE_NAMESPACE: operatorNs,
      REINHARDT_CLOUD_LEASE_NAME: rbac.serviceAccount,
    });
    expect(rbac.operatorEnv.REINHARDT_CLOUD_METRICS_ADDR).toBeUndefined();
  });

  it('lets the ServiceAccount do what the operator does, in any namespace and cluster-wide', async () => {
    const leaseName = rbac.operatorEnv.REINHARDT_CLOUD_LEASE_NAME!;
    const clusterWideReads = operatorWork(undefined).filter((c) => c.verb === 'list' || c.verb === 'watch');
    await expectAccess(
      rbac,
      [...operatorWork(appNs), ...clusterWideReads, ...leaderElection(operatorNs, leaseName)],
      forbiddenEverywhere(appNs, operatorNs),
    );
  });

  it('authenticates real requests with the token', async () => {
    const as = rbac.kubeconfigPath;
    const { stdout: whoami } = await kubectl(as, [
      'auth',
      'whoami',
      '-o',
      'jsonpath={.status.userInfo.username}',
    ]);
    expect(whoami).toBe(rbac.username);
    await kubectl(as, ['get', 'projects.paas.reinhardt-cloud.dev', '--all-namespaces']);
    await kubectl(as, ['create', 'configmap', 'made-by-operator-sa', '-n', appNs, '--from-literal=a=b']);
    await kubectl(as, ['delete', 'configmap', 'made-by-operator-sa', '-n', appNs]);
    expect(await forbidden(kubectl(as, ['get', 'nodes']))).toContain('forbidden');
    expect(await forbidden(kubectl(as, ['create', 'namespace', `${appNs}-x`]))).toContain('forbidden');
  });
});

describe('chart RBAC, namespace-scoped (watchNamespaces)', () => {
  let rbac: ChartRbac;
  let operatorNs: string;
  let watchedNs: string;
  let otherNs: string;

  beforeAll(async () => {
    [operatorNs, watchedNs, otherNs] = await Promise.all([
      namespace('charts-rbacns-op'),
      namespace('charts-rbacns-app'),
      namespace('charts-rbacns-other'),
    ]);
    rbac = await applyChartRbac(adminKubeconfig, operatorNs, { watchNamespaces: [watchedNs] });
  });
  afterAll(async () => {
    await rbac?.cleanup();
  });

  it('allows the operator work only in the watched namespace', async () => {
    const leaseName = rbac.operatorEnv.REINHARDT_CLOUD_LEASE_NAME!;
    expect(rbac.operatorEnv.REINHARDT_CLOUD_WATCH_NAMESPACES).toBe(watchedNs);
    const ingressReads = ['get', 'list', 'watch'].map((verb) => ({
      group: 'networking.k8s.io',
      resource: 'ingresses',
      verb,
    }));
    await expectAccess(
      rbac,
      [...operatorWork(watchedNs), ...leaderElection(operatorNs, leaseName), ...ingressReads],
      [
        ...operatorWork(otherNs).filter(
          (c) =>
            !(
              c.group === 'networking.k8s.io' &&
              c.resource === 'ingresses' &&
              ['get', 'list', 'watch'].includes(c.verb)
            ),
        ),
        ...operatorWork(undefined).filter((c) => c.resource !== 'ingresses'),
        ...forbiddenEverywhere(watchedNs, operatorNs),
      ],
    );
  });

  it('cannot read Secrets outside the watched namespace with the token', async () => {
    const as = rbac.kubeconfigPath;
    await kubectl(as, ['get', 'secrets', '-n', watchedNs]);
    expect(await forbidden(kubectl(as, ['get', 'secrets', '-n', otherNs]))).toContain('forbidden');
    expect(await forbidden(kubectl(as, ['get', 'secrets', '--all-namespaces']))).toContain('forbidden');
  });
});
