// Where the Redis of `spec.cache` (or of a Redis session backend) runs (D9). On-premise: the in-cluster
// `<n>-redis` Deployment. On aws: ElastiCache, declared as an ACK elasticache-controller `ReplicationGroup`;
// on gcp: Memorystore, declared as a Config Connector `RedisInstance`. The cloud controllers create the real
// resource and report its state in the object's status, which this file turns into `CacheReady` and
// `status.cache`. `REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster` keeps the in-cluster Redis on every platform.
//
// How the app finds the cloud endpoint: the env (`REINHARDT_CLOUD_REDIS_URL`) is set from the endpoint the
// cloud controller reports, not through an `ExternalName` alias. ElastiCache needs TLS for its AUTH token and
// its certificate names the `*.cache.amazonaws.com` host (a client connecting to an alias fails hostname
// verification), and Memorystore reports an IP address (an `ExternalName` must be a DNS name). On aws the
// `<n>-redis` Service still exists, as an `ExternalName` to the primary endpoint, so the in-cluster DNS name
// keeps resolving to the cache. Until the endpoint is known the URL names `<n>-redis` (nothing answers yet);
// the pods roll once when the endpoint appears. The endpoint is taken from the status whenever present (also
// while the cache is `modifying`), so a later resize does not roll the app.
//
// Lifetime: a cache is disposable. The cloud object carries the controller owner reference like every other
// child, so deleting the Project (or switching the provider) deletes it through the garbage collector and the
// cloud controller deletes the cloud resource; `deletion_policy` only governs data (database, secret keys).
import type { Platform, RenderContext } from './context';
import type { EnvVar } from './env';
import { fnv1a64 } from './names';
import { generatedSecret, meta } from './objects';
import type {
  CacheConfig,
  DesiredObject,
  KubeObject,
  Observed,
  RenderCondition,
  RenderIssue,
  RenderResult,
} from './types';

export type CacheProvider = 'in-cluster' | 'elasticache' | 'memorystore';

export interface CachePlan {
  /** `spec.cache` or the introspect cache signal (else Redis is only the session backend). */
  forCache: boolean;
  provider: CacheProvider;
  /** Operator settings of the cloud cache (cloud providers only). */
  settings?: CacheConfig;
  /** Endpoint reported by the cloud controller (filled by `observeCloudCache` before objects are built). */
  endpoint?: { address: string; port: number };
  /** False when the cloud object cannot be applied (CRD not installed, operator setting missing). */
  applicable?: boolean;
}

export const ELASTICACHE = {
  apiVersion: 'elasticache.services.k8s.aws/v1alpha1',
  kind: 'ReplicationGroup',
  crd: 'replicationgroups.elasticache.services.k8s.aws',
} as const;
export const MEMORYSTORE = {
  apiVersion: 'redis.cnrm.cloud.google.com/v1beta1',
  kind: 'RedisInstance',
  crd: 'redisinstances.redis.cnrm.cloud.google.com',
} as const;

export const CACHE_PROVIDER_ENV = 'REINHARDT_CLOUD_CACHE_PROVIDER';
const AWS_DEFAULT_NODE_TYPE = 'cache.t3.micro';
const GCP_DEFAULT_REGION = 'us-central1';
const GCP_TIERS = ['BASIC', 'STANDARD_HA'];
const REDIS_PORT = 6379;

export function cachePlan(platform: Platform, config: { cache?: CacheConfig }, forCache: boolean): CachePlan {
  const provider: CacheProvider =
    config.cache?.provider === 'in-cluster'
      ? 'in-cluster'
      : platform === 'aws'
        ? 'elasticache'
        : platform === 'gcp'
          ? 'memorystore'
          : 'in-cluster';
  return provider === 'in-cluster'
    ? { forCache, provider }
    : { forCache, provider, settings: config.cache ?? {}, applicable: true };
}

/**
 * Cloud identifier of the cache: ElastiCache replication group IDs and Memorystore instance IDs are unique per
 * account/project and region (not per namespace), at most 40 characters, start with a letter, no `--`, no
 * trailing `-`. `<name>-<namespace>`, shortened with a hash when too long.
 */
