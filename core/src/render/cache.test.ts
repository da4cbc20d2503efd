// D9: the cache follows the platform (ElastiCache through ACK on aws, Memorystore through Config Connector on
// gcp, in-cluster Redis on-premise or with REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster).
import { describe, expect, it } from 'vitest';
import { type ProjectSpecInput, projectSpecSchema } from '../crd/schema';
import { cloudCacheId } from './cache';
import { goldenYaml } from './golden-yaml';
import { render } from './render';
import type { KubeObject, Observed, RenderConfig, RenderProject, RenderResult } from './types';

const UID = '6a0c3a52-5d0e-4c43-9f3e-0c4cbb1d7a10';
const AWS: RenderConfig = {
  platform: 'aws',
  cache: {
    aws: {
      subnetGroup: 'apps-private',
      securityGroupIds: ['sg-0a1b2c3d4e5f60718'],
      region: 'eu-west-1',
    },
  },
};
const GCP: RenderConfig = {
  platform: 'gcp',
  cache: { gcp: { region: 'europe-west1', network: 'projects/acme/global/networks/apps', project: 'acme' } },
};
const ENDPOINT = 'master.shop-team-a.abc123.euw1.cache.amazonaws.com';

function project(spec: ProjectSpecInput): RenderProject {
  return {
    metadata: { name: 'shop', namespace: 'team-a', uid: UID, generation: 1 },
    spec: projectSpecSchema.parse(spec),
  };
}

const SPEC: ProjectSpecInput = {
  image: 'shop:3',
  cache: { backend: 'redis' },
  worker: { concurrency: 2 },
};

function golden(result: RenderResult): string {
  return goldenYaml(result, { cache: result.cache });
}

function webDeployment(image: string, name = 'shop', container = 'shop'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, generation: 1 },
    spec: { template: { spec: { containers: [{ name: container, image }] } } },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
    },
  };
}

function replicationGroup(status: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'elasticache.services.k8s.aws/v1alpha1',
    kind: 'ReplicationGroup',
    metadata: { name: 'shop-redis', generation: 1 },
    status,
  };
}

const AVAILABLE = {
  status: 'available',
  conditions: [{ type: 'ACK.ResourceSynced', status: 'True', message: 'Resource synced successfully' }],
  nodeGroups: [{ nodeGroupID: '0001', primaryEndpoint: { address: ENDPOINT, port: 6379 } }],
};

function redisInstance(status: Record<string, unknown>, generation = 1): KubeObject {
  return {
    apiVersion: 'redis.cnrm.cloud.google.com/v1beta1',
    kind: 'RedisInstance',
    metadata: { name: 'shop-redis', generation },
    status,
  };
}

function kinds(result: RenderResult): string[] {
  return result.objects.map((d) => `${d.object.kind}/${d.object.metadata.name}`);
}

function cacheCondition(result: RenderResult) {
  return result.conditions.find((c) => c.type === 'CacheReady');
}

function webEnv(result: RenderResult): Record<string, string | undefined> {
  const web = result.objects.find((d) => d.object.kind === 'Deployment' && d.object.metadata.name === 'shop');
  const spec = web?.object.spec as {
    template: { spec: { containers: { env: { name: string; value?: string }[] }[] } };
  };
  return Object.fromEntries((spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));
}

describe('cache golden files', () => {
  const cases: [string, RenderProject, Observed, RenderConfig][] = [
    [
      'cache-aws-provisioning',
      project({ ...SPEC, cache: { backend: 'redis', instance_type: 'cache.t4g.small' } }),
      {},
      AWS,
    ],
    [
      'cache-aws-available',
      project(SPEC),
      {
        objects: {
          'Deployment/shop': webDeployment('shop:3'),
          'Deployment/shop-worker': webDeployment('shop:3', 'shop-worker', 'worker'),
          'ReplicationGroup/shop-redis': replicationGroup(AVAILABLE),
        },
      },
      AWS,
    ],
    [
      'cache-gcp-available',
      project({ image: 'shop:3', cache: { instance_type: 'STANDARD_HA' } }),
      {
        objects: {
          'Deployment/shop': webDeployment('shop:3'),
          'RedisInstance/shop-redis': redisInstance({
            observedGeneration: 1,
            host: '10.20.0.3',
            port: 6379,
            conditions: [
              { type: 'Ready', status: 'True', reason: 'UpToDate', message: 'The resource is up to date' },
            ],
          }),
        },
      },
      GCP,
    ],
  ];
  for (const [name, input, observed, config] of cases) {
    it(name, async () => {
      await expect(golden(render(input, observed, config))).toMatchFileSnapshot(`./__golden__/${name}.yaml`);
    });
  }
});

