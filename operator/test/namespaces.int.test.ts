// Namespace-wide policy on the simulated cluster, with only the chart's RBAC: a tenant namespace gets its
// labels, quota, default limits and network policies, and its Projects' pods are still admitted; a tenant
// Project in the wrong namespace is refused; `spec.isolation` makes the API server enforce the restricted
// Pod Security Standard, every pod the operator renders passes it, a root pod is rejected, and the labels
// follow the Projects of the namespace (baseline when one is not isolated, released when none is left).
import type { KubeObject } from '@reinhardt-cloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRbac } from '../../charts/test/rbac';
import { ApiError, type KubeClient, RESOURCES } from '../src/kube';
import {
  applyProject,
  child,
  conditionOf,
  createNamespace,
  deleteNamespace,
  ensureClusterUp,
  installCrd,
  neverForbidden,
  type OperatorProcess,
  projectObject,
  providePersistentVolume,
  startOperatorWithChartRbac,
  TEST_RUN_LABEL,
  uniqueName,
  waitFor,
  waitForCondition,
} from './harness';

let admin: KubeClient;
let kubeconfig: string;
let operatorNamespace: string;
let run: string;
let rbac: ChartRbac | undefined;
let operator: OperatorProcess | undefined;
const namespaces: string[] = [];

async function labelsOf(namespace: string): Promise<Record<string, string>> {
  return (await admin.get(RESOURCES.Namespace, '', namespace))?.metadata.labels ?? {};
}