export function cloudCacheId(namespace: string, name: string): string {
  let id = `${name}-${namespace}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-');
  if (!/^[a-z]/.test(id)) id = `r-${id}`;
  if (id.length > 40)
    id = `${id.slice(0, 31).replace(/-+$/, '')}-${fnv1a64(`${namespace}/${name}`).slice(0, 8)}`;
  return id.replace(/-+$/, '');
}

/** `spec.cache.instance_type` must mean something on the platform's cloud cache. */
export function cacheIssues(ctx: RenderContext): RenderIssue[] {
  const type = ctx.spec.cache?.instance_type?.trim();
  const provider = ctx.redis?.provider;
  if (!type || !provider) return [];
  const path = 'spec.cache.instance_type';
  if (provider === 'elasticache' && !/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(type))
    return [
      {
        path,
        message: `${path}: '${type}' is not an ElastiCache node type (expected e.g. cache.t3.micro or cache.r7g.large)`,
      },
    ];
  if (provider === 'memorystore' && !GCP_TIERS.includes(type))
    return [
      {
        path,
        message: `${path}: '${type}' is not a Memorystore tier (expected ${GCP_TIERS.join(' or ')})`,
      },
    ];
  return [];
}

export interface CloudCacheState {
  condition: RenderCondition;
  status: NonNullable<RenderResult['cache']>;
}

type Status = {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  observedGeneration?: number;
  status?: string;
  host?: string;
  port?: number;
  nodeGroups?: { primaryEndpoint?: { address?: string; port?: number } }[];
  configurationEndpoint?: { address?: string; port?: number };
};

function statusOf(object: KubeObject | undefined): Status {
  return (object?.status as Status | undefined) ?? {};
}

function cond(ok: boolean, reason: string, message: string): RenderCondition {
  return { type: 'CacheReady', status: ok ? 'True' : 'False', reason, message };
}

function withDetail(text: string, detail: string | undefined): string {
  return detail ? `${text}: ${detail}` : text;
}

/**
 * Reads the cloud cache object of the Project (cloud providers only): fills `ctx.redis.endpoint` /
 * `applicable` for the object builders and returns `CacheReady` and `status.cache`.
 */
export function observeCloudCache(ctx: RenderContext, observed: Observed): CloudCacheState | undefined {
  const plan = ctx.redis;
  if (!plan || plan.provider === 'in-cluster') return undefined;
  const aws = plan.provider === 'elasticache';
  const api = aws ? ELASTICACHE : MEMORYSTORE;
  const label = aws
    ? `ElastiCache ReplicationGroup ${ctx.name}-redis`
    : `Memorystore RedisInstance ${ctx.name}-redis`;
  if ((observed.uninstalledKinds ?? []).includes(api.kind)) {
    plan.applicable = false;
    const needs = aws
      ? 'ElastiCache needs the ACK elasticache-controller'
      : 'Memorystore needs Config Connector';
    return {
      condition: cond(
        false,
        'CacheControllerMissing',
        `${needs}: CRD ${api.crd} is not installed (or set ${CACHE_PROVIDER_ENV}=in-cluster)`,
      ),
      status: { phase: 'failed' },
    };
  }
  if ((observed.forbiddenKinds ?? []).includes(api.kind)) {
    plan.applicable = false;
    return {
      condition: cond(
        false,
        'CacheForbidden',
        `The operator may not list ${api.crd} (RBAC): grant it get, list, watch, create, patch and delete on them (the chart does with platform ${aws ? 'aws' : 'gcp'}), or set ${CACHE_PROVIDER_ENV}=in-cluster`,
      ),
      status: { phase: 'failed' },
    };
  }
  if (aws && !plan.settings?.aws?.subnetGroup) {
    plan.applicable = false;
    return {
      condition: cond(
        false,
        'CacheMisconfigured',
        `ElastiCache needs a cache subnet group (in-transit encryption, required for the AUTH token, needs one): set REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP on the operator (or ${CACHE_PROVIDER_ENV}=in-cluster)`,
      ),
      status: { phase: 'failed' },
    };
  }
  const live = observed.objects?.[`${api.kind}/${ctx.name}-redis`];
  if (!live)
    return {
      condition: cond(false, 'CacheProvisioning', `Creating ${label}`),
      status: { phase: 'provisioning' },
    };
  const s = statusOf(live);
  const conditions = s.conditions ?? [];
  let endpoint: { address?: string; port?: number } | undefined;
  let ready: boolean;
  let failure: string | undefined;
  let waiting: string;
  if (aws) {
    endpoint =
      s.nodeGroups?.find((g) => g.primaryEndpoint?.address)?.primaryEndpoint ?? s.configurationEndpoint;
    const synced = conditions.find((c) => c.type === 'ACK.ResourceSynced');
    const terminal = conditions.find((c) => c.type === 'ACK.Terminal' && c.status === 'True');
    if (terminal) failure = terminal.message ?? terminal.reason ?? 'ACK.Terminal';
    else if (s.status === 'create-failed') failure = 'status create-failed';
    ready = synced?.status === 'True' && s.status === 'available';
    waiting = withDetail(
      `Waiting for ${label}: status ${s.status ?? 'unknown'}, ACK.ResourceSynced ${synced?.status ?? 'Unknown'}`,
      synced?.message,
    );
  } else {
    endpoint = s.host ? { address: s.host, port: s.port } : undefined;
    const readyCondition = conditions.find((c) => c.type === 'Ready');
    const generation = (live.metadata.generation as number | undefined) ?? 0;
    const current = s.observedGeneration === undefined || s.observedGeneration >= generation;
    ready = readyCondition?.status === 'True' && current;
    waiting = withDetail(
      `Waiting for ${label}: Ready ${readyCondition?.status ?? 'Unknown'}${readyCondition?.reason ? ` (${readyCondition.reason})` : ''}`,
      readyCondition?.message,
    );
  }
  const address = endpoint?.address?.trim();
  if (address) plan.endpoint = { address, port: endpoint?.port ?? REDIS_PORT };
  const shown = plan.endpoint ? `${plan.endpoint.address}:${plan.endpoint.port}` : undefined;
  if (failure)
    return {
      condition: cond(false, 'CacheFailed', `${label} failed: ${failure}`),
      status: { phase: 'failed' },
    };
  if (ready && shown)
    return {
      condition: cond(true, 'CacheAvailable', `${label} is available at ${shown}`),
      status: { phase: 'ready', endpoint: shown },
    };
  return {
    condition: cond(false, 'CacheProvisioning', waiting),
    status: shown ? { phase: 'provisioning', endpoint: shown } : { phase: 'provisioning' },
  };
}

function secretEnv(name: string, secret: string, key: string): EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

/** The Redis env of app containers; the names are the same on every platform. */
export function redisEnv(ctx: RenderContext): EnvVar[] {
  const plan = ctx.redis;
  if (!plan) return [];
  const { name } = ctx;
  const password = secretEnv('REINHARDT_CLOUD_REDIS_PASSWORD', `${name}-redis-credentials`, 'password');
  const host = plan.endpoint?.address ?? `${name}-redis`;
  const port = plan.endpoint?.port ?? REDIS_PORT;
  const env: EnvVar[] = [];
  if (plan.provider === 'elasticache') {
    // AUTH tokens require in-transit encryption: `rediss://` to the reported host (certificate name).
    env.push(password, {
      name: 'REINHARDT_CLOUD_REDIS_URL',
      value: `rediss://:$(REINHARDT_CLOUD_REDIS_PASSWORD)@${host}:${port}/0`,
    });
  } else if (plan.provider === 'memorystore') {
    // No AUTH (see memorystoreInstance): a password in the URL would make clients send AUTH and fail.
    env.push({ name: 'REINHARDT_CLOUD_REDIS_URL', value: `redis://${host}:${port}/0` });
  } else {
    env.push(password, {
      name: 'REINHARDT_CLOUD_REDIS_URL',
      value: `redis://:$(REINHARDT_CLOUD_REDIS_PASSWORD)@${name}-redis:6379/0`,
    });
  }
  if (plan.forCache) {
    env.push({ name: 'REINHARDT_CACHE__BACKEND', value: 'redis' });
    env.push({ name: 'REINHARDT_CACHE__LOCATION', value: '$(REINHARDT_CLOUD_REDIS_URL)' });
  }
  return env;
}