describe('D9: the cache follows the platform', () => {
  it('aws: an ACK ReplicationGroup with the generated AUTH token, no in-cluster Redis', () => {
    const result = render(project(SPEC), {}, AWS);
    expect(kinds(result)).toContain('ReplicationGroup/shop-redis');
    expect(kinds(result)).toContain('Secret/shop-redis-credentials');
    expect(kinds(result)).not.toContain('Deployment/shop-redis');
    const group = result.objects.find((d) => d.object.kind === 'ReplicationGroup')?.object;
    expect(group?.apiVersion).toBe('elasticache.services.k8s.aws/v1alpha1');
    expect(group?.spec).toMatchObject({
      replicationGroupID: 'shop-team-a',
      engine: 'redis',
      cacheNodeType: 'cache.t3.micro',
      transitEncryptionEnabled: true,
      authToken: { name: 'shop-redis-credentials', key: 'password' },
      cacheSubnetGroupName: 'apps-private',
      securityGroupIDs: ['sg-0a1b2c3d4e5f60718'],
    });
    expect(group?.metadata.ownerReferences?.[0]?.uid).toBe(UID);
    expect(cacheCondition(result)).toMatchObject({ status: 'False', reason: 'CacheProvisioning' });
    expect(result.cache).toEqual({ phase: 'provisioning' });
  });

  it('aws: available ⇒ CacheReady=True, endpoint in status, env and the <n>-redis ExternalName', () => {
    const result = render(
      project(SPEC),
      { objects: { 'ReplicationGroup/shop-redis': replicationGroup(AVAILABLE) } },
      AWS,
    );
    expect(cacheCondition(result)).toMatchObject({ status: 'True', reason: 'CacheAvailable' });
    expect(cacheCondition(result)?.message).toContain(`${ENDPOINT}:6379`);
    expect(result.cache).toEqual({ phase: 'ready', endpoint: `${ENDPOINT}:6379` });
    expect(webEnv(result).REINHARDT_CLOUD_REDIS_URL).toBe(
      `rediss://:$(REINHARDT_CLOUD_REDIS_PASSWORD)@${ENDPOINT}:6379/0`,
    );
    expect(webEnv(result).REINHARDT_CACHE__LOCATION).toBe('$(REINHARDT_CLOUD_REDIS_URL)');
    const service = result.objects.find(
      (d) => d.object.kind === 'Service' && d.object.metadata.name === 'shop-redis',
    );
    expect(service?.object.spec).toMatchObject({ type: 'ExternalName', externalName: ENDPOINT });
  });

  it('aws: a cache being modified keeps its endpoint (the app does not roll) but is not ready', () => {
    const modifying = {
      ...AVAILABLE,
      status: 'modifying',
      conditions: [
        { type: 'ACK.ResourceSynced', status: 'False', message: 'replication group state is modifying' },
      ],
    };
    const result = render(
      project(SPEC),
      { objects: { 'ReplicationGroup/shop-redis': replicationGroup(modifying) } },
      AWS,
    );
    expect(cacheCondition(result)).toMatchObject({ status: 'False', reason: 'CacheProvisioning' });
    expect(cacheCondition(result)?.message).toBe(
      'Waiting for ElastiCache ReplicationGroup shop-redis: status modifying, ACK.ResourceSynced False: replication group state is modifying',
    );
    expect(webEnv(result).REINHARDT_CLOUD_REDIS_URL).toContain(ENDPOINT);
  });

  it('aws: ACK.Terminal ⇒ CacheFailed with the controller message', () => {
    const terminal = {
      status: 'create-failed',
      conditions: [
        { type: 'ACK.Terminal', status: 'True', message: 'InvalidParameterValue: invalid cache node type' },
      ],
    };
    const result = render(
      project(SPEC),
      { objects: { 'ReplicationGroup/shop-redis': replicationGroup(terminal) } },
      AWS,
    );
    expect(cacheCondition(result)).toEqual({
      type: 'CacheReady',
      status: 'False',
      reason: 'CacheFailed',
      message:
        'ElastiCache ReplicationGroup shop-redis failed: InvalidParameterValue: invalid cache node type',
    });
    expect(result.cache?.phase).toBe('failed');
  });

  it('without the CRD: a clear message and no cloud object to apply', () => {
    const result = render(project(SPEC), { uninstalledKinds: ['ReplicationGroup'] }, AWS);
    expect(cacheCondition(result)).toEqual({
      type: 'CacheReady',
      status: 'False',
      reason: 'CacheControllerMissing',
      message:
        'ElastiCache needs the ACK elasticache-controller: CRD replicationgroups.elasticache.services.k8s.aws is not installed (or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster)',
    });
    expect(kinds(result)).not.toContain('ReplicationGroup/shop-redis');
    const gcp = render(project(SPEC), { uninstalledKinds: ['RedisInstance'] }, GCP);
    expect(cacheCondition(gcp)?.message).toBe(
      'Memorystore needs Config Connector: CRD redisinstances.redis.cnrm.cloud.google.com is not installed (or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster)',
    );
    expect(kinds(gcp)).not.toContain('RedisInstance/shop-redis');
  });

  it('without RBAC for the kind: CacheForbidden naming the grant', () => {
    const result = render(project(SPEC), { forbiddenKinds: ['ReplicationGroup'] }, AWS);
    expect(cacheCondition(result)).toEqual({
      type: 'CacheReady',
      status: 'False',
      reason: 'CacheForbidden',
      message:
        'The operator may not list replicationgroups.elasticache.services.k8s.aws (RBAC): grant it get, list, watch, create, patch and delete on them (the chart does with platform aws), or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster',
    });
    expect(kinds(result)).not.toContain('ReplicationGroup/shop-redis');
  });

  it('aws without a cache subnet group: CacheMisconfigured naming the operator setting', () => {
    const result = render(project(SPEC), {}, { platform: 'aws' });
    expect(cacheCondition(result)?.reason).toBe('CacheMisconfigured');
    expect(cacheCondition(result)?.message).toContain('REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP');
    expect(kinds(result)).not.toContain('ReplicationGroup/shop-redis');
  });

  it('gcp: a Config Connector RedisInstance; ready only once Ready=True for the current generation', () => {
    const provisioning = render(project(SPEC), {}, GCP);
    const instance = provisioning.objects.find((d) => d.object.kind === 'RedisInstance')?.object;
    expect(instance?.spec).toMatchObject({
      resourceID: 'shop-team-a',
      region: 'europe-west1',
      tier: 'BASIC',
      memorySizeGb: 1,
      authEnabled: false,
      authorizedNetworkRef: { external: 'projects/acme/global/networks/apps' },
    });
    expect(instance?.metadata.annotations).toEqual({ 'cnrm.cloud.google.com/project-id': 'acme' });
    expect(kinds(provisioning)).not.toContain('Secret/shop-redis-credentials');
    const stale = redisInstance(
      {
        observedGeneration: 1,
        host: '10.20.0.3',
        port: 6379,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
      2,
    );
    const result = render(project(SPEC), { objects: { 'RedisInstance/shop-redis': stale } }, GCP);
    expect(cacheCondition(result)).toMatchObject({ status: 'False', reason: 'CacheProvisioning' });
    expect(webEnv(result).REINHARDT_CLOUD_REDIS_URL).toBe('redis://10.20.0.3:6379/0');
    expect(webEnv(result).REINHARDT_CLOUD_REDIS_PASSWORD).toBeUndefined();
  });

  it('REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster keeps the in-cluster Redis on aws', () => {
    const result = render(project(SPEC), {}, { ...AWS, cache: { ...AWS.cache, provider: 'in-cluster' } });
    expect(kinds(result)).toEqual(expect.arrayContaining(['Deployment/shop-redis', 'Service/shop-redis']));
    expect(kinds(result)).not.toContain('ReplicationGroup/shop-redis');
    expect(webEnv(result).REINHARDT_CLOUD_REDIS_URL).toBe(
      'redis://:$(REINHARDT_CLOUD_REDIS_PASSWORD)@shop-redis:6379/0',
    );
  });

  it('on-premise is unchanged: in-cluster Redis', () => {
    expect(kinds(render(project(SPEC), {}, {}))).toContain('Deployment/shop-redis');
  });

  it('instance_type must fit the platform cache', () => {
    const aws = render(project({ ...SPEC, cache: { instance_type: 'STANDARD_HA' } }), {}, AWS);
    expect(aws.issues).toEqual([
      {
        path: 'spec.cache.instance_type',
        message:
          "spec.cache.instance_type: 'STANDARD_HA' is not an ElastiCache node type (expected e.g. cache.t3.micro or cache.r7g.large)",
      },
    ]);
    expect(aws.objects).toEqual([]);
    const gcp = render(project({ ...SPEC, cache: { instance_type: 'cache.t3.micro' } }), {}, GCP);
    expect(gcp.issues[0]?.message).toContain('is not a Memorystore tier (expected BASIC or STANDARD_HA)');
  });

  it('cloud identifiers are unique per namespace and valid (≤ 40 chars, letter first, no trailing -)', () => {
    expect(cloudCacheId('team-a', 'shop')).toBe('shop-team-a');
    expect(cloudCacheId('team-b', 'shop')).not.toBe(cloudCacheId('team-a', 'shop'));
    const long = cloudCacheId('tenant-acme-platform-production', '9-very-long-project-name-for-the-shop');
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(long).not.toContain('--');
    expect(cloudCacheId('tenant-acme-platform-production', '9-very-long-project-name-for-the-shap')).not.toBe(
      long,
    );
  });
});
