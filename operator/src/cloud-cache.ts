// The cloud cache kind (D9): ElastiCache through the ACK elasticache-controller (`ReplicationGroup`) on aws,
// Memorystore through Config Connector (`RedisInstance`) on gcp. Its CRD belongs to the cloud controller and
// may be missing: the operator then must neither crash nor stay unready waiting for a list that can never
// succeed. `CloudCacheWatch` asks discovery whether the kind is served, starts its informer only then, and
// looks again every `recheckMs` (and on SIGUSR2), so installing the controller later needs no restart.
import type { CacheConfig } from '@reinhardt-cloud/core';
import type { InformerSet } from './informer';
import { isStatus, type KubeClient, RESOURCES, resourcePath } from './kube';
import type { Logger } from './log';

export type CloudCacheKind = 'ReplicationGroup' | 'RedisInstance';

const PROVIDERS = ['platform', 'in-cluster'] as const;

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function text(raw: string | undefined): string | undefined {
  return raw?.trim() || undefined;
}

/** The cache settings of `RenderConfig` from the operator environment (README "Environment"). */
export function cacheConfigFromEnv(env: NodeJS.ProcessEnv): CacheConfig {
  const providerRaw = (env.REINHARDT_CLOUD_CACHE_PROVIDER ?? '').trim().toLowerCase() || 'platform';
  if (!(PROVIDERS as readonly string[]).includes(providerRaw))
    throw new Error(
      `REINHARDT_CLOUD_CACHE_PROVIDER='${env.REINHARDT_CLOUD_CACHE_PROVIDER}' must be 'platform' (ElastiCache on aws, Memorystore on gcp) or 'in-cluster'`,
    );
  const memoryRaw = text(env.REINHARDT_CLOUD_GCP_CACHE_MEMORY_GB);
  const memorySizeGb = memoryRaw === undefined ? undefined : Number(memoryRaw);
  if (
    memorySizeGb !== undefined &&
    !(Number.isInteger(memorySizeGb) && memorySizeGb >= 1 && memorySizeGb <= 300)
  )
    throw new Error(
      `REINHARDT_CLOUD_GCP_CACHE_MEMORY_GB='${memoryRaw}' must be a whole number of GB between 1 and 300`,
    );
  const tier = text(env.REINHARDT_CLOUD_GCP_CACHE_TIER)?.toUpperCase();
  if (tier !== undefined && tier !== 'BASIC' && tier !== 'STANDARD_HA')
    throw new Error(`REINHARDT_CLOUD_GCP_CACHE_TIER='${tier}' must be BASIC or STANDARD_HA`);
  const aws: NonNullable<CacheConfig['aws']> = {};
  const nodeType = text(env.REINHARDT_CLOUD_AWS_CACHE_NODE_TYPE);
  if (nodeType) aws.nodeType = nodeType;
  const subnetGroup = text(env.REINHARDT_CLOUD_AWS_CACHE_SUBNET_GROUP);
  if (subnetGroup) aws.subnetGroup = subnetGroup;
  const securityGroupIds = list(env.REINHARDT_CLOUD_AWS_CACHE_SECURITY_GROUP_IDS);
  if (securityGroupIds.length) aws.securityGroupIds = securityGroupIds;
  const awsRegion = text(env.REINHARDT_CLOUD_AWS_REGION);
  if (awsRegion) aws.region = awsRegion;
  const gcp: NonNullable<CacheConfig['gcp']> = {};
  const gcpRegion = text(env.REINHARDT_CLOUD_GCP_REGION);
  if (gcpRegion) gcp.region = gcpRegion;
  const network = text(env.REINHARDT_CLOUD_GCP_NETWORK);
  if (network) gcp.network = network;
  const project = text(env.REINHARDT_CLOUD_GCP_PROJECT);
  if (project) gcp.project = project;
  if (tier) gcp.tier = tier;
  if (memorySizeGb !== undefined) gcp.memorySizeGb = memorySizeGb;
  const redisVersion = text(env.REINHARDT_CLOUD_GCP_CACHE_REDIS_VERSION);
  if (redisVersion) gcp.redisVersion = redisVersion;
  return { provider: providerRaw as CacheConfig['provider'], aws, gcp };
}

/** The kind the operator must watch for caches, or none (on-premise, or the in-cluster escape hatch). */
export function cloudCacheKind(
  platform: string | undefined,
  cache: CacheConfig | undefined,
): CloudCacheKind | undefined {
  if (cache?.provider === 'in-cluster') return undefined;
  if (platform === 'aws') return 'ReplicationGroup';
  if (platform === 'gcp') return 'RedisInstance';
  return undefined;
}

