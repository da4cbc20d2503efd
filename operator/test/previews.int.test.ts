// Preview environments against the simulated cluster: a PR build → preview namespace with guardrails and a
// preview Project the same operator reconciles to Ready; status.previews on the parent; delete action; TTL from
// the latest activity (D15); a preview host outside the allow-list refused up front (D15).

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KubeObject, previewNamespaceName } from '@reinhardt-cloud/core';
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
  kubectl,
  neverForbidden,
  OPERATOR_DIR,
  type OperatorProcess,
  projectObject,
  reconcileFailures,
  startOperator,
  startOperatorWithChartRbac,
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
let rbac: ChartRbac | undefined;

interface PreviewEntry {
  name: string;
  prNumber: string;
  url?: string;
  phase?: string;
  readyReplicas?: number;
  lastActivity?: string;
}

function previewsOf(project: KubeObject | undefined): PreviewEntry[] {
  return (project?.status as { previews?: PreviewEntry[] } | undefined)?.previews ?? [];
}

async function annotate(name: string, annotations: Record<string, string | null>): Promise<void> {
  await admin.patch(RESOURCES.Project, namespace, name, { metadata: { annotations } }, 'merge');
}

function previewRequest(action: string, pr: string, trigger?: string): Record<string, string> {
  const annotations: Record<string, string> = {
    'reinhardt.dev/preview-action': action,
    'reinhardt.dev/pr-number': pr,
    'reinhardt.dev/pr-branch': 'feature/login',
  };
  if (trigger) annotations['reinhardt.dev/build-trigger'] = trigger;
  return annotations;
}

function parentSpec(template: string): Record<string, unknown> {
  return {
    image: 'registry.example.test/org/web:1.0.0',
    source: {
      repository: 'https://git.example.test/org/web.git',
      build: { registry: 'registry.example.test/org/web' },
      preview: {
        enabled: true,
        ttl: '1h',
        url_template: template,
        budget: { max_cpu: '4', max_memory: '8Gi', max_replicas: 2 },
      },
    },
  };
}

const previewNamespaces: string[] = [];

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  namespace = await createNamespace(admin, 'previews-int');
  run = uniqueName('run');
  // Only what the chart grants with previews enabled: every preview step must work with it, with no 403.
  ({ operator, rbac } = await startOperatorWithChartRbac(kubeconfig, namespace, operatorEnv(), {
    previews: { enabled: true },
  }));
}, 120_000);

async function expectNeverForbidden(): Promise<void> {
  expect(await neverForbidden(operator)).toEqual({ forbiddenResponses: 0, forbiddenLogLines: [] });
}

function operatorEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...rbac?.operatorEnv,
    REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES: SUFFIX,
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${run}`,
    REINHARDT_CLOUD_LEASE_NAMESPACE: namespace,
    ...extra,
  };
}

afterAll(async () => {
  await operator?.stop();
  await rbac?.cleanup();
  // Debugging aid: OPERATOR_TEST_LOG_FILE=<path> keeps the operator's log of this run.
  if (process.env.OPERATOR_TEST_LOG_FILE)
    writeFileSync(process.env.OPERATOR_TEST_LOG_FILE, operator?.logs.join('\n') ?? '');
  for (const ns of previewNamespaces) await deleteNamespace(admin, ns);
  if (namespace) await deleteNamespace(admin, namespace);
});

describe('preview environments', () => {
  const parent = 'web';
  let previewNs: string;

  it('creates the preview namespace with guardrails and a preview Project that becomes Ready', async () => {
    previewNs = previewNamespaceName(namespace, parent);
    previewNamespaces.push(previewNs);
    // The parent pulls from a private registry and reads its own Secret: the preview gets copies.
    const pull = Buffer.from(
      JSON.stringify({ auths: { 'registry.example.test': { auth: 'dTpw' } } }),
    ).toString('base64');
    await admin.request('POST', `/api/v1/namespaces/${namespace}/secrets`, {
      body: {
        metadata: { name: 'web-pull' },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': pull },
      },
    });
    await admin.request('POST', `/api/v1/namespaces/${namespace}/secrets`, {
      body: { metadata: { name: 'web-secrets' }, data: { token: Buffer.from('s3cret').toString('base64') } },
    });
    await applyProject(
      admin,
      projectObject(namespace, parent, run, {
        ...parentSpec(`pr-{pr_number}.{app}.${SUFFIX}`),
        imagePullSecrets: [{ name: 'web-pull' }],
        env: { TOKEN: 'secretRef:web-secrets/token' },
      }),
    );
    await waitForCondition(admin, namespace, parent, 'Ready', 'True', 'ReconcileSuccess', 60_000);
    const owner = await admin.get(RESOURCES.Project, namespace, parent);

    const ns = await waitFor('the preview namespace', () => admin.get(RESOURCES.Namespace, '', previewNs));
    expect(ns.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'reinhardt-cloud-operator',
      'reinhardt.dev/parent-app': parent,
      'reinhardt.dev/parent-namespace': namespace,
      'reinhardt.dev/preview-namespace': 'true',
      'reinhardt.dev/parent-uid': owner?.metadata.uid,
    });
    const quota = await child(admin, 'ResourceQuota', previewNs, 'preview-default-quota');
    expect(quota?.spec).toEqual({ hard: { pods: '50', 'limits.cpu': '4', 'limits.memory': '8Gi' } });
    expect(await child(admin, 'LimitRange', previewNs, 'preview-default-limits')).toBeDefined();
    for (const policy of ['preview-default-deny', 'preview-allow-ingress-and-dns'])
      expect(await child(admin, 'NetworkPolicy', previewNs, policy), policy).toBeDefined();
    // cert-manager is not installed here: no Issuer, and the operator does not fail for it.
    expect(operator?.logs.some((l) => l.includes('issuers.cert-manager.io is not served'))).toBe(true);

    await annotate(parent, previewRequest('create', '7', '1234567890abcdef'));
    const job = await waitFor('the preview build Job', () =>
      child(admin, 'Job', namespace, 'web-build-pr-7-12345678'),
    );
    expect(
      (job.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]
        ?.args,
    ).toContain('--git=branch=feature/login,url=https://git.example.test/org/web.git');

    const preview = await waitFor(
      'the preview Project',
      () => admin.get(RESOURCES.Project, previewNs, 'web-pr-7'),
      { timeoutMs: 30_000 },
    );
    expect(preview.metadata.labels).toMatchObject({
      'reinhardt.dev/preview': 'true',
      'reinhardt.dev/parent-app': parent,
      'reinhardt.dev/parent-namespace': namespace,
      'reinhardt.dev/pr-number': '7',
    });
    expect(preview.spec).toMatchObject({
      image: 'registry.example.test/org/web:pr-7-12345678',
      replicas: 1,
      deletion_policy: 'delete',
      services: { ingress_host: `pr-7.web-pr-7.${SUFFIX}` },
    });
    expect((preview.spec as { source?: unknown }).source).toBeUndefined();
    expect(preview.spec).toMatchObject({
      imagePullSecrets: [{ name: 'web-pr-7-pull' }],
      env: { TOKEN: 'secretRef:web-pr-7-secrets/token' },
    });
    const pullCopy = await admin.get(RESOURCES.Secret, previewNs, 'web-pr-7-pull');
    expect(pullCopy?.type).toBe('kubernetes.io/dockerconfigjson');
    expect((pullCopy?.data as Record<string, string> | undefined)?.['.dockerconfigjson']).toBe(pull);
    const envCopy = await admin.get(RESOURCES.Secret, previewNs, 'web-pr-7-secrets');
    const token = (envCopy?.data as { token?: string } | undefined)?.token ?? '';
    expect(Buffer.from(token, 'base64').toString()).toBe('s3cret');
    await waitForCondition(admin, previewNs, 'web-pr-7', 'Ready', 'True', 'ReconcileSuccess', 60_000);
    expect(await child(admin, 'Ingress', previewNs, 'web-pr-7')).toBeDefined();

    const withStatus = await waitFor(
      'status.previews on the parent',
      async () => {
        const p = await admin.get(RESOURCES.Project, namespace, parent);
        return previewsOf(p).some((e) => e.phase === 'running') ? p : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(previewsOf(withStatus)).toEqual([
      {
        name: 'web-pr-7',
        prNumber: '7',
        url: `https://pr-7.web-pr-7.${SUFFIX}`,
        phase: 'running',
        readyReplicas: 1,
        lastActivity: preview.metadata.annotations?.['reinhardt.dev/last-activity'],
      },
    ]);
    expect((withStatus.status as { build: { phase: string; target: string } }).build).toMatchObject({
      phase: 'succeeded',
      target: 'preview',
    });
    // The parent keeps serving its own image.
    expect((withStatus.spec as { image: string }).image).toBe('registry.example.test/org/web:1.0.0');
  });

  it('refreshes last-activity on a preview update request (D15)', async () => {
    const halfHourAgo = new Date(Date.now() - 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await admin.patch(
      RESOURCES.Project,
      previewNs,
      'web-pr-7',
      { metadata: { annotations: { 'reinhardt.dev/last-activity': halfHourAgo } } },
      'merge',
    );
    await annotate(parent, previewRequest('update', '7'));
    const refreshed = await waitFor('last-activity refreshed', async () => {
      const p = await admin.get(RESOURCES.Project, previewNs, 'web-pr-7');
      const at = p?.metadata.annotations?.['reinhardt.dev/last-activity'];
      return at && Date.parse(at) > Date.parse(halfHourAgo) + 60_000 ? p : undefined;
    });
    expect(
      Date.now() - Date.parse(refreshed.metadata.annotations?.['reinhardt.dev/last-activity'] ?? ''),
    ).toBeLessThan(60_000);
    const parentNow = await waitFor('the request annotations to be cleared', async () => {
      const p = await admin.get(RESOURCES.Project, namespace, parent);
      return p?.metadata.annotations?.['reinhardt.dev/preview-action'] === undefined ? p : undefined;
    });
    expect(parentNow.metadata.annotations?.['reinhardt.dev/pr-number']).toBeUndefined();
  });

  it('deletes a preview on preview-action=delete', async () => {
    await annotate(parent, { 'reinhardt.dev/preview-action': 'delete', 'reinhardt.dev/pr-number': '7' });
    await waitFor(
      'the preview Project to be gone',
      async () => (await admin.get(RESOURCES.Project, previewNs, 'web-pr-7')) === undefined,
      { timeoutMs: 30_000 },
    );
    const p = await waitFor('status.previews emptied', async () => {
      const o = await admin.get(RESOURCES.Project, namespace, parent);
      return previewsOf(o).length === 0 ? o : undefined;
    });
    expect(p.metadata.annotations?.['reinhardt.dev/preview-action']).toBeUndefined();
  });

  it('deletes a preview whose latest activity is older than the TTL', async () => {
    await annotate(parent, previewRequest('create', '9', 'feedface00000000'));
    await waitFor('the second preview Project', () => admin.get(RESOURCES.Project, previewNs, 'web-pr-9'), {
      timeoutMs: 30_000,
    });
    await waitFor('the preview build to be recorded as succeeded', async () => {
      const p = await admin.get(RESOURCES.Project, namespace, parent);
      const build = (p?.status as { build?: { phase: string; trigger: string } } | undefined)?.build;
      return build?.trigger === 'feedface00000000' && build.phase === 'succeeded';
    });
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await admin.patch(
      RESOURCES.Project,
      previewNs,
      'web-pr-9',
      { metadata: { annotations: { 'reinhardt.dev/last-activity': twoHoursAgo } } },
      'merge',
    );
    await waitFor(
      'the expired preview to be deleted',
      async () => (await admin.get(RESOURCES.Project, previewNs, 'web-pr-9')) === undefined,
      { timeoutMs: 30_000 },
    );
    expect(
      operator?.logs.some((l) => l.includes(`Deleted expired preview Project ${previewNs}/web-pr-9`)),
    ).toBe(true);
  });

  it('refuses a preview whose host is outside the allow-list, with a clear message and nothing created', async () => {
    const bad = 'bad';
    previewNamespaces.push(previewNamespaceName(namespace, bad));
    await applyProject(admin, projectObject(namespace, bad, run, parentSpec('pr-{pr_number}.attacker.test')));
    await waitForCondition(admin, namespace, bad, 'Ready', 'True', 'ReconcileSuccess', 60_000);
    await annotate(bad, previewRequest('create', '3', 'abcabcabc'));
    const refused = await waitForCondition(
      admin,
      namespace,
      bad,
      'Degraded',
      'True',
      'PreviewRefused',
      30_000,
    );
    expect(conditionOf(refused, 'Degraded')?.message).toBe(
      `preview bad-pr-3 refused: its host 'pr-3.attacker.test' (from source.preview.url_template) is rejected: services.ingress_host 'pr-3.attacker.test' is outside the allowed DNS suffixes configured by REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES (${SUFFIX})`,
    );
    expect(conditionOf(refused, 'Ready')?.status).toBe('True');
    expect(
      await admin.get(RESOURCES.Project, previewNamespaceName(namespace, bad), 'bad-pr-3'),
    ).toBeUndefined();
    expect(await child(admin, 'Job', namespace, 'bad-build-pr-3-abcabcab')).toBeUndefined();
  });

  it('deletes the preview namespace it owns with the parent', async () => {
    await admin.request(
      'DELETE',
      `/apis/paas.reinhardt-cloud.dev/v1alpha2/namespaces/${namespace}/projects/${parent}`,
    );
    await waitFor(
      'the preview namespace to be deleted',
      async () => {
        const ns = await admin.get(RESOURCES.Namespace, '', previewNs);
        return ns === undefined || ns.metadata.deletionTimestamp !== undefined;
      },
      { timeoutMs: 30_000 },
    );
  });
});