function pss(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')),
  );
}

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  operatorNamespace = await createNamespace(admin, 'nspol-op');
  namespaces.push(operatorNamespace);
  run = uniqueName('run');
  ({ operator, rbac } = await startOperatorWithChartRbac(
    kubeconfig,
    operatorNamespace,
    { REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}` },
    // The chart's own value for the tenant quota (REINHARDT_CLOUD_TENANT_QUOTA), laid over the defaults.
    { tenants: { quota: { pods: '40', 'requests.storage': '' } } },
  ));
  await waitFor('the operator to be ready', async () => (await operator?.readyz())?.status === 200, {
    timeoutMs: 30_000,
  });
});

afterAll(async () => {
  await operator?.stop();
  await rbac?.cleanup();
  for (const namespace of namespaces) await deleteNamespace(admin, namespace);
});

describe('tenants', () => {
  it('labels the tenant namespace, adds quota, default limits and policies, and its pods are admitted', async () => {
    const organization = uniqueName('org');
    const namespace = `tenant-${organization}`;
    await admin.request('POST', '/api/v1/namespaces', { body: { metadata: { name: namespace } } });
    namespaces.push(namespace);
    await waitFor(
      'the default ServiceAccount',
      async () => (await admin.get(RESOURCES.ServiceAccount, namespace, 'default')) !== undefined,
    );
    await providePersistentVolume(admin, namespace, 'orders', 5);
    await applyProject(
      admin,
      projectObject(namespace, 'orders', run, {
        image: 'registry.example.test/orders:1.0.0',
        tenant: { organization },
        database: { engine: 'postgresql', storage_gb: 5 },
        cache: {},
      }),
    );
    // Ready needs the database and Redis pods: with the quota on cpu/memory limits they are only admitted
    // because the tenant LimitRange fills in what their containers leave out.
    const ready = await waitForCondition(
      admin,
      namespace,
      'orders',
      'Ready',
      'True',
      'ReconcileSuccess',
      90_000,
    );
    expect(conditionOf(ready, 'DatabaseReady')?.status).toBe('True');
    expect(conditionOf(ready, 'CacheReady')?.status).toBe('True');

    const labels = await labelsOf(namespace);
    expect(labels).toMatchObject({
      'paas.reinhardt-cloud.dev/tenant': organization,
      'app.kubernetes.io/managed-by': 'reinhardt-cloud-operator',
    });
    const quota = await admin.get(RESOURCES.ResourceQuota, namespace, 'tenant-default-quota');
    const hard = (quota?.spec as { hard: Record<string, string> } | undefined)?.hard;
    expect(hard).toMatchObject({ pods: '40', 'limits.cpu': '20', 'requests.memory': '20Gi' });
    expect(hard?.['requests.storage']).toBeUndefined();
    // The quota really counts this tenant's pods (the API server's quota controller fills in `used`).
    await waitFor('the quota to count the pods', async () => {
      const q = await admin.get(RESOURCES.ResourceQuota, namespace, 'tenant-default-quota');
      return Number((q?.status as { used?: Record<string, string> } | undefined)?.used?.pods ?? 0) >= 2;
    });
    expect(await admin.get(RESOURCES.LimitRange, namespace, 'tenant-default-limits')).toBeDefined();
    for (const policy of [
      'tenant-default-deny',
      'tenant-allow-same-namespace',
      'tenant-allow-ingress-controller',
    ])
      expect(await admin.get(RESOURCES.NetworkPolicy, namespace, policy), policy).toBeDefined();
  });

  it('refuses a tenant Project outside its computed namespace and creates nothing for it', async () => {
    const namespace = await createNamespace(admin, 'nspol-wrong');
    namespaces.push(namespace);
    await applyProject(
      admin,
      projectObject(namespace, 'stray', run, {
        image: 'registry.example.test/stray:1.0.0',
        tenant: { organization: 'acme' },
      }),
    );
    const failed = await waitForCondition(
      admin,
      namespace,
      'stray',
      'Degraded',
      'True',
      'TenantMismatch',
      30_000,
    );
    expect(conditionOf(failed, 'Degraded')?.message).toBe(
      `tenant namespace mismatch: expected 'tenant-acme' from spec.tenant, got '${namespace}' on metadata.namespace`,
    );
    expect((failed.status as { phase: string }).phase).toBe('failed');
    expect(await child(admin, 'Deployment', namespace, 'stray')).toBeUndefined();
    expect(await admin.get(RESOURCES.ResourceQuota, namespace, 'tenant-default-quota')).toBeUndefined();
    expect((await labelsOf(namespace))['paas.reinhardt-cloud.dev/tenant']).toBeUndefined();
  });
});

describe('isolation and Pod Security', () => {
  let namespace: string;
  const isolated = {
    image: 'registry.example.test/vault:1.0.0',
    isolation: { level: 'None' },
    database: { engine: 'postgresql', storage_gb: 5 },
    cache: {},
    worker: { concurrency: 1 },
  };

  it('enforces restricted, and every pod of the isolated Project is admitted under it', async () => {
    namespace = await createNamespace(admin, 'nspol-iso');
    namespaces.push(namespace);
    // A cluster admin's own choice is never overridden by the operator.
    await admin.patch(
      RESOURCES.Namespace,
      '',
      namespace,
      { metadata: { labels: { 'pod-security.kubernetes.io/audit': 'baseline' } } },
      'merge',
    );
    await providePersistentVolume(admin, namespace, 'vault', 5);
    await applyProject(admin, projectObject(namespace, 'vault', run, isolated));
    await waitFor(
      'the restricted labels',
      async () => pss(await labelsOf(namespace))['pod-security.kubernetes.io/enforce'] === 'restricted',
    );
    const ready = await waitForCondition(
      admin,
      namespace,
      'vault',
      'Ready',
      'True',
      'ReconcileSuccess',
      90_000,
    );
    for (const type of ['DatabaseReady', 'CacheReady', 'WorkerReady', 'MigrationReady'])
      expect(conditionOf(ready, type)?.status, type).toBe('True');
    expect(pss(await labelsOf(namespace))).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'baseline',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });

    // The enforcement is real: the API server rejects a pod that runs as root.
    const rootPod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'root', namespace },
      spec: { containers: [{ name: 'sh', image: 'busybox' }] },
    };
    const rejected = await admin
      .request('POST', `/api/v1/namespaces/${namespace}/pods`, { body: rootPod })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(rejected).toBeInstanceOf(ApiError);
    expect((rejected as ApiError).message).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  it('drops to baseline while a Project without isolation shares the namespace, and releases the labels', async () => {
    await applyProject(
      admin,
      projectObject(namespace, 'plain', run, { image: 'registry.example.test/plain:1.0.0' }),
    );
    await waitFor(
      'enforce baseline',
      async () => pss(await labelsOf(namespace))['pod-security.kubernetes.io/enforce'] === 'baseline',
    );
    await waitForCondition(admin, namespace, 'plain', 'Ready', 'True', 'ReconcileSuccess', 60_000);
    expect(
      operator
        ?.records()
        .some(
          (r) =>
            r.message === 'namespace policy applied' &&
            /without spec.isolation/.test(String(r.podSecurityReason)),
        ),
    ).toBe(true);

    // The isolated Project goes: nothing in the namespace asks for isolation, so the operator's labels go too,
    // and the admin's label stays.
    await admin.delete(RESOURCES.Project, namespace, 'vault');
    await waitFor(
      'the Project to be gone',
      async () => (await admin.get(RESOURCES.Project, namespace, 'vault')) === undefined,
      { timeoutMs: 30_000 },
    );
    await waitFor('the operator labels to be released', async () => {
      const labels = pss(await labelsOf(namespace));
      return labels['pod-security.kubernetes.io/enforce'] === undefined;
    });
    expect(pss(await labelsOf(namespace))).toEqual({ 'pod-security.kubernetes.io/audit': 'baseline' });

    expect(await neverForbidden(operator)).toEqual({ forbiddenResponses: 0, forbiddenLogLines: [] });
  });
});
