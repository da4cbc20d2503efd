// Kaniko source builds against the simulated cluster (kwok completes Job pods): trigger → Job → image rollout,
// and D13: a failed build is reported but never blocks the reconcile; the same trigger again retries.

import { writeFileSync } from 'node:fs';
import type { KubeObject } from '@reinhardt-cloud/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRbac } from '../../charts/test/rbac';
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
  neverForbidden,
  type OperatorProcess,
  projectObject,
  reconcileFailures,
  startOperatorWithChartRbac,
  TEST_RUN_LABEL,
  uniqueName,
  waitFor,
  waitForCondition,
} from './harness';

const SUFFIX = 'apps.example.test';
const KANIKO = 'registry.example.test/kaniko-executor:v1.23.2-test';

let admin: KubeClient;
let kubeconfig: string;
let namespace: string;
let run: string;
let operator: OperatorProcess | undefined;
let rbac: ChartRbac | undefined;

interface Build {
  phase: string;
  trigger: string;
  jobName: string;
  image: string;
  reason?: string;
  message?: string;
  target: string;
}

function buildOf(project: KubeObject | undefined): Build | undefined {
  return (project?.status as { build?: Build } | undefined)?.build;
}

function container(
  object: KubeObject | undefined,
): { image: string; args?: string[]; env?: { name: string; value?: string }[] } | undefined {
  return (
    object?.spec as
      | {
          template: {
            spec: {
              containers: { image: string; args?: string[]; env?: { name: string; value?: string }[] }[];
            };
          };
        }
      | undefined
  )?.template.spec.containers[0];
}

async function annotate(name: string, annotations: Record<string, string | null>): Promise<void> {
  await admin.patch(RESOURCES.Project, namespace, name, { metadata: { annotations } }, 'merge');
}

