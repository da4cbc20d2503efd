// D9 on the simulated cluster: the cache follows the platform. The cloud controllers (ACK
// elasticache-controller, Config Connector) are not running here; their CRDs (operator/test/crds/) are
// installed and the test plays the cloud controller by patching the status subresource as they do.
import { join } from 'node:path';
import { cloudCacheId, type KubeObject } from '@reinhardt-cloud/core';
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
  kubectl,
  metricValue,
  OPERATOR_DIR,
  type OperatorProcess,
  projectObject,
  startOperator,
  TEST_RUN_LABEL,
  uniqueName,
  waitFor,
  waitForCondition,
} from './harness';

const CRDS = {
  ReplicationGroup: 'replicationgroups.elasticache.services.k8s.aws',
  RedisInstance: 'redisinstances.redis.cnrm.cloud.google.com',
} as const;

let admin: KubeClient;
let kubeconfig: string;
let namespace: string;
let run: string;
let operator: OperatorProcess | undefined;

function operatorEnv(runLabel: string, extra: Record<string, string>): Record<string, string> {
  return {
    REINHARDT_CLOUD_PROJECT_LABEL_SELECTOR: `${TEST_RUN_LABEL}=${runLabel}`,
    REINHARDT_CLOUD_LEASE_NAMESPACE: namespace,
    ...extra,
  };
}

async function installCloudCrd(kind: keyof typeof CRDS): Promise<void> {
  await kubectl(
    kubeconfig,
    'apply',
    '--server-side',
    '-f',
    join(OPERATOR_DIR, 'test', 'crds', `${CRDS[kind]}.yaml`),
  );
  await waitFor(`the ${kind} CRD to be served`, async () => {
    await admin.list(RESOURCES[kind], { labelSelector: 'x=none' });
    return true;
  });
}

async function removeCloudCrd(kind: keyof typeof CRDS, wait: boolean): Promise<void> {
  await kubectl(kubeconfig, 'delete', 'crd', CRDS[kind], '--ignore-not-found', `--wait=${wait}`);
}

type Env = { name: string; value?: string; valueFrom?: unknown }[];
function envOf(deployment: KubeObject | undefined): Env {
  return (
    (deployment?.spec as { template: { spec: { containers: { env?: Env }[] } } } | undefined)?.template.spec
      .containers[0]?.env ?? []
  );
}

function redisUrl(deployment: KubeObject | undefined): string | undefined {
  return envOf(deployment).find((e) => e.name === 'REINHARDT_CLOUD_REDIS_URL')?.value;
}

function cacheStatus(project: KubeObject): { phase?: string; endpoint?: string } | undefined {
  return (project.status as { cache?: { phase?: string; endpoint?: string } }).cache;
}

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

beforeAll(async () => {
  ({ admin, kubeconfig } = await ensureClusterUp());
  await installCrd(kubeconfig, admin);
  // The "not installed" case needs the CRDs absent (a previous run may have left them).
  await Promise.all([removeCloudCrd('RedisInstance', true), removeCloudCrd('ReplicationGroup', true)]);
  namespace = await createNamespace(admin, 'cloud-cache');
  run = uniqueName('cache');
}, 120_000);

afterAll(async () => {
  await operator?.stop();
  if (namespace) await deleteNamespace(admin, namespace);
  await Promise.all([removeCloudCrd('RedisInstance', false), removeCloudCrd('ReplicationGroup', false)]);
});

