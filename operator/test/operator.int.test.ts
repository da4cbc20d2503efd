// The operator against the simulated cluster (real kube-apiserver, controller-manager, scheduler, kwok).
// One operator process at a time, managing only Projects labelled with this run's id.

import type { KubeObject } from '@reinhardt-cloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeClient, RESOURCES } from '../src/kube';
import {
  applyProject,
  child,
  conditionOf,
  createNamespace,
  deleteNamespace,
  ensureClusterUp,
  installCrd,
  type OperatorProcess,
  projectObject,
  providePersistentVolume,
  startOperator,
  TEST_RUN_LABEL,
  uniqueName,
  waitFor,
  waitForCondition,
} from './harness';

const SUFFIX = 'apps.example.test';

let admin: KubeClient;
let kubeconfig: string;
let namespace: string;
let run: string;
let operator: OperatorProcess | undefined;

function operatorEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES: SUFFIX,
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}`,
    REINHARDT_CLOUD_MIGRATION_DEADLINE_SECONDS: '8',
    REINHARDT_CLOUD_LEASE_NAMESPACE: namespace,
    ...extra,
  };
}

function imageOf(deployment: KubeObject | undefined): string | undefined {
  return (deployment?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined)
    ?.template.spec.containers[0]?.image;
}

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  namespace = await createNamespace(admin, 'operator-int');
  run = uniqueName('run');
  operator = await startOperator(kubeconfig, operatorEnv());
});

afterAll(async () => {
  await operator?.stop();
  if (namespace) await deleteNamespace(admin, namespace);
});

describe('a Project with database, cache, worker and ingress', () => {
  const name = 'shop';
  const spec = {
    image: 'registry.example.test/shop:1.0.0',
    database: { engine: 'postgresql', storage_gb: 5 },
    cache: {},
    worker: { concurrency: 2 },
    services: { ingress_host: `shop.${SUFFIX}` },
    health: { path: '/healthz' },
  };

  it('becomes Ready=True with all its objects', async () => {
    await providePersistentVolume(admin, namespace, name, 5);
    await applyProject(admin, projectObject(namespace, name, run, spec));
    const project = await waitForCondition(
      admin,
      namespace,
      name,
      'Ready',
      'True',
      'ReconcileSuccess',
      90_000,
    );
    expect((project.status as { phase: string }).phase).toBe('running');
    for (const type of ['MigrationReady', 'DatabaseReady', 'CacheReady', 'WorkerReady', 'IngressReady']) {
      expect(conditionOf(project, type)?.status, type).toBe('True');
    }
    expect(project.metadata.finalizers).toContain('paas.reinhardt-cloud.dev/cleanup');
    const { metricValue } = await import('./harness');
    await waitFor('the phase gauge', async () => {
      const text = await operator?.metrics();
      return (
        text !== undefined &&
        metricValue(text, 'reinhardt_cloud_operator_managed_apps', { phase: 'running' }) === 1
      );
    });
    const ingress = await child(admin, 'Ingress', namespace, name);
    const backend = (
      ingress?.spec as
        | {
            rules: {
              host: string;
              http: { paths: { backend: { service: { port: { number: number } } } }[] };
            }[];
          }
        | undefined
    )?.rules[0];
    expect(backend?.host).toBe(`shop.${SUFFIX}`);
    expect(backend?.http.paths[0]?.backend.service.port.number).toBe(80);
    for (const [kind, object] of [
      ['Deployment', name],
      ['Service', name],
      ['StatefulSet', `${name}-db`],
      ['Service', `${name}-db`],
      ['PersistentVolumeClaim', `${name}-db-data`],
      ['Secret', `${name}-db-credentials`],
      ['Secret', `${name}-core-secret-key`],
      ['Secret', `${name}-redis-credentials`],
      ['Deployment', `${name}-redis`],
      ['Service', `${name}-redis`],
      ['Deployment', `${name}-worker`],
    ] as const) {
      expect(await child(admin, kind, namespace, object), `${kind}/${object}`).toBeDefined();
    }
    const secret = await child(admin, 'Secret', namespace, `${name}-db-credentials`);
    expect(
      Buffer.from((secret?.data as Record<string, string> | undefined)?.password ?? '', 'base64').toString(),
    ).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('runs the migration Job of a new image before the Deployment rolls', async () => {
    const next = 'registry.example.test/shop:1.1.0';
    const before = await child(admin, 'Secret', namespace, `${name}-db-credentials`);
    await applyProject(admin, projectObject(namespace, name, run, { ...spec, image: next }));
    let sawJobComplete = false;
    await waitFor(
      'the Deployment to roll to the new image',
      async () => {
        const jobs = await admin.list(RESOURCES.Job, {
          namespace,
          labelSelector: 'app.kubernetes.io/component=migration',
        });
        const job = jobs.items.find(
          (j) =>
            (j.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec
              .containers[0]?.image === next,
        );
        const complete = (
          (job?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []
        ).some((c) => c.type === 'Complete' && c.status === 'True');
        if (complete) sawJobComplete = true;
        const deployment = await child(admin, 'Deployment', namespace, name);
        if (imageOf(deployment) === next) {
          // The rollout may only exist once the migration of that image finished.
          expect(sawJobComplete || complete).toBe(true);
          return true;
        }
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 60_000);
    const after = await child(admin, 'Secret', namespace, `${name}-db-credentials`);
    expect((after?.data as Record<string, string> | undefined)?.password).toBe(
      (before?.data as Record<string, string> | undefined)?.password,
    );
  });

  it('keeps the old version serving when a migration fails, and retries when the spec changes', async () => {
    const serving = 'registry.example.test/shop:1.1.0';
    const broken = 'registry.example.test/shop:2.0.0';
    // No pod may start in the namespace: the new migration Job cannot run and hits its deadline.
    await admin.request('POST', `/api/v1/namespaces/${namespace}/resourcequotas`, {
      body: { metadata: { name: 'no-new-pods' }, spec: { hard: { pods: '0' } } },
    });
    await applyProject(admin, projectObject(namespace, name, run, { ...spec, image: broken }));
    const failed = await waitForCondition(
      admin,
      namespace,
      name,
      'MigrationReady',
      'False',
      'MigrationFailed',
      90_000,
    );
    expect(conditionOf(failed, 'Ready')).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
    expect(conditionOf(failed, 'Degraded')).toMatchObject({ status: 'True', reason: 'MigrationFailed' });
    expect((failed.status as { phase: string }).phase).toBe('degraded');
    const deployment = await child(admin, 'Deployment', namespace, name);
    expect(imageOf(deployment)).toBe(serving);
    expect(
      (deployment?.status as { readyReplicas?: number } | undefined)?.readyReplicas,
    ).toBeGreaterThanOrEqual(1);

    await admin.request('DELETE', `/api/v1/namespaces/${namespace}/resourcequotas/no-new-pods`);
    await applyProject(
      admin,
      projectObject(namespace, name, run, { ...spec, image: broken, env: { RETRY: '1' } }),
    );
    await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 90_000);
    expect(imageOf(await child(admin, 'Deployment', namespace, name))).toBe(broken);
  });

  it('enables and disables the HPA, leaving replicas to it while enabled', async () => {
    const base = { ...spec, image: 'registry.example.test/shop:2.0.0', env: { RETRY: '1' } };
    await applyProject(
      admin,
      projectObject(namespace, name, run, {
        ...base,
        scale: { min_replicas: 2, max_replicas: 5, metric: 'Cpu', target_value: 60 },
      }),
    );
    const hpa = await waitFor('the HPA', () => child(admin, 'HorizontalPodAutoscaler', namespace, name));
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    const deployment = await child(admin, 'Deployment', namespace, name);
    const managers = (
      (deployment?.metadata.managedFields as {
        manager: string;
        operation: string;
        fieldsV1: { 'f:spec'?: Record<string, unknown> };
      }[]) ?? []
    ).filter((m) => m.manager === 'reinhardt-cloud-operator' && m.operation === 'Apply');
    expect(managers.some((m) => m.fieldsV1['f:spec']?.['f:replicas'] !== undefined)).toBe(false);
    await waitFor('AutoscalerReady to be reported', async () =>
      conditionOf(await admin.get(RESOURCES.Project, namespace, name), 'AutoscalerReady'),
    );

    await applyProject(admin, projectObject(namespace, name, run, base));
    await waitFor(
      'the HPA to be pruned',
      async () => (await child(admin, 'HorizontalPodAutoscaler', namespace, name)) === undefined,
    );
    const back = await waitFor('replicas owned by the operator again', async () => {
      const d = await child(admin, 'Deployment', namespace, name);
      return (d?.spec as { replicas?: number } | undefined)?.replicas === 1 ? d : undefined;
    });
    expect(back).toBeDefined();
    const project = await admin.get(RESOURCES.Project, namespace, name);
    expect(conditionOf(project, 'AutoscalerReady')).toBeUndefined();
  });
});

describe('an ingress host outside the allowed suffixes', () => {
  it('gets Ready=False with the reason and no Ingress (nothing applied)', async () => {
    const name = 'evil';
    await applyProject(
      admin,
      projectObject(namespace, name, run, {
        image: 'evil:1',
        services: { ingress_host: 'evil.attacker.test' },
      }),
    );
    const project = await waitForCondition(admin, namespace, name, 'Ready', 'False', 'InvalidSpec');
    expect(conditionOf(project, 'Ready')?.message).toContain(
      "services.ingress_host 'evil.attacker.test' is outside the allowed DNS suffixes configured by REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES",
    );
    expect((project.status as { phase: string }).phase).toBe('failed');
    expect(await child(admin, 'Ingress', namespace, name)).toBeUndefined();
    expect(await child(admin, 'Deployment', namespace, name)).toBeUndefined();
    const events = await admin.list(RESOURCES.Event, { namespace });
    expect(
      events.items.some(
        (e) => (e.involvedObject as { name: string }).name === name && e.reason === 'InvalidSpec',
      ),
    ).toBe(true);
  });

  it('rejects a host already claimed by another Project, case-insensitively', async () => {
    await applyProject(
      admin,
      projectObject(namespace, 'copycat', run, {
        image: 'copy:1',
        services: { ingress_host: `SHOP.${SUFFIX}` },
      }),
    );
    const project = await waitForCondition(admin, namespace, 'copycat', 'Ready', 'False', 'InvalidSpec');
    expect(conditionOf(project, 'Ready')?.message).toContain(
      `is already claimed by Ingress ${namespace}/shop`,
    );
  });
});

describe('deletion', () => {
  for (const policy of ['retain', 'delete'] as const) {
    it(`deletion_policy ${policy} ${policy === 'retain' ? 'keeps' : 'removes'} the database volume and credentials`, async () => {
      const name = `db-${policy}`;
      await providePersistentVolume(admin, namespace, name, 1);
      await applyProject(
        admin,
        projectObject(namespace, name, run, {
          image: 'db:1',
          database: { engine: 'mysql', storage_gb: 1 },
          deletion_policy: policy,
        }),
      );
      await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 90_000);
      await admin.request(
        'DELETE',
        `/apis/paas.reinhardt-cloud.dev/v1alpha2/namespaces/${namespace}/projects/${name}`,
      );
      await waitFor(
        'the Project to be gone',
        async () => (await admin.get(RESOURCES.Project, namespace, name)) === undefined,
        { timeoutMs: 60_000 },
      );
      await waitFor(
        'owned objects to be garbage-collected',
        async () => (await child(admin, 'Deployment', namespace, name)) === undefined,
        {
          timeoutMs: 60_000,
        },
      );
      if (policy === 'retain') {
        expect(await child(admin, 'PersistentVolumeClaim', namespace, `${name}-db-data`)).toBeDefined();
        expect(await child(admin, 'Secret', namespace, `${name}-db-credentials`)).toBeDefined();
      } else {
        await waitFor(
          'the credentials to be deleted',
          async () => (await child(admin, 'Secret', namespace, `${name}-db-credentials`)) === undefined,
        );
        const pvc = await child(admin, 'PersistentVolumeClaim', namespace, `${name}-db-data`);
        expect(pvc === undefined || pvc.metadata.deletionTimestamp !== undefined).toBe(true);
      }
    });
  }
});

describe('resilience', () => {
  it('converges after the operator is killed in the middle of a reconcile, without rotating credentials', async () => {
    await operator?.stop();
    operator = await startOperator(kubeconfig, operatorEnv());
    const name = 'crashy';
    await providePersistentVolume(admin, namespace, name, 1);
    await applyProject(
      admin,
      projectObject(namespace, name, run, {
        image: 'crashy:1',
        database: { engine: 'postgresql', storage_gb: 1 },
        cache: {},
        worker: {},
      }),
    );
    const secret = await waitFor(
      'the first credentials to be written',
      () => child(admin, 'Secret', namespace, `${name}-db-credentials`),
      { intervalMs: 10 },
    );
    await operator.stop('SIGKILL');
    operator = await startOperator(kubeconfig, operatorEnv());
    await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 90_000);
    const after = await child(admin, 'Secret', namespace, `${name}-db-credentials`);
    expect(after?.metadata.uid).toBe(secret.metadata.uid);
    expect((after?.data as Record<string, string> | undefined)?.password).toBe(
      (secret.data as Record<string, string>).password,
    );
  });

  it('survives a killed and a silently frozen watch connection', async () => {
    await operator?.stop();
    const { ApiProxy, writeKubeconfig, metricValue, serverOf } = await import('./harness');
    const proxy = new ApiProxy(new URL(serverOf(kubeconfig)));
    await proxy.start();
    const viaProxy = writeKubeconfig(`/tmp/${run}-proxy.kubeconfig`, `https://127.0.0.1:${proxy.port}`, {});
    // Leader election off here: a frozen API connection rightly costs the leader its Lease (the process exits
    // to be restarted); this test is about the watches recovering inside one process.
    operator = await startOperator(
      viaProxy,
      operatorEnv({ REINHARDT_CLOUD_WATCH_TIMEOUT_SECONDS: '3', REINHARDT_CLOUD_LEADER_ELECTION: 'false' }),
    );
    try {
      const name = 'flaky';
      await applyProject(admin, projectObject(namespace, name, run, { image: 'flaky:1' }));
      await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess');
      const restartsBefore = metricValue(
        await operator.metrics(),
        'reinhardt_cloud_operator_watch_restarts_total',
      );

      // 1. Every connection reset: the watches reconnect (with backoff) and pick up a change made meanwhile.
      proxy.cut();
      await applyProject(admin, projectObject(namespace, name, run, { image: 'flaky:1', replicas: 2 }));
      await waitFor('the Deployment to be scaled after the reconnect', async () => {
        const d = await child(admin, 'Deployment', namespace, name);
        return (d?.spec as { replicas: number } | undefined)?.replicas === 2;
      });
      await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess');
      expect(
        metricValue(await operator.metrics(), 'reinhardt_cloud_operator_watch_restarts_total'),
      ).toBeGreaterThan(restartsBefore);

      // 2. Connections stay open but deliver nothing: /readyz reports the stale watch; the operator recovers after.
      proxy.freeze(true);
      const stale = await waitFor(
        '/readyz to report a stale watch',
        async () => {
          const r = await operator?.readyz();
          return r && r.status === 503 && r.body.includes('watch stale') ? r : undefined;
        },
        { timeoutMs: 20_000 },
      );
      expect(stale.body).toContain('stale');
      await applyProject(admin, projectObject(namespace, name, run, { image: 'flaky:1', replicas: 3 }));
      proxy.freeze(false);
      await waitFor(
        'the Deployment to be scaled after the freeze',
        async () => {
          const d = await child(admin, 'Deployment', namespace, name);
          return (d?.spec as { replicas: number } | undefined)?.replicas === 3;
        },
        { timeoutMs: 90_000 },
      );
      await waitFor('/readyz to recover', async () => (await operator?.readyz())?.status === 200, {
        timeoutMs: 60_000,
      });
      expect(
        metricValue(await operator.metrics(), 'reinhardt_cloud_operator_watch_restarts_total', {
          reason: 'stale',
        }),
      ).toBeGreaterThan(0);
    } finally {
      await operator.stop();
      operator = undefined;
      await proxy.close();
    }
  });

  it('runs with only the RBAC the Helm chart grants and gets no forbidden errors', async () => {
    const { applyChartRbac } = await import('../../charts/test/rbac');
    const { metricValue } = await import('./harness');
    const rbac = await applyChartRbac(kubeconfig, namespace);
    try {
      operator = await startOperator(rbac.kubeconfigPath, { ...rbac.operatorEnv, ...operatorEnv() });
      const name = 'least-privilege';
      await providePersistentVolume(admin, namespace, name, 1);
      const spec = {
        image: 'lp:1',
        database: { engine: 'postgresql', storage_gb: 1 },
        cache: {},
        worker: {},
        auth: { jwt: true },
        mail: { smtp_host: 'smtp.example.test' },
        serviceAccount: { create: true },
        isolation: { level: 'None' },
        services: { ingress_host: `lp.${SUFFIX}` },
        scale: { max_replicas: 3 },
        deletion_policy: 'delete',
      };
      await applyProject(admin, projectObject(namespace, name, run, spec));
      await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 90_000);
      await admin.request(
        'DELETE',
        `/apis/paas.reinhardt-cloud.dev/v1alpha2/namespaces/${namespace}/projects/${name}`,
      );
      await waitFor(
        'the Project to be gone',
        async () => (await admin.get(RESOURCES.Project, namespace, name)) === undefined,
        {
          timeoutMs: 60_000,
        },
      );
      const metrics = await operator.metrics();
      expect(metricValue(metrics, 'reinhardt_cloud_operator_api_errors_total', { code: '403' })).toBe(0);
      expect(operator.logs.filter((l) => /forbidden/i.test(l))).toEqual([]);
      expect(metricValue(metrics, 'reinhardt_cloud_operator_leader')).toBe(1);
    } finally {
      await operator?.stop();
      operator = undefined;
      await rbac.cleanup();
    }
  });
});