describe('with cert-manager installed', () => {
  it('applies the preview Issuer and gives previews TLS through it', async () => {
    const crd = join(OPERATOR_DIR, 'test', 'crds', 'issuers.cert-manager.io.yaml');
    await kubectl(kubeconfig, 'apply', '--server-side', '-f', crd);
    try {
      await waitFor('the Issuer CRD to be served', async () => {
        await admin.list(RESOURCES.Issuer, { labelSelector: 'x=none' });
        return true;
      });
      // Everything above ran with only the chart's RBAC (previews enabled): nothing was forbidden.
      await expectNeverForbidden();
      // Discovery is remembered for a while: a new operator process sees cert-manager at once.
      await operator?.stop();
      operator = await startOperator(
        rbac?.kubeconfigPath ?? kubeconfig,
        operatorEnv({ REINHARDT_CLOUD_PREVIEW_ACME_EMAIL: 'ops@example.test' }),
      );
      const name = 'secure';
      const previewNs = previewNamespaceName(namespace, name);
      previewNamespaces.push(previewNs);
      await applyProject(
        admin,
        projectObject(namespace, name, run, parentSpec(`pr-{pr_number}.{app}.${SUFFIX}`)),
      );
      const issuer = await waitFor('the preview Issuer', () =>
        admin.get(RESOURCES.Issuer, previewNs, 'preview-issuer'),
      );
      expect(issuer.spec).toEqual({
        acme: {
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          email: 'ops@example.test',
          privateKeySecretRef: { name: `${previewNs}-acme-key` },
          solvers: [{ http01: { ingress: { class: 'nginx' } } }],
        },
      });
      await annotate(name, previewRequest('create', '5', '5555555555'));
      const ingress = await waitFor(
        'the preview Ingress',
        () => child(admin, 'Ingress', previewNs, 'secure-pr-5'),
        {
          timeoutMs: 30_000,
        },
      );
      const host = `pr-5.secure-pr-5.${SUFFIX}`;
      expect(ingress.metadata.annotations?.['cert-manager.io/issuer']).toBe('preview-issuer');
      expect((ingress.spec as { tls?: unknown }).tls).toEqual([
        { hosts: [host], secretName: 'secure-pr-5-tls' },
      ]);
      await expectNeverForbidden();
    } finally {
      await kubectl(
        kubeconfig,
        'delete',
        'crd',
        'issuers.cert-manager.io',
        '--ignore-not-found',
        '--wait=false',
      );
    }
  });
});

describe('the operator log', () => {
  it('has no errors and no permanently failed reconcile', () => {
    // Transient retries are normal (e.g. a preview Project deleted by its TTL while it was being reconciled).
    expect(reconcileFailures(operator)).toEqual([]);
  });
});
