// Smoke tests of the simulated control plane: each one proves a behaviour that only a real API server
// or a real controller-manager has, so a broken or partial cluster fails here first.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  type ApiException,
  ApiextensionsV1Api,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type V1ConfigMap,
  type V1CustomResourceDefinition,
  type V1JSONSchemaProps,
} from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestNamespace,
  ensureCluster,
  helmPath,
  kubectlPath,
  type TestNamespace,
  waitFor,
} from '../src/cluster';

const run = promisify(execFile);
const versionsEnv = readFileSync(new URL('./versions.env', import.meta.url), 'utf8');
const pinned = Object.fromEntries(
  [...versionsEnv.matchAll(/^([A-Z_]+)=(\S+)$/gm)].map((m) => [m[1], m[2]] as const),
) as Record<string, string>;

let kc: KubeConfig;
let kubeconfigPath: string;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  ({ kubeConfig: kc, kubeconfigPath } = await ensureCluster());
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});

async function apiError(promise: Promise<unknown>): Promise<ApiException<string>> {
  try {
    await promise;
  } catch (error) {
    return error as ApiException<string>;
  }
  throw new Error('expected the API server to reject the request, but it accepted it');
}

/** The `message` of the Status object the API server sent with an error. */
function statusMessage(error: ApiException<string>): string {
  try {
    return String((JSON.parse(error.body) as { message?: unknown }).message);
  } catch {
    return String(error.body);
  }
}

async function isGone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (error) {
    if ((error as ApiException<string>).code === 404) return true;
    throw error;
  }
}

const pauseContainer = [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }];

async function withNs<T>(prefix: string, body: (ns: string) => Promise<T>): Promise<T> {
  const namespace: TestNamespace = await createTestNamespace(kc, prefix);
  try {
    return await body(namespace.name);
  } finally {
    await namespace.cleanup();
  }
}

