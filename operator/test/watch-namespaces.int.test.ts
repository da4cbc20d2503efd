// Namespace-scoped mode: the chart's RBAC with `watchNamespaces` (RoleBindings in the watched namespace,
// cluster-wide Ingress read only) and REINHARDT_CLOUD_WATCH_NAMESPACES. The operator lists and watches per
// namespace, manages a Project in the watched namespace, leaves one elsewhere untouched, and is never
// forbidden anything.

import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChartRbac } from '../../charts/test/rbac';
import { type KubeClient, RESOURCES } from '../src/kube';
import {
  applyProject,
  child,
  createNamespace,
  deleteNamespace,
  ensureClusterUp,
  installCrd,
  metricValue,
  type OperatorProcess,
  projectObject,
  startOperator,
  TEST_RUN_LABEL,
  uniqueName,
  waitFor,
  waitForCondition,
} from './harness';

const SUFFIX = 'apps.example.test';

let admin: KubeClient;
let kubeconfig: string;
/** Where the operator's ServiceAccount and Lease live (the Helm release namespace). */
let operatorNamespace: string;
let watched: string;
let unwatched: string;
let rbac: ChartRbac | undefined;
let operator: OperatorProcess | undefined;

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  operatorNamespace = await createNamespace(admin, 'opns-op');
  watched = await createNamespace(admin, 'opns-watched');
  unwatched = await createNamespace(admin, 'opns-other');
});

afterAll(async () => {
  await operator?.stop();
  await rbac?.cleanup();
  for (const namespace of [operatorNamespace, watched, unwatched])
    if (namespace) await deleteNamespace(admin, namespace);
});

it('watches only REINHARDT_CLOUD_WATCH_NAMESPACES with the chart namespace-scoped RBAC, with no 403', async () => {
  const { applyChartRbac } = await import('../../charts/test/rbac');
  rbac = await applyChartRbac(kubeconfig, operatorNamespace, { watchNamespaces: [watched] });
  expect(rbac.operatorEnv.REINHARDT_CLOUD_WATCH_NAMESPACES).toBe(watched);
  const run = uniqueName('run');
  operator = await startOperator(rbac.kubeconfigPath, {
    ...rbac.operatorEnv,
    REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES: SUFFIX,
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}`,
    REINHARDT_CLOUD_LEASE_NAMESPACE: operatorNamespace,
  });
  await waitFor(
    'the operator to be ready (caches synced)',
    async () => (await operator?.readyz())?.status === 200,
    {
      timeoutMs: 30_000,
    },
  );

  const spec = {
    image: 'registry.example.test/scoped:1.0.0',
    services: { ingress_host: `scoped.${SUFFIX}` },
  };
  // Same name, same run label: only the namespace decides which one is managed.
  await applyProject(admin, projectObject(unwatched, 'scoped', run, spec));
  await applyProject(admin, projectObject(watched, 'scoped', run, spec));
  const ready = await waitForCondition(admin, watched, 'scoped', 'Ready', 'True', 'ReconcileSuccess', 90_000);
  expect(ready.metadata.finalizers).toContain('paas.reinhardt-cloud.dev/cleanup');
  expect(await child(admin, 'Deployment', watched, 'scoped')).toBeDefined();
  expect(await child(admin, 'Ingress', watched, 'scoped')).toBeDefined();

  // The unwatched Project was created before the watched one became Ready: had it been seen, it would have
  // been reconciled by now. Nothing was written for it: no finalizer, no status, no children.
  const ignored = await admin.get(RESOURCES.Project, unwatched, 'scoped');
  expect(ignored?.metadata.finalizers ?? []).toEqual([]);
  expect(ignored?.status).toBeUndefined();
  for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'Ingress'] as const)
    expect(await child(admin, kind, unwatched, 'scoped'), `${kind} in ${unwatched}`).toBeUndefined();
  const managedElsewhere = await admin.request<{ items: unknown[] }>(
    'GET',
    `/apis/apps/v1/namespaces/${unwatched}/deployments`,
  );
  expect(managedElsewhere.items).toEqual([]);

  // The watches are per namespace (a cluster-wide one would be forbidden), and nothing was forbidden.
  const records = operator.records();
  expect(records.find((r) => r.message === 'reinhardt-cloud-operator starting')?.watchNamespaces).toEqual([
    watched,
  ]);
  const metrics = await operator.metrics();
  expect(metricValue(metrics, 'reinhardt_cloud_operator_api_errors_total', { code: '403' })).toBe(0);
  // A 403 from the API server always carries reason Forbidden / "... is forbidden"; matching digits would also
  // catch a random port or duration that happens to contain 403 (the metric above counts the status codes).
  expect(operator.logs.filter((l) => /forbidden/i.test(l))).toEqual([]);
  expect(metricValue(metrics, 'reinhardt_cloud_operator_watch_restarts_total', { reason: 'error' })).toBe(0);
  expect((await operator.readyz()).status).toBe(200);
});