async function project(name: string): Promise<KubeObject | undefined> {
  return admin.get(RESOURCES.Project, namespace, name);
}

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  namespace = await createNamespace(admin, 'builds-int');
  run = uniqueName('run');
  // Only what the chart grants by default: builds need nothing more.
  ({ operator, rbac } = await startOperatorWithChartRbac(kubeconfig, namespace, {
    REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES: SUFFIX,
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}`,
    REINHARDT_CLOUD_BUILD_DEADLINE_SECONDS: '6',
    REINHARDT_CLOUD_KANIKO_IMAGE: KANIKO,
  }));
}, 120_000);

afterAll(async () => {
  await operator?.stop();
  await rbac?.cleanup();
  // Debugging aid: OPERATOR_TEST_LOG_FILE=<path> keeps the operator's log of this run.
  if (process.env.OPERATOR_TEST_LOG_FILE)
    writeFileSync(process.env.OPERATOR_TEST_LOG_FILE, operator?.logs.join('\n') ?? '');
  if (namespace) await deleteNamespace(admin, namespace);
});

describe('a Project built from source', () => {
  const name = 'app';
  const source = {
    repository: 'https://git.example.test/org/app.git',
    branch: 'release',
    credentials_secret: 'app-git-credentials',
    build: { registry: 'registry.example.test/org/app', build_args: { VERSION: '2', BASE: 'slim' } },
  };
  const spec = { image: 'registry.example.test/org/app:1.0.0', source };

  it('builds on a trigger, patches spec.image and rolls the Deployment', async () => {
    await applyProject(admin, projectObject(namespace, name, run, spec));
    await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 60_000);

    await annotate(name, { 'reinhardt.dev/build-trigger': 'abcdef1234567890' });
    const jobName = 'app-build-app-abcdef12';
    const job = await waitFor('the Kaniko Job', () => child(admin, 'Job', namespace, jobName));
    expect(container(job)?.image).toBe(KANIKO);
    expect(container(job)?.args).toEqual([
      '--git=branch=release,url=https://git.example.test/org/app.git',
      '--dockerfile=./Dockerfile',
      '--context=dir://.',
      '--destination=registry.example.test/org/app:app-abcdef12',
      '--cache=true',
      '--build-arg=BASE=slim',
      '--build-arg=VERSION=2',
    ]);
    expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 6 });
    expect(job.metadata.labels?.['app.kubernetes.io/component']).toBe('build');
    const owner = await project(name);
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Project', uid: owner?.metadata.uid });
    expect(JSON.stringify(job)).toContain('app-git-credentials');

    const built = 'registry.example.test/org/app:app-abcdef12';
    const done = await waitFor(
      'spec.image patched and the build recorded as succeeded',
      async () => {
        const p = await project(name);
        return (p?.spec as { image?: string } | undefined)?.image === built &&
          buildOf(p)?.phase === 'succeeded'
          ? p
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(buildOf(done)).toMatchObject({
      trigger: 'abcdef1234567890',
      jobName,
      image: built,
      target: 'production',
    });
    expect(done.metadata.annotations?.['reinhardt.dev/build-trigger']).toBeUndefined();
    const ready = await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess', 60_000);
    expect(container(await child(admin, 'Deployment', namespace, name))?.image).toBe(built);
    expect(conditionOf(ready, 'Progressing')).toMatchObject({ status: 'False', reason: 'BuildSucceeded' });
    // The finished build Job is not pruned: its logs stay readable.
    expect(await child(admin, 'Job', namespace, jobName)).toBeDefined();

    // Idle: a full resync of a Project with a finished build writes nothing.
    // Lease renewals of leader election are writes too, but not the reconciler's.
    const writes = async () => {
      const text = (await operator?.metrics()) ?? '';
      const name = 'reinhardt_cloud_operator_api_writes_total';
      return metricValue(text, name) - metricValue(text, name, { kind: 'Lease' });
    };
    const resynced = async () =>
      metricValue((await operator?.metrics()) ?? '', 'reinhardt_cloud_operator_reconcile_total');
    const before = await writes();
    const reconciles = await resynced();
    operator?.child.kill('SIGUSR2');
    await waitFor('the resync to reconcile the Project again', async () => (await resynced()) > reconciles);
    await new Promise((r) => setTimeout(r, 500));
    expect(await writes()).toBe(before);
  });

  it('reports a failed build without blocking spec edits (D13), and retries on the same trigger', async () => {
    const serving = 'registry.example.test/org/app:app-abcdef12';
    await admin.request('POST', `/api/v1/namespaces/${namespace}/resourcequotas`, {
      body: { metadata: { name: 'no-new-pods' }, spec: { hard: { pods: '0' } } },
    });
    await annotate(name, { 'reinhardt.dev/build-trigger': 'deadbeef00000000' });
    const failed = await waitForCondition(admin, namespace, name, 'Degraded', 'True', 'BuildFailed', 60_000);
    expect(buildOf(failed)).toMatchObject({
      phase: 'failed',
      trigger: 'deadbeef00000000',
      reason: 'DeadlineExceeded',
    });
    expect(conditionOf(failed, 'Degraded')?.message).toContain(
      'app-build-app-deadbeef failed (DeadlineExceeded)',
    );
    expect(conditionOf(failed, 'Ready')?.status).toBe('True');
    expect((failed.status as { phase: string }).phase).toBe('degraded');
    expect((failed.spec as { image: string }).image).toBe(serving);

    // D13: the failed build does not block the Project: a spec edit still rolls out.
    await admin.request('DELETE', `/api/v1/namespaces/${namespace}/resourcequotas/no-new-pods`);
    await applyProject(
      admin,
      projectObject(namespace, name, run, { ...spec, image: serving, env: { EDITED: '1' } }),
    );
    await waitFor(
      'the edited env to roll out',
      async () =>
        container(await child(admin, 'Deployment', namespace, name))?.env?.some((e) => e.name === 'EDITED'),
      { timeoutMs: 30_000 },
    );
    const edited = await waitForCondition(
      admin,
      namespace,
      name,
      'Ready',
      'True',
      'ReconcileSuccess',
      60_000,
    );
    expect(conditionOf(edited, 'Degraded')).toMatchObject({ status: 'True', reason: 'BuildFailed' });

    // The same trigger again: the failed Job is replaced and the build succeeds now that pods may start.
    const failedJob = await child(admin, 'Job', namespace, 'app-build-app-deadbeef');
    await annotate(name, { 'reinhardt.dev/build-trigger': 'deadbeef00000000' });
    const rebuilt = await waitFor(
      'the retried build to succeed',
      async () => {
        const p = await project(name);
        return buildOf(p)?.phase === 'succeeded' && buildOf(p)?.trigger === 'deadbeef00000000'
          ? p
          : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect((rebuilt.spec as { image: string }).image).toBe('registry.example.test/org/app:app-deadbeef');
    const retriedJob = await child(admin, 'Job', namespace, 'app-build-app-deadbeef');
    expect(retriedJob?.metadata.uid).not.toBe(failedJob?.metadata.uid);
    const healthy = await waitForCondition(admin, namespace, name, 'Degraded', 'False', undefined, 30_000);
    expect((healthy.status as { phase: string }).phase).not.toBe('degraded');
  });

  it('refuses a build with a foreign credentials Secret, and keeps serving', async () => {
    const other = 'other';
    await applyProject(
      admin,
      projectObject(namespace, other, run, {
        image: 'registry.example.test/org/other:1',
        source: { ...source, credentials_secret: 'app-git-credentials' },
      }),
    );
    await waitForCondition(admin, namespace, other, 'Ready', 'True', 'ReconcileSuccess', 60_000);
    await annotate(other, { 'reinhardt.dev/build-trigger': 'cafe0000' });
    const refused = await waitForCondition(
      admin,
      namespace,
      other,
      'Degraded',
      'True',
      'BuildRefused',
      30_000,
    );
    expect(conditionOf(refused, 'Degraded')?.message).toBe(
      "invalid source credentials secret 'app-git-credentials': expected 'other-git-credentials'",
    );
    expect(conditionOf(refused, 'Ready')?.status).toBe('True');
    expect(await child(admin, 'Job', namespace, 'other-build-other-cafe0000')).toBeUndefined();
    expect(refused.metadata.annotations?.['reinhardt.dev/build-trigger']).toBeUndefined();
  });
});

describe('a Project without spec.source', () => {
  it('answers a build request by clearing it, without a Job', async () => {
    const plain = 'plain';
    await applyProject(
      admin,
      projectObject(namespace, plain, run, { image: 'registry.example.test/plain:1' }),
    );
    await waitForCondition(admin, namespace, plain, 'Ready', 'True', 'ReconcileSuccess', 60_000);
    await annotate(plain, { 'reinhardt.dev/build-trigger': 'abc12345' });
    const cleared = await waitFor('the request to be cleared', async () => {
      const p = await project(plain);
      return p?.metadata.annotations?.['reinhardt.dev/build-trigger'] === undefined ? p : undefined;
    });
    expect(buildOf(cleared)).toBeUndefined();
    expect(await child(admin, 'Job', namespace, 'plain-build-plain-abc12345')).toBeUndefined();
    expect(operator?.logs.some((l) => l.includes('spec.source is not set'))).toBe(true);
  });
});

describe('the operator log', () => {
  it('has no errors and no permanently failed reconcile', () => {
    expect(reconcileFailures(operator)).toEqual([]);
  });

  it("was never forbidden anything with the chart's RBAC", async () => {
    expect(await neverForbidden(operator)).toEqual({ forbiddenResponses: 0, forbiddenLogLines: [] });
  });
});