describe('gcp: Memorystore through Config Connector', () => {
  const name = 'store';

  it('without the CRD: a clear CacheReady message, the operator stays healthy; with it: a RedisInstance whose reported endpoint reaches the app', async () => {
    const label = `${run}-gcp`;
    operator = await startOperator(
      kubeconfig,
      operatorEnv(label, {
        REINHARDT_CLOUD_PLATFORM: 'gcp',
        REINHARDT_CLOUD_GCP_REGION: 'europe-west1',
        REINHARDT_CLOUD_GCP_NETWORK: 'projects/acme/global/networks/apps',
      }),
    );
    await applyProject(
      admin,
      projectObject(namespace, name, label, { image: 'registry.example.test/store:1', cache: {} }),
    );
    const missing = await waitForCondition(
      admin,
      namespace,
      name,
      'CacheReady',
      'False',
      'CacheControllerMissing',
    );
    expect(conditionOf(missing, 'CacheReady')?.message).toBe(
      'Memorystore needs Config Connector: CRD redisinstances.redis.cnrm.cloud.google.com is not installed (or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster)',
    );
    expect(cacheStatus(missing)?.phase).toBe('failed');
    // Healthy: ready, and the rest of the app is deployed.
    expect((await operator.readyz()).status).toBe(200);
    expect(await child(admin, 'Deployment', namespace, name)).toBeDefined();
    // Discovery said so (a 404, not an error), and no informer was started for the kind.
    const said = (text: string) => operator?.records().some((r) => String(r.message).includes(text));
    expect(said('CRD redisinstances.redis.cnrm.cloud.google.com is not installed')).toBe(true);
    expect(said('could not ask discovery')).toBe(false);
    expect((await operator.readyz()).body).not.toContain('redisinstances');

    // Config Connector gets installed: the next look (SIGUSR2 here, else every 30 s) picks it up.
    await installCloudCrd('RedisInstance');
    operator.child.kill('SIGUSR2');
    const instance = await waitFor(
      'the RedisInstance',
      async () => (await child(admin, 'RedisInstance', namespace, `${name}-redis`)) ?? undefined,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(instance.spec).toMatchObject({
      resourceID: cloudCacheId(namespace, name),
      region: 'europe-west1',
      tier: 'BASIC',
      memorySizeGb: 1,
      redisVersion: 'REDIS_7_0',
      authEnabled: false,
      transitEncryptionMode: 'DISABLED',
      authorizedNetworkRef: { external: 'projects/acme/global/networks/apps' },
    });
    const project = await admin.get(RESOURCES.Project, namespace, name);
    expect(instance.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'Project',
      uid: project?.metadata.uid,
    });
    const provisioning = await waitForCondition(
      admin,
      namespace,
      name,
      'CacheReady',
      'False',
      'CacheProvisioning',
    );
    expect(conditionOf(provisioning, 'CacheReady')?.message).toContain(
      'Memorystore RedisInstance store-redis',
    );

    // Play Config Connector: Ready=True for the current generation, host and port.
    await admin.patch(
      RESOURCES.RedisInstance,
      namespace,
      `${name}-redis`,
      {
        status: {
          observedGeneration: instance.metadata.generation,
          host: '10.20.0.3',
          port: 6379,
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'UpToDate',
              message: 'The resource is up to date',
              lastTransitionTime: now(),
            },
          ],
        },
      },
      'merge',
      'status',
    );
    const available = await waitForCondition(admin, namespace, name, 'CacheReady', 'True', 'CacheAvailable');
    expect(cacheStatus(available)).toEqual({ phase: 'ready', endpoint: '10.20.0.3:6379' });
    expect(said('RedisInstance (redisinstances.redis.cnrm.cloud.google.com) is served')).toBe(true);
    await waitFor('the app env to name the Memorystore endpoint', async () => {
      const web = await child(admin, 'Deployment', namespace, name);
      return redisUrl(web) === 'redis://10.20.0.3:6379/0' || undefined;
    });
    expect((await operator.readyz()).status).toBe(200);
    expect(operator.records().filter((r) => r.level === 'error')).toEqual([]);
    await operator.stop();
    operator = undefined;
  }, 60_000);
});