/** Whether the API server serves the kind: `GET /apis/<group>/<version>` lists it (404: group not served). */
export async function kindServed(client: KubeClient, kind: CloudCacheKind): Promise<boolean> {
  const r = RESOURCES[kind];
  try {
    const list = await client.request<{ resources?: { name: string }[] }>(
      'GET',
      `/apis/${r.group}/${r.version}`,
    );
    return (list.resources ?? []).some((resource) => resource.name === r.plural);
  } catch (error) {
    if (isStatus(error, 404)) return false;
    throw error;
  }
}

export interface CloudCacheWatchOptions {
  client: KubeClient;
  kind: CloudCacheKind;
  /** Watched namespaces (empty: cluster-wide), the paths the informer will list. */
  namespaces: string[];
  /** The child informer of the kind, built like every other child's but started only once the kind is served. */
  informers: InformerSet;
  log: Logger;
  /** The kind is served: make the informer a child (observed, pruned, applied through the hash skip). */
  onServed(): void;
  /** The kind is no longer served (CRD deleted). */
  onGone(): void;
  /** The informer of a kind that appeared while running has synced: reconcile every Project again. */
  onSynced(): void;
  recheckMs?: number;
}

type KindState = 'absent' | 'forbidden' | 'served';

export class CloudCacheWatch {
  /** `undefined` until discovery answered once. */
  private state?: KindState;
  private running = false;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(private readonly options: CloudCacheWatchOptions) {}

  get kind(): CloudCacheKind {
    return this.options.kind;
  }

  /** Kinds render must not produce (not served, or not known to be served yet). */
  get uninstalledKinds(): string[] {
    return this.state === 'served' || this.state === 'forbidden' ? [] : [this.options.kind];
  }

  /** Served, but the operator may not list it: an informer could never sync (RBAC missing). */
  get forbiddenKinds(): string[] {
    return this.state === 'forbidden' ? [this.options.kind] : [];
  }

  /**
   * First discovery. When the kind is served the informer becomes a child before the controller starts its
   * informers (so startup waits for its sync like any other); otherwise nothing waits for it.
   */
  async start(): Promise<void> {
    this.running = true;
    await this.check(false);
    this.schedule();
  }

  recheck(): void {
    if (this.running) void this.check(true);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.checking;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      void this.check(true).finally(() => {
        if (this.running) this.schedule();
      });
    }, this.options.recheckMs ?? 30_000);
    this.timer.unref();
  }

  private check(startInformers: boolean): Promise<void> {
    this.checking ??= this.discover(startInformers).finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** Served and listable on every path the informer uses? */
  private async probe(): Promise<KindState> {
    const { client, kind, namespaces } = this.options;
    if (!(await kindServed(client, kind))) return 'absent';
    for (const namespace of namespaces.length ? namespaces : [undefined]) {
      try {
        await client.request('GET', resourcePath(RESOURCES[kind], namespace), { query: { limit: 1 } });
      } catch (error) {
        if (isStatus(error, 403)) return 'forbidden';
        throw error;
      }
    }
    return 'served';
  }

  private async discover(startInformers: boolean): Promise<void> {
    const { kind, informers, log } = this.options;
    const r = RESOURCES[kind];
    let state: KindState;
    try {
      state = await this.probe();
    } catch (error) {
      log.warn('could not ask discovery whether the cloud cache kind is served; looking again later', {
        kind,
        error,
      });
      return;
    }
    if (state === this.state || !this.running) return;
    const wasServed = this.state === 'served';
    this.state = state;
    if (state === 'served') {
      log.info(`${kind} (${r.plural}.${r.group}) is served: watching cloud caches`);
      this.options.onServed();
      if (startInformers) {
        for (const informer of informers.members) informer.start();
        await Promise.all(informers.members.map((i) => i.synced));
        this.options.onSynced();
      }
      return;
    }
    log.warn(
      state === 'absent'
        ? `CRD ${r.plural}.${r.group} is not installed: Projects with a cache get CacheReady=False until it is (or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster)`
        : `the operator may not list ${r.plural}.${r.group} (RBAC): Projects with a cache get CacheReady=False until it may (or set REINHARDT_CLOUD_CACHE_PROVIDER=in-cluster)`,
    );
    if (wasServed) {
      this.options.onGone();
      await Promise.all(informers.members.map((i) => i.stop()));
    }
    if (startInformers) this.options.onSynced();
  }
}
