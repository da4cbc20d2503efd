// spec/tests-in-original.md §2.5 case 51 against the simulated cluster: the ownership guard lives in the
// apply step (it reads the live object), so it cannot be shown by render alone.
import type { KubeObject } from '@reinhardt-cloud/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type KubeClient, RESOURCES } from '../src/kube';
import {
  applyProject,
  child,
  conditionOf,
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
  waitForCondition,
} from './harness';

let admin: KubeClient;
let namespace: string;
let operator: OperatorProcess | undefined;
let run: string;

beforeAll(async () => {
  let kubeconfig: string;
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  namespace = await createNamespace(admin, 'operator-parity');
  run = uniqueName('run');
  operator = await startOperator(kubeconfig, {
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}`,
    REINHARDT_CLOUD_LEASE_NAMESPACE: namespace,
  });
});

afterAll(async () => {
  await operator?.stop();
  if (namespace) await deleteNamespace(admin, namespace);
});

it('51: refuses to take over an existing Deployment it does not own, and leaves it untouched', async () => {
  const name = 'web';
  const foreign: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: 'hand-made' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'hand-made' } },
      template: {
        metadata: { labels: { app: 'hand-made' } },
        spec: { containers: [{ name: 'main', image: 'hand-made:1' }] },
      },
    },
  };
  await admin.create(RESOURCES.Deployment, foreign, 'integration-test');

  await applyProject(admin, projectObject(namespace, name, run, { image: 'web:1' }));
  const project = await waitForCondition(admin, namespace, name, 'Ready', 'False', 'ReconcileError');
  const message = `refusing to manage existing Deployment ${namespace}/${name}: it is not owned by Project ${namespace}/${name}`;
  expect(conditionOf(project, 'Ready')?.message).toBe(message);
  expect(conditionOf(project, 'Degraded')).toMatchObject({ status: 'True', message });

  // §2.4 case 35: a permanent error is not requeued; the Project waits for a change. Retries start at 200 ms,
  // so a requeued failure would show up as another permanent reconcile well within two seconds.
  const permanent = async () =>
    metricValue(await (operator as OperatorProcess).metrics(), 'reinhardt_cloud_operator_reconcile_total', {
      result: 'permanent',
    });
  const before = await permanent();
  expect(before).toBeGreaterThanOrEqual(1);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(await permanent()).toBe(before);

  const live = await child(admin, 'Deployment', namespace, name);
  expect(live?.metadata.ownerReferences).toBeUndefined();
  expect(live?.metadata.labels).toEqual({ app: 'hand-made' });
  const spec = live?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined;
  expect(spec?.template.spec.containers.map((c) => c.image)).toEqual(['hand-made:1']);
});