function elastiCacheGroup(ctx: RenderContext, plan: CachePlan): KubeObject {
  const aws = plan.settings?.aws ?? {};
  const annotations = aws.region ? { annotations: { 'services.k8s.aws/region': aws.region } } : {};
  const spec: Record<string, unknown> = {
    replicationGroupID: cloudCacheId(ctx.namespace, ctx.name),
    description: `Reinhardt Cloud cache of Project ${ctx.namespace}/${ctx.name}`,
    engine: 'redis',
    cacheNodeType: ctx.spec.cache?.instance_type?.trim() || aws.nodeType || AWS_DEFAULT_NODE_TYPE,
    // One shard, no replica: a cache is disposable, and cluster mode would need cluster-aware clients.
    numNodeGroups: 1,
    replicasPerNodeGroup: 0,
    port: REDIS_PORT,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    authToken: { name: `${ctx.name}-redis-credentials`, key: 'password' },
    cacheSubnetGroupName: aws.subnetGroup,
  };
  if (aws.securityGroupIds?.length) spec.securityGroupIDs = [...aws.securityGroupIds];
  return {
    apiVersion: ELASTICACHE.apiVersion,
    kind: ELASTICACHE.kind,
    metadata: meta(ctx, `${ctx.name}-redis`, 'cache', true, annotations),
    spec,
  };
}

