// Types of the pure render step. The operator, the CLI (`reinhardt-cloud render`) and the language
// server (`reinhardt/previewObjects`) all call `render` with these shapes.
import type { ProjectSpec } from '../crd';

/** A Kubernetes object as plain JSON (what the API server accepts in an apply). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

/** The Project as render needs it: identity plus the spec (a full Project object fits). */
export interface RenderProject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: ProjectSpec;
}

/**
 * How the operator must write an object:
 * - `apply`: server-side apply, every reconcile (no write when unchanged);
 * - `create-if-absent`: created once, never updated (credentials, migration Jobs whose pod template is immutable).
 */
export type ApplyMode = 'apply' | 'create-if-absent';

export interface DesiredObject {
  object: KubeObject;
  mode: ApplyMode;
  /**
   * Secret keys whose values the operator generates at creation time (random `[A-Za-z0-9]` of the given
   * length). Render is pure, so it never invents secrets itself.
   */
  generate?: Record<string, number>;
  /** Kept when the Project is deleted with `deletion_policy: retain` (no owner reference, cleaned by policy). */
  retainable?: boolean;
}

export type RenderConditionType =
  | 'Ready'
  | 'Progressing'
  | 'Degraded'
  | 'MigrationReady'
  | 'DatabaseReady'
  | 'CacheReady'
  | 'WorkerReady'
  | 'IngressReady'
  | 'TlsReady'
  | 'AutoscalerReady';

export interface RenderCondition {
  type: RenderConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export type RenderPhase =
  | 'pending'
  | 'provisioning'
  | 'deploying'
  | 'running'
  | 'degraded'
  | 'failed'
  | 'terminating';

/** An Ingress rule host already present in the cluster (for the uniqueness rule). */
export interface ClaimedHost {
  host: string;
  namespace: string;
  name: string;
}

/** What the operator currently sees in the cluster. Everything is optional: `{}` means "nothing exists yet". */
export interface Observed {
  /** Children of this Project keyed `<Kind>/<name>` (raw API objects, status included). */
  objects?: Record<string, KubeObject | undefined>;
  /** Every Ingress rule host in the cluster. */
  claimedHosts?: readonly ClaimedHost[];
  /** Names of Secrets that exist in the Project namespace (TLS readiness). */
  secretNames?: readonly string[];
  /**
   * Kinds whose CRD the API server does not serve (e.g. `ReplicationGroup` without the ACK
   * elasticache-controller): render reports them instead of producing objects nobody can apply.
   */
  uninstalledKinds?: readonly string[];
  /** Kinds served but that the operator may not list (RBAC): reported like `uninstalledKinds`. */
  forbiddenKinds?: readonly string[];
}

/** Where `spec.cache` (and a Redis session backend) runs; see `cache.ts`. */
export interface CacheConfig {
  /**
   * `platform` (default): ElastiCache (ACK `ReplicationGroup`) on aws, Memorystore (Config Connector
   * `RedisInstance`) on gcp, the in-cluster Redis on-premise. `in-cluster`: the in-cluster Redis everywhere.
   */
  provider?: 'platform' | 'in-cluster';
  aws?: {
    /** Default `cacheNodeType` when `spec.cache.instance_type` is absent (`cache.t3.micro`). */
    nodeType?: string;
    /** `cacheSubnetGroupName`: required, because in-transit encryption (needed for AUTH) needs one. */
    subnetGroup?: string;
    securityGroupIds?: readonly string[];
    /** ACK region annotation `services.k8s.aws/region`; absent: the controller's default region. */
    region?: string;
  };
  gcp?: {
    /** `spec.region` (default `us-central1`). */
    region?: string;
    /** `authorizedNetworkRef.external`, e.g. `projects/p/global/networks/vpc`; absent: the default network. */
    network?: string;
    /** Config Connector `cnrm.cloud.google.com/project-id` annotation; absent: the namespace's project. */
    project?: string;
    /** Default tier when `spec.cache.instance_type` is absent (`BASIC`). */
    tier?: string;
    memorySizeGb?: number;
    redisVersion?: string;
  };
}

export interface RenderConfig {
  platform?: 'onpremise' | 'aws' | 'gcp';
  /**
   * Allowed DNS suffixes for `services.ingress_host` (already normalized). `undefined` means "unknown"
   * (offline preview): the allow-list check is skipped. `[]` rejects every explicit host.
   */
  ingressHostSuffixes?: readonly string[];
  /** `ingressClassName` of rendered Ingresses (chart `defaults.ingress.className`). */
  ingressClassName?: string;
  /**
   * Namespace of the ingress controller (`REINHARDT_CLOUD_INGRESS_NAMESPACE`), the one namespace network
   * policies let in. Default `ingress-nginx`.
   */
  ingressControllerNamespace?: string;
  /** Hard limits of every tenant namespace's ResourceQuota (`REINHARDT_CLOUD_TENANT_QUOTA`). */
  tenantQuota?: Readonly<Record<string, string>>;
  /** `activeDeadlineSeconds` of migration Jobs: a migration that cannot finish in time counts as failed. */
  migrationDeadlineSeconds?: number;
  /** Cloud cache settings (D9); absent: follow the platform with defaults. */
  cache?: CacheConfig;
}

export interface RenderIssue {
  /** Dotted spec path, e.g. `spec.services.ingress_host`. */
  path: string;
  message: string;
  /** Condition reason when it is more specific than `InvalidSpec` (e.g. `TenantMismatch`, crd.md §6.4). */
  reason?: string;
}

export type MigrationState = 'NotRequired' | 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface RenderResult {
  /** Desired objects in a stable order. Empty when `issues` is non-empty (no partial rollout). */
  objects: DesiredObject[];
  conditions: RenderCondition[];
  phase: RenderPhase;
  issues: RenderIssue[];
  migration: {
    state: MigrationState;
    jobName?: string;
    revision?: string;
    /** The failed Job of this revision must be deleted so it can run again (spec changed or retry requested). */
    retry: boolean;
  };
  readyReplicas: number;
  database?: {
    phase: 'pending' | 'provisioning' | 'ready' | 'failed';
    endpoint?: string;
    credentials_secret?: string;
  };
  cache?: { phase: 'pending' | 'provisioning' | 'ready' | 'failed'; endpoint?: string };
  worker?: { ready_replicas?: number };
}