describe('simulated cluster', () => {
  it('runs the pinned Kubernetes version with Ready kwok nodes, kubectl and helm', async () => {
    const { stdout } = await run(kubectlPath(), ['--kubeconfig', kubeconfigPath, 'version', '-o', 'json']);
    const versions = JSON.parse(stdout) as { serverVersion: { gitVersion: string } };
    expect(versions.serverVersion.gitVersion).toBe(pinned.KUBERNETES_VERSION);
    const helm = await run(helmPath(), ['version', '--short']);
    expect(helm.stdout.trim()).toMatch(new RegExp(`^${pinned.HELM_VERSION?.replaceAll('.', '\\.')}`));
    const nodes = await core.listNode({ labelSelector: 'type=kwok' });
    expect(nodes.items.length).toBeGreaterThanOrEqual(1);
    for (const node of nodes.items) {
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, node.metadata?.name).toBe(
        'True',
      );
    }
  });

  it('brings a Deployment to its ready replicas, with Running pods on kwok nodes, and garbage-collects it', async () => {
    await withNs('smoke-deploy', async (ns) => {
      await apps.createNamespacedDeployment({
        namespace: ns,
        body: {
          metadata: { name: 'web' },
          spec: {
            replicas: 3,
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } }, spec: { containers: pauseContainer } },
          },
        },
      });
      const ready = await waitFor('Deployment web to have 3 ready replicas', async () => {
        const d = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
        return d.status?.readyReplicas === 3 && d;
      });
      expect(ready.status?.availableReplicas).toBe(3);
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' });
      expect(pods.items).toHaveLength(3);
      for (const pod of pods.items) {
        expect(pod.status?.phase).toBe('Running');
        // scheduled onto a node that kwok simulates (other suites may add their own kwok nodes)
        const node = await core.readNode({ name: pod.spec?.nodeName as string });
        expect(node.metadata?.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
        expect(pod.status?.podIP).toBeTruthy();
      }

      // Deleting the owner: the garbage collector removes the ReplicaSet and its pods.
      const replicaSets = await apps.listNamespacedReplicaSet({ namespace: ns });
      expect(replicaSets.items).toHaveLength(1);
      await apps.deleteNamespacedDeployment({ name: 'web', namespace: ns, propagationPolicy: 'Background' });
      await waitFor('ReplicaSet and pods of the deleted Deployment to be garbage-collected', async () => {
        const [rs, left] = await Promise.all([
          apps.listNamespacedReplicaSet({ namespace: ns }),
          core.listNamespacedPod({ namespace: ns }),
        ]);
        return rs.items.length === 0 && left.items.length === 0;
      });
    });
  });

  it('garbage-collects a dependent whose owner is deleted', async () => {
    await withNs('smoke-gc', async (ns) => {
      const owner: V1ConfigMap = await core.createNamespacedConfigMap({
        namespace: ns,
        body: { metadata: { name: 'owner' }, data: { role: 'owner' } },
      });
      await core.createNamespacedSecret({
        namespace: ns,
        body: {
          metadata: {
            name: 'dependent',
            ownerReferences: [
              { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata?.uid as string },
            ],
          },
          stringData: { role: 'dependent' },
        },
      });
      await core.deleteNamespacedConfigMap({ name: 'owner', namespace: ns });
      await waitFor('Secret dependent to be garbage-collected', () =>
        isGone(() => core.readNamespacedSecret({ name: 'dependent', namespace: ns })),
      );
    });
  });

  it('completes a Job (kwok marks its pod Succeeded)', async () => {
    const batch = kc.makeApiClient(BatchV1Api);
    await withNs('smoke-job', async (ns) => {
      await batch.createNamespacedJob({
        namespace: ns,
        body: {
          metadata: { name: 'once' },
          spec: { template: { spec: { restartPolicy: 'Never', containers: pauseContainer } } },
        },
      });
      const job = await waitFor('Job once to complete', async () => {
        const j = await batch.readNamespacedJob({ name: 'once', namespace: ns });
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') && j;
      });
      expect(job.status?.succeeded).toBe(1);
    });
  });

  it('makes a StatefulSet ready', async () => {
    await withNs('smoke-sts', async (ns) => {
      await core.createNamespacedService({
        namespace: ns,
        body: {
          metadata: { name: 'db' },
          spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] },
        },
      });
      await apps.createNamespacedStatefulSet({
        namespace: ns,
        body: {
          metadata: { name: 'db' },
          spec: {
            serviceName: 'db',
            replicas: 2,
            selector: { matchLabels: { app: 'db' } },
            template: { metadata: { labels: { app: 'db' } }, spec: { containers: pauseContainer } },
          },
        },
      });
      await waitFor('StatefulSet db to have 2 ready replicas', async () => {
        const s = await apps.readNamespacedStatefulSet({ name: 'db', namespace: ns });
        return s.status?.readyReplicas === 2;
      });
      const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=db' });
      expect(pods.items.map((p) => p.metadata?.name).sort()).toEqual(['db-0', 'db-1']);
    });
  });

  it('finishes deleting a namespace that has running pods', async () => {
    const namespace = await createTestNamespace(kc, 'smoke-nsdel');
    await apps.createNamespacedDeployment({
      namespace: namespace.name,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: pauseContainer } },
        },
      },
    });
    await waitFor('Deployment web to be ready', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: namespace.name });
      return d.status?.readyReplicas === 2;
    });
    await namespace.cleanup({ wait: true });
    expect(await isGone(() => core.readNamespace({ name: namespace.name }))).toBe(true);
  });

  it('rejects a CRD with a non-structural schema, and enforces CEL rules of a structural one', async () => {
    const apiext = kc.makeApiClient(ApiextensionsV1Api);
    const group = `smoke${Date.now().toString(36)}.reinhardt.test`;
    const crd = (
      plural: string,
      schema: V1JSONSchemaProps,
    ): V1CustomResourceDefinition & { spec: { names: { plural: string } } } => ({
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: {
          plural,
          singular: plural.slice(0, -1),
          kind: plural[0]?.toUpperCase() + plural.slice(1, -1),
        },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
      },
    });

    // No `type` anywhere: not a structural schema.
    const rejected = await apiError(
      apiext.createCustomResourceDefinition({
        body: crd('widgets', { properties: { spec: { properties: { size: { type: 'integer' } } } } }),
      }),
    );
    expect(rejected.code).toBe(422);
    expect(statusMessage(rejected)).toContain(
      'openAPIV3Schema.type: Required value: must not be empty at the root',
    );

    const gadgets = crd('gadgets', {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: { min: { type: 'integer' }, max: { type: 'integer' } },
          // the generated model's name for x-kubernetes-validations (unknown keys are dropped when serialising)
          x_kubernetes_validations: [{ rule: 'self.min <= self.max', message: 'min must not exceed max' }],
        },
      },
    });
    await apiext.createCustomResourceDefinition({ body: gadgets });
    try {
      await waitFor('CRD gadgets to be Established', async () => {
        const c = await apiext.readCustomResourceDefinition({ name: `gadgets.${group}` });
        return c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True');
      });
      await withNs('smoke-crd', async (ns) => {
        const objects = KubernetesObjectApi.makeApiClient(kc);
        const gadget = (name: string, min: number, max: number) => ({
          apiVersion: `${group}/v1`,
          kind: 'Gadget',
          metadata: { name, namespace: ns },
          spec: { min, max },
        });
        // The discovery cache of a brand-new group can lag for a moment.
        await waitFor('a valid Gadget to be accepted', async () => {
          await objects.create(gadget('ok', 1, 2));
          return true;
        });
        const invalid = await apiError(objects.create(gadget('bad', 3, 2)));
        expect(invalid.code).toBe(422);
        expect(statusMessage(invalid)).toContain('spec: Invalid value: "object": min must not exceed max');
      });
    } finally {
      await apiext.deleteCustomResourceDefinition({ name: `gadgets.${group}` });
    }
  });

  it('reports a server-side apply conflict between two field managers', async () => {
    await withNs('smoke-ssa', async (ns) => {
      const objects = KubernetesObjectApi.makeApiClient(kc);
      const config = (replicas: string) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'shared', namespace: ns },
        data: { replicas },
      });
      await objects.patch(
        config('1'),
        undefined,
        undefined,
        'manager-a',
        false,
        PatchStrategy.ServerSideApply,
      );
      const conflict = await apiError(
        objects.patch(config('2'), undefined, undefined, 'manager-b', false, PatchStrategy.ServerSideApply),
      );
      expect(conflict.code).toBe(409);
      expect(statusMessage(conflict)).toBe(
        'Apply failed with 1 conflict: conflict with "manager-a": .data.replicas',
      );
      // Forcing takes the field over, and the managedFields record the new owner.
      const forced = await objects.patch(
        config('2'),
        undefined,
        undefined,
        'manager-b',
        true,
        PatchStrategy.ServerSideApply,
      );
      const forcedConfigMap = forced as V1ConfigMap;
      expect(forcedConfigMap.data?.replicas).toBe('2');
      expect(forcedConfigMap.metadata?.managedFields?.map((f) => f.manager)).toContain('manager-b');
    });
  });

  it('forbids a ServiceAccount without RBAC, and allows it once a Role is bound', async () => {
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await withNs('smoke-rbac', async (ns) => {
      await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'robot' } } });
      const tokenRequest = await core.createNamespacedServiceAccountToken({
        name: 'robot',
        namespace: ns,
        body: { spec: { audiences: [], expirationSeconds: 600 } },
      });
      const token = tokenRequest.status?.token;
      expect(token).toBeTruthy();

      const cluster = kc.getCurrentCluster();
      if (!cluster) throw new Error('the test kubeconfig has no current cluster');
      const robot = new KubeConfig();
      robot.loadFromOptions({
        clusters: [cluster],
        users: [{ name: 'robot', token }],
        contexts: [{ name: 'robot', cluster: cluster.name, user: 'robot' }],
        currentContext: 'robot',
      });
      const robotCore = robot.makeApiClient(CoreV1Api);

      const forbidden = await apiError(robotCore.listNamespacedConfigMap({ namespace: ns }));
      expect(forbidden.code).toBe(403);
      expect(statusMessage(forbidden)).toContain(`system:serviceaccount:${ns}:robot`);

      await rbac.createNamespacedRole({
        namespace: ns,
        body: {
          metadata: { name: 'read-configmaps' },
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }],
        },
      });
      await rbac.createNamespacedRoleBinding({
        namespace: ns,
        body: {
          metadata: { name: 'robot-reads-configmaps' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
          subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: ns }],
        },
      });
      const allowed = await waitFor('the RoleBinding to take effect', async () => {
        return await robotCore.listNamespacedConfigMap({ namespace: ns });
      });
      expect(allowed.items.map((c) => c.metadata?.name)).toContain('kube-root-ca.crt');
      // Still only what the Role grants.
      expect((await apiError(robotCore.listNamespacedSecret({ namespace: ns }))).code).toBe(403);
    });
  });
});