/**
 * Memorystore without AUTH and without TLS, reachable only from the authorized VPC network. Config Connector
 * does not hand the generated AUTH string to Kubernetes as a Secret (only, deprecated, inside the object's
 * spec for anyone who can read RedisInstances), and TLS would need the instance's CA in every client; the
 * network boundary is the access control, as in Google's default Memorystore setup.
 */
function memorystoreInstance(ctx: RenderContext, plan: CachePlan): KubeObject {
  const gcp = plan.settings?.gcp ?? {};
  const annotations = gcp.project ? { annotations: { 'cnrm.cloud.google.com/project-id': gcp.project } } : {};
  const spec: Record<string, unknown> = {
    resourceID: cloudCacheId(ctx.namespace, ctx.name),
    displayName: `Reinhardt Cloud cache of ${ctx.namespace}/${ctx.name}`.slice(0, 80),
    region: gcp.region || GCP_DEFAULT_REGION,
    tier: ctx.spec.cache?.instance_type?.trim() || gcp.tier || 'BASIC',
    memorySizeGb: gcp.memorySizeGb ?? 1,
    redisVersion: gcp.redisVersion || 'REDIS_7_0',
    authEnabled: false,
    transitEncryptionMode: 'DISABLED',
  };
  if (gcp.network) spec.authorizedNetworkRef = { external: gcp.network };
  return {
    apiVersion: MEMORYSTORE.apiVersion,
    kind: MEMORYSTORE.kind,
    metadata: meta(ctx, `${ctx.name}-redis`, 'cache', true, annotations),
    spec,
  };
}

/** Objects of a cloud cache: the AUTH token Secret (aws), the cloud object, the `<n>-redis` alias (aws). */
export function cloudCacheObjects(ctx: RenderContext): DesiredObject[] {
  const plan = ctx.redis;
  if (!plan || plan.provider === 'in-cluster') return [];
  const out: DesiredObject[] = [];
  if (plan.provider === 'elasticache') {
    out.push(generatedSecret(ctx, `${ctx.name}-redis-credentials`, 'cache', {}, { password: 32 }, false));
    if (plan.applicable !== false) out.push({ object: elastiCacheGroup(ctx, plan), mode: 'apply' });
    if (plan.endpoint) {
      const service: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(ctx, `${ctx.name}-redis`, 'cache'),
        spec: {
          type: 'ExternalName',
          externalName: plan.endpoint.address,
          ports: [
            { name: 'redis', port: plan.endpoint.port, targetPort: plan.endpoint.port, protocol: 'TCP' },
          ],
        },
      };
      out.push({ object: service, mode: 'apply' });
    }
  } else if (plan.applicable !== false) {
    out.push({ object: memorystoreInstance(ctx, plan), mode: 'apply' });
  }
  return out;
}