describe('aws: ElastiCache through the ACK elasticache-controller', () => {
  const name = 'shop';

  it('creates a ReplicationGroup with the generated AUTH token; the ACK-reported endpoint reaches the app through env and the <n>-redis ExternalName', async () => {
    const label = `${run}-aws`;
    await installCloudCrd('ReplicationGroup');
    operator = await startOperator(
      kubeconfig,
      operatorEnv(label, {
        REINHARDT_CLOUD_PLATFORM: 'aws',
        REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP: 'apps-private',
        REINHARDT_CLOUD_AWS_CACHE_SECURITY_GROUP_IDS: 'sg-0a1b2c3d4e5f60718, sg-0f0e0d0c0b0a09080',
      }),
    );
    await applyProject(
      admin,
      projectObject(namespace, name, label, {
        image: 'registry.example.test/shop:1',
        cache: { instance_type: 'cache.t4g.small' },
      }),
    );
    const group = await waitFor(
      'the ReplicationGroup',
      async () => (await child(admin, 'ReplicationGroup', namespace, `${name}-redis`)) ?? undefined,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(group.spec).toEqual({
      replicationGroupID: cloudCacheId(namespace, name),
      description: `Reinhardt Cloud cache of Project ${namespace}/${name}`,
      engine: 'redis',
      cacheNodeType: 'cache.t4g.small',
      numNodeGroups: 1,
      replicasPerNodeGroup: 0,
      port: 6379,
      atRestEncryptionEnabled: true,
      transitEncryptionEnabled: true,
      authToken: { name: `${name}-redis-credentials`, key: 'password' },
      cacheSubnetGroupName: 'apps-private',
      securityGroupIDs: ['sg-0a1b2c3d4e5f60718', 'sg-0f0e0d0c0b0a09080'],
    });
    expect(await child(admin, 'Deployment', namespace, `${name}-redis`)).toBeUndefined();
    const secret = await child(admin, 'Secret', namespace, `${name}-redis-credentials`);
    expect(
      Buffer.from((secret?.data as Record<string, string> | undefined)?.password ?? '', 'base64').toString(),
    ).toMatch(/^[A-Za-z0-9]{32}$/);
    await waitForCondition(admin, namespace, name, 'CacheReady', 'False', 'CacheProvisioning');

    // Play ACK: ResourceSynced, status available, the primary endpoint of the single node group.
    const address = `master.${cloudCacheId(namespace, name)}.abc123.use1.cache.amazonaws.com`;
    await admin.patch(
      RESOURCES.ReplicationGroup,
      namespace,
      `${name}-redis`,
      {
        status: {
          ackResourceMetadata: {
            arn: `arn:aws:elasticache:us-east-1:123456789012:replicationgroup:${cloudCacheId(namespace, name)}`,
            ownerAccountID: '123456789012',
            region: 'us-east-1',
          },
          conditions: [
            {
              type: 'ACK.ResourceSynced',
              status: 'True',
              message: 'Resource synced successfully',
              lastTransitionTime: now(),
            },
          ],
          status: 'available',
          nodeGroups: [
            { nodeGroupID: '0001', status: 'available', primaryEndpoint: { address, port: 6379 } },
          ],
        },
      },
      'merge',
      'status',
    );
    const available = await waitForCondition(admin, namespace, name, 'CacheReady', 'True', 'CacheAvailable');
    expect(cacheStatus(available)).toEqual({ phase: 'ready', endpoint: `${address}:6379` });
    const service = await waitFor(
      'the <n>-redis ExternalName Service',
      async () => (await child(admin, 'Service', namespace, `${name}-redis`)) ?? undefined,
    );
    expect(service.spec).toMatchObject({ type: 'ExternalName', externalName: address });
    await waitFor('the app env to name the ElastiCache endpoint over TLS', async () => {
      const web = await child(admin, 'Deployment', namespace, name);
      return redisUrl(web) === `rediss://:$(REINHARDT_CLOUD_REDIS_PASSWORD)@${address}:6379/0` || undefined;
    });
    const ready = await waitForCondition(admin, namespace, name, 'Ready', 'True', 'ReconcileSuccess');
    expect((ready.status as { phase: string }).phase).toBe('running');
    // Same SSA + hash skip as every child: the status updates ACK makes cause no second apply.
    const writes = metricValue(await operator.metrics(), 'reinhardt_cloud_operator_api_writes_total', {
      kind: 'ReplicationGroup',
    });
    expect(writes).toBe(1);
    expect(operator.records().filter((r) => r.level === 'error')).toEqual([]);

    // A cache is disposable: the ReplicationGroup is owned by the Project (controller reference), so the
    // garbage collector deletes it with the Project and ACK then deletes the ElastiCache group. (Waiting for the
    // collector here would measure its discovery resync of a just-installed CRD, up to 30 s, not the operator.)
    const project = await admin.get(RESOURCES.Project, namespace, name);
    const live = await child(admin, 'ReplicationGroup', namespace, `${name}-redis`);
    expect(live?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2',
        kind: 'Project',
        name,
        uid: project?.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(live?.metadata.labels?.['paas.reinhardt-cloud.dev/data']).toBeUndefined();
  }, 60_000);
});

describe('aws with RBAC that does not cover ReplicationGroups', () => {
  it('reports CacheForbidden instead of waiting forever for a watch it may not open', async () => {
    const { accessReviews, applyChartRbac } = await import('../../charts/test/rbac');
    const label = `${run}-rbac`;
    const name = 'blocked';
    await installCloudCrd('ReplicationGroup');
    // The chart's RBAC for an on-premise install: everything the operator needs, no cloud cache kinds.
    const rbac = await applyChartRbac(kubeconfig, namespace, { values: { platform: 'onpremise' } });
    try {
      const [mayList] = await accessReviews(rbac.kubeconfigPath, [
        { verb: 'list', resource: 'replicationgroups', group: 'elasticache.services.k8s.aws' },
      ]);
      expect(mayList, 'the on-premise chart RBAC must not grant replicationgroups').toBe(false);
      operator = await startOperator(rbac.kubeconfigPath, {
        ...rbac.operatorEnv,
        ...operatorEnv(label, {
          REINHARDT_CLOUD_PLATFORM: 'aws',
          REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP: 'apps-private',
        }),
      });
      await applyProject(
        admin,
        projectObject(namespace, name, label, { image: 'registry.example.test/blocked:1', cache: {} }),
      );
      const forbidden = await waitForCondition(
        admin,
        namespace,
        name,
        'CacheReady',
        'False',
        'CacheForbidden',
      );
      expect(conditionOf(forbidden, 'CacheReady')?.message).toBe(
        'The operator may not list replicationgroups.elasticache.services.k8s.aws (RBAC): grant it get, list, watch, create, patch and delete on them (the chart does with platform aws), or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster',
      );
      expect((await operator.readyz()).status).toBe(200);
      expect(await child(admin, 'Deployment', namespace, name)).toBeDefined();
      expect(await child(admin, 'ReplicationGroup', namespace, `${name}-redis`)).toBeUndefined();
    } finally {
      await operator?.stop();
      operator = undefined;
      await rbac.cleanup();
    }
  }, 60_000);
});
