import { describe, expect, it } from 'vitest';
import { cacheConfigFromEnv, cloudCacheKind } from './cloud-cache';
import { loadConfig } from './config';

describe('cloud cache configuration (D9)', () => {
  it('reads the cache settings; defaults follow the platform', () => {
    expect(cacheConfigFromEnv({})).toEqual({ provider: 'platform', aws: {}, gcp: {} });
    expect(
      cacheConfigFromEnv({
        REINHARDT_CLOUD_CACHE_PROVIDER: ' In-Cluster ',
        REINHARDT_CLOUD_AWS_CACHE_NODE_TYPE: 'cache.t4g.small',
        REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP: 'apps-private',
        REINHARDT_CLOUD_AWS_CACHE_SECURITY_GROUP_IDS: 'sg-1, ,sg-2',
        REINHARDT_CLOUD_AWS_REGION: 'eu-west-1',
        REINHARDT_CLOUD_GCP_REGION: 'europe-west1',
        REINHARDT_CLOUD_GCP_NETWORK: 'projects/acme/global/networks/apps',
        REINHARDT_CLOUD_GCP_PROJECT: 'acme',
        REINHARDT_CLOUD_GCP_CACHE_TIER: 'standard_ha',
        REINHARDT_CLOUD_GCP_CACHE_MEMORY_GB: '5',
        REINHARDT_CLOUD_GCP_CACHE_REDIS_VERSION: 'REDIS_7_2',
      }),
    ).toEqual({
      provider: 'in-cluster',
      aws: {
        nodeType: 'cache.t4g.small',
        subnetGroup: 'apps-private',
        securityGroupIds: ['sg-1', 'sg-2'],
        region: 'eu-west-1',
      },
      gcp: {
        region: 'europe-west1',
        network: 'projects/acme/global/networks/apps',
        project: 'acme',
        tier: 'STANDARD_HA',
        memorySizeGb: 5,
        redisVersion: 'REDIS_7_2',
      },
    });
    expect(loadConfig({ REINHARDT_CLOUD_PLATFORM: 'aws' }).render.cache?.provider).toBe('platform');
  });

  it('rejects values it cannot use, naming the variable and what is expected', () => {
    expect(() => cacheConfigFromEnv({ REINHARDT_CLOUD_CACHE_PROVIDER: 'elasticache' })).toThrow(
      "REINHARDT_CLOUD_CACHE_PROVIDER='elasticache' must be 'platform' (ElastiCache on aws, Memorystore on gcp) or 'in-cluster'",
    );
    expect(() => cacheConfigFromEnv({ REINHARDT_CLOUD_GCP_CACHE_MEMORY_GB: '1.5' })).toThrow(
      'REINHARDT_CLOUD_GCP_CACHE_MEMORY_GB',
    );
    expect(() => cacheConfigFromEnv({ REINHARDT_CLOUD_GCP_CACHE_TIER: 'PREMIUM' })).toThrow(
      'must be BASIC or STANDARD_HA',
    );
  });

  it('watches a cloud kind only when the platform needs one', () => {
    expect(cloudCacheKind('aws', { provider: 'platform' })).toBe('ReplicationGroup');
    expect(cloudCacheKind('gcp', {})).toBe('RedisInstance');
    expect(cloudCacheKind('onpremise', {})).toBeUndefined();
    expect(cloudCacheKind('aws', { provider: 'in-cluster' })).toBeUndefined();
  });
});
