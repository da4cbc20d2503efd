// zod 4 schemas of the Project custom resource `paas.reinhardt-cloud.dev/v1alpha2` (crd.md §2-§6).
// The wire spellings are exact: spec fields snake_case except `imagePullSecrets` and `serviceAccount`,
// status top level camelCase, database/cache/worker status snake_case, enums as in crd.md §4.
// Structural types live here; semantic rules (ranges, non-empty, cross-field) live in ../rules so that
// every problem is reported with a stable code instead of a generic parse error. Bounds the API server can
// enforce are recorded in `.meta()` (minimum/maximum) and land in the CRD manifest.
import * as z from 'zod';
import { bool, int32, int64, str, stringList, stringMap } from './meta';

export const PROJECT_GROUP = 'paas.reinhardt-cloud.dev';
export const PROJECT_VERSION = 'v1alpha2';
export const PROJECT_KIND = 'Project';
export const PROJECT_PLURAL = 'projects';
export const PROJECT_SINGULAR = 'project';
export const PROJECT_API_VERSION = `${PROJECT_GROUP}/${PROJECT_VERSION}`;
export const PROJECT_CRD_NAME = `${PROJECT_PLURAL}.${PROJECT_GROUP}`;

// ---- enums (crd.md §4) ----
export const DATABASE_ENGINES = ['postgresql', 'mysql', 'sqlite'] as const;
export const CACHE_BACKENDS = ['redis'] as const;
export const STORAGE_BACKENDS = ['s3', 'gcs', 'pvc'] as const;
export const DELETION_POLICIES = ['retain', 'delete'] as const;
export const SCALE_METRICS = ['Cpu', 'Memory', 'Rps'] as const;
export const ISOLATION_LEVELS = ['None', 'Sandbox', 'MicroVM'] as const;
export const GIT_PROVIDERS = ['github', 'gitlab'] as const;
export const WEBHOOK_EVENTS = ['push', 'pull_request', 'tag'] as const;
export const PLUGIN_TYPES = ['HttpMiddleware', 'GrpcInterceptor', 'EventHandler'] as const;
export const PLUGIN_CAPABILITIES = [
  'NetworkAccess',
  'FilesystemRead',
  'FilesystemWrite',
  'EnvAccess',
] as const;
export const PROJECT_PHASES = [
  'pending',
  'provisioning',
  'deploying',
  'running',
  'degraded',
  'failed',
  'terminating',
] as const;
export const RESOURCE_PHASES = ['pending', 'provisioning', 'ready', 'failed'] as const;
export const BUILD_PHASES = ['pending', 'running', 'succeeded', 'failed'] as const;
export const BUILD_TARGET_KINDS = ['production', 'preview'] as const;
export const CONDITION_TYPES = [
  'Ready',
  'Progressing',
  'Degraded',
  'MigrationReady',
  'DatabaseReady',
  'CacheReady',
  'WorkerReady',
  'IngressReady',
  'TlsReady',
  'AutoscalerReady',
] as const;
export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;
export const DNS_RECORD_TYPES = ['A', 'CNAME', 'TXT'] as const;
/** The global allow-list of `database.instance_class` (crd.md §3.1); platforms restrict it further. */
export const INSTANCE_CLASSES = [
  'db.t3.micro',
  'db.t3.small',
  'db.t3.medium',
  'db.t3.large',
  'db.r5.large',
  'db-f1-micro',
  'db-g1-small',
  'db-custom-1-3840',
  'db-custom-2-8192',
] as const;

// ---- spec (crd.md §3) ----
export const databaseSpecSchema = z
  .object({
    engine: z.enum(DATABASE_ENGINES).meta({ description: 'Database engine.' }),
    instance_class: str(
      `Instance class; one of ${INSTANCE_CLASSES.join(', ')}. AWS accepts the db.* classes, GCP the db-* classes, on-premise none. Platform default when unset.`,
    ).optional(),
    storage_gb: int32(
      'Storage size in GiB, 1..100. Platform default when unset (on-prem 20, AWS 20, GCP 10).',
      {
        minimum: 1,
        maximum: 100,
      },
    ).optional(),
    version: str(
      'Free-form engine version; engine default when unset (16 for PostgreSQL, 8.0 for MySQL).',
    ).optional(),
  })
  .meta({ description: 'Managed database request. Presence forces the database and migration path.' });

export const cacheSpecSchema = z
  .object({
    backend: z
      .enum(CACHE_BACKENDS)
      .default('redis')
      .meta({ description: 'Cache backend; only `redis` exists.' }),
    instance_type: str(
      'Cloud cache size: an ElastiCache node type on aws (e.g. `cache.t3.micro`), a Memorystore tier on gcp (`BASIC`, `STANDARD_HA`); ignored by the in-cluster Redis.',
    ).optional(),
  })
  .meta({ description: 'Managed Redis request.' });

export const workerSpecSchema = z
  .object({
    concurrency: int32('Worker concurrency; must be > 0 when set (currently not used by the operator).', {
      minimum: 1,
    }).optional(),
    command: stringList('Worker container command override.', {
      runtimeDefault: ['manage', 'run_worker'],
    }).optional(),
  })
  .meta({ description: 'Background worker Deployment request.' });

export const oauthSpecSchema = z
  .object({
    provider: str('OAuth provider name.'),
    credentials_secret: str('Secret holding the OAuth client id and secret.').optional(),
  })
  .meta({ description: 'OAuth settings (informational only).' });

export const authSpecSchema = z
  .object({
    jwt: bool(
      'When true the operator creates `<name>-jwt-secret` and injects `REINHARDT_CLOUD_JWT_SECRET`.',
    ).default(false),
    oauth: oauthSpecSchema.optional(),
  })
  .meta({ description: 'JWT / OAuth settings.' });

export const storageSpecSchema = z
  .object({
    backend: z.enum(STORAGE_BACKENDS).optional().meta({ description: 'Object storage backend.' }),
    bucket: str('Bucket or volume name.').optional(),
  })
  .meta({ description: 'Object-storage request.' });

export const mailSpecSchema = z
  .object({
    smtp_host: str('SMTP host.').optional(),
    smtp_port: int32('SMTP port, 1..65535.', { minimum: 1, maximum: 65535 }).optional(),
    credentials_secret: str('Secret holding SMTP credentials.').optional(),
  })
  .meta({ description: 'SMTP settings.' });

export const scaleSpecSchema = z
  .object({
    min_replicas: int32('Minimum replicas of the autoscaler, >= 1. Default: spec.replicas, else 1.', {
      minimum: 1,
    }).optional(),
    max_replicas: int32('Maximum replicas, >= 1 and >= min_replicas. Default: max(6, min_replicas).', {
      minimum: 1,
    }).optional(),
    metric: z
      .enum(SCALE_METRICS)
      .optional()
      .meta({
        description: 'Autoscaling metric (PascalCase on the wire). Default `Cpu`.',
        runtimeDefault: 'Cpu',
        enumDescriptions: {
          Cpu: 'CPU utilization in percent',
          Memory: 'Average memory in MiB',
          Rps: 'Requests per second (needs a custom-metrics adapter: no HPA is created; AutoscalerReady=False UnsupportedMetric)',
        },
      }),
    target_value: int32('Target value, > 0. Cpu: percent utilization; Memory: MiB average. Default 70.', {
      minimum: 1,
      runtimeDefault: 70,
    }).optional(),
  })
  .meta({ description: 'HPA autoscaling.' });

export const healthSpecSchema = z
  .object({
    path: str('HTTP probe path. Default `/health`.', { runtimeDefault: '/health' }).optional(),
    port: int32('Probe port, 1..65535. Default: the container port.', {
      minimum: 1,
      maximum: 65535,
    }).optional(),
    interval_seconds: int32('Probe period in seconds, > 0. Default 10.', {
      minimum: 1,
      runtimeDefault: 10,
    }).optional(),
  })
  .meta({ description: 'HTTP liveness/readiness probe of the web container. Absent: no probes.' });

export const serviceTlsSpecSchema = z
  .object({
    enabled: bool('Terminate TLS at the Ingress; requires ingress_host and secret_name.').default(false),
    secret_name: str('TLS Secret in the Project namespace.').optional(),
    issuer: str('Namespace-scoped cert-manager Issuer (annotation `cert-manager.io/issuer`).').optional(),
    cluster_issuer: str(
      'Not supported (tenant safety): always rejected. Use `issuer` with a namespace-scoped Issuer.',
    ).optional(),
  })
  .meta({ description: 'Ingress TLS.' });

export const servicesSpecSchema = z
  .object({
    port: int32('Service port, 1..65535. Default 80.', {
      minimum: 1,
      maximum: 65535,
      runtimeDefault: 80,
    }).optional(),
    target_port: int32('Container port, 1..65535. Default 8000.', {
      minimum: 1,
      maximum: 65535,
      runtimeDefault: 8000,
    }).optional(),
    ingress_host: str(
      'Ingress host name (allow-listed suffix, no wildcard, unique in the cluster).',
    ).optional(),
    tls: serviceTlsSpecSchema.optional(),
  })
  .meta({ description: 'Service ports, Ingress host and TLS.' });

export const pagesSpecSchema = z
  .object({
    static_root: str('Static root directory. Default `/app/staticfiles`.').optional(),
    static_url: str("Static URL prefix, must start and end with '/'. Default `/static/`.").optional(),
    server_image: str('Static file server image. Default `joseluisq/static-web-server:2-alpine`.').optional(),
    server_resources: z
      .object({
        requests: stringMap('Resource requests.').default({}),
        limits: stringMap('Resource limits.').default({}),
      })
      .optional()
      .meta({ description: 'Static server resources.' }),
    cache_max_age: int64('Cache max-age in seconds. Default 86400.', { minimum: 0 }).optional(),
    brotli: bool('Serve brotli. Default true.').optional(),
    gzip: bool('Serve gzip. Default true.').optional(),
  })
  .meta({ description: 'reinhardt-pages (WASM + static assets). Presence alone enables pages.' });

export const networkIsolationSpecSchema = z
  .object({
    block_metadata_service: bool('Block 169.254.169.254/32 in egress.').default(true),
    allow_egress: bool('If false only DNS egress is allowed.').default(true),
    egress_allow_cidrs: stringList('Allowed egress CIDRs; empty allows 0.0.0.0/0.').default([]),
    dns_allow_cidrs: stringList('Extra DNS resolvers (TCP/UDP 53).').default([]),
  })
  .meta({ description: 'Egress shaping.' });

export const isolationSpecSchema = z
  .object({
    level: z
      .enum(ISOLATION_LEVELS)
      .default('None')
      .meta({
        description: 'Isolation level: None, Sandbox (gVisor) or MicroVM (Kata).',
        enumDescriptions: {
          None: 'no RuntimeClass',
          Sandbox: 'RuntimeClass gvisor',
          MicroVM: 'RuntimeClass kata-clh',
        },
      }),
    network: networkIsolationSpecSchema.optional(),
    runtime_class_override: str('RuntimeClass name; wins over level. Non-empty when set.').optional(),
  })
  .meta({ description: 'Workload isolation. Presence alone turns on network policies and hardening.' });

export const buildSpecSchema = z
  .object({
    dockerfile: str('Dockerfile path. Default `./Dockerfile`.').optional(),
    context: str('Build context. Default `.`.').optional(),
    registry: str('Registry to push to. Default: spec.image without tag. Required for previews.').optional(),
    build_args: stringMap('Build arguments, passed as `--build-arg=K=V` in key order.').default({}),
  })
  .meta({ description: 'Kaniko build settings.' });

export const webhookSpecSchema = z
  .object({
    enabled: bool('Enable the Git webhook; requires events.').default(false),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .default([])
      .meta({ description: 'Events that trigger builds: push, pull_request, tag.' }),
    secret_ref: str('Secret holding the webhook secret.').optional(),
  })
  .meta({ description: 'Git webhook (informational for the control plane).' });

export const previewSpecSchema = z
  .object({
    enabled: bool('Enable preview environments.').default(false),
    ttl: str('Preview time-to-live: `<int>h` or `<int>d`. Default `72h`.').optional(),
    url_template: str('Preview URL template with `{app}`, `{pr_number}`, `{branch}`.').optional(),
    overrides: z
      .object({
        replicas: int32('Preview replicas, > 0. Default 1.', { minimum: 1 }).optional(),
        database: bool('Copy the parent database into previews.').optional(),
        cache: bool('Copy the parent cache into previews.').optional(),
      })
      .optional()
      .meta({ description: 'Preview overrides.' }),
    budget: z
      .object({
        max_replicas: int32('Clamp preview replicas, > 0.', { minimum: 1 }).optional(),
        max_cpu: str('Preview namespace quota `limits.cpu` (quantity).').optional(),
        max_memory: str('Preview namespace quota `limits.memory` (quantity).').optional(),
      })
      .optional()
      .meta({ description: 'Preview resource budget.' }),
  })
  .meta({ description: 'Preview environments per pull request.' });

export const sourceSpecSchema = z
  .object({
    repository: str('Git repository URL (non-empty).'),
    branch: str('Branch. Default `main`.').optional(),
    provider: z.enum(GIT_PROVIDERS).optional().meta({ description: 'Git provider.' }),
    credentials_secret: str(
      'Git credentials Secret; must be `<name>-git-credentials` to be mounted.',
    ).optional(),
    build: buildSpecSchema.optional(),
    webhook: webhookSpecSchema.optional(),
    preview: previewSpecSchema.optional(),
  })
  .meta({ description: 'Git source, Kaniko build, webhooks, previews.' });

export const pluginSpecSchema = z
  .object({
    name: str('Plugin name (non-blank).'),
    wasm_dir: str('Absolute directory strictly under /var/lib/dentdelion/.'),
    plugin_type: z.enum(PLUGIN_TYPES).meta({ description: 'Plugin type.' }),
    memory_limit_mb: int64('Memory limit in MiB, > 0.', { minimum: 1 }).optional(),
    timeout_ms: int64('Timeout in ms, > 0.', { minimum: 1 }).optional(),
    capabilities: z
      .array(z.enum(PLUGIN_CAPABILITIES))
      .default([])
      .meta({ description: 'Granted capabilities.' }),
  })
  .meta({ description: 'A dentdelion WASM plugin.' });

export const serviceAccountSpecSchema = z
  .object({
    create: bool('Create and bind a workload ServiceAccount.').default(false),
    name: str('ServiceAccount name (non-blank); default `<app>-app`. Used only when create=true.').optional(),
    annotations: stringMap(
      'Annotations copied onto the ServiceAccount (IRSA / Workload Identity).',
    ).optional(),
  })
  .meta({ description: 'Per-app workload ServiceAccount.' });

export const postgresInfraSchema = z
  .object({
    tier: str('Provider tier/class; characters [A-Za-z0-9._-].').optional(),
    version: str('Postgres version; characters [A-Za-z0-9._-].').optional(),
    backup_retention_days: int32('Backup retention in days, > 0.', { minimum: 1 }).optional(),
  })
  .meta({ description: 'Managed Postgres.' });

export const bucketInfraSchema = z
  .object({
    name: str('Bucket name; characters [A-Za-z0-9_-].'),
    public: bool('Publicly readable.').default(false),
  })
  .meta({ description: 'An object-storage bucket.' });

export const dnsRecordInfraSchema = z
  .object({
    host: str('Record host; characters [A-Za-z0-9.-].'),
    type: str('Record type: A, CNAME or TXT.'),
  })
  .meta({ description: 'A DNS record.' });

export const secretInfraSchema = z
  .object({
    name: str('Secret name; characters [A-Za-z0-9_-].'),
    description: str('Description; no control characters or any of " \\ { } $.').optional(),
  })
  .meta({ description: 'An application secret.' });

export const infrastructureSpecSchema = z
  .object({
    postgres: postgresInfraSchema.optional(),
    buckets: z.array(bucketInfraSchema).optional().meta({ description: 'Buckets.' }),
    dns: z.array(dnsRecordInfraSchema).optional().meta({ description: 'DNS records.' }),
    secrets: z.array(secretInfraSchema).optional().meta({ description: 'App secrets.' }),
  })
  .meta({ description: 'Per-app managed cloud resources (consumed by `terraform generate`).' });

export const tenantRefSchema = z
  .object({
    organization: str('Owning organization (DNS-1123 label).'),
    team: str('Owning team (DNS-1123 label).').optional(),
  })
  .meta({ description: 'Owning organization/team; namespace `tenant-<org>[-<team>]`.' });

/** IntrospectOutput (crd.md §3.18): every field has a default so partial documents parse; unknown fields pass. */
const introspectSignalsSchema = z.looseObject({
  database: z.string().optional(),
  cache: z.string().optional(),
  websocket: z.boolean().default(false),
  background_worker: z.boolean().default(false),
  grpc: z.boolean().default(false),
  storage: z.string().optional(),
  mail: z.string().optional(),
  session_backend: z.string().optional(),
  graphql: z.boolean().default(false),
  admin_panel: z.boolean().default(false),
  i18n: z.boolean().default(false),
  pages: z.boolean().default(false),
});

export const introspectOutputSchema = z
  .looseObject({
    app: z.looseObject({ name: z.string().default(''), version: z.string().default('') }).default({
      name: '',
      version: '',
    }),
    databases: z
      .array(
        z.looseObject({
          alias: z.string().default(''),
          engine: z.string().default(''),
          tables: z
            .array(z.looseObject({ name: z.string().default(''), app: z.string().default('') }))
            .default([]),
        }),
      )
      .default([]),
    routes: z
      .array(
        z.looseObject({
          path: z.string().default(''),
          methods: z.array(z.string()).default([]),
          name: z.string().optional(),
          namespace: z.string().optional(),
        }),
      )
      .default([]),
    middleware: z
      .array(z.looseObject({ name: z.string().default(''), type_name: z.string().default('') }))
      .default([]),
    settings: z
      .looseObject({
        server: z
          .looseObject({ default_port: z.number().int().default(8000), debug: z.boolean().default(false) })
          .optional(),
        security: z
          .looseObject({
            ssl_redirect: z.boolean().default(false),
            session_cookie_secure: z.boolean().default(false),
            csrf_cookie_secure: z.boolean().default(false),
            hsts_enabled: z.boolean().default(false),
          })
          .optional(),
      })
      .optional(),
    features: z
      .looseObject({
        declared: z.array(z.string()).default([]),
        resolved: z.array(z.string()).default([]),
        infrastructure_signals: introspectSignalsSchema.optional(),
      })
      .optional(),
  })
  .meta({ description: 'Output of `manage introspect --format yaml`, used for inference.' });

export const projectSpecSchema = z
  .object({
    image: str('Container image for the web workload (also migration Job, worker, collectstatic).'),
    replicas: int32('Desired web replicas, >= 0. Default 1.', { minimum: 0, runtimeDefault: 1 }).optional(),
    database: databaseSpecSchema.optional(),
    cache: cacheSpecSchema.optional(),
    worker: workerSpecSchema.optional(),
    auth: authSpecSchema.optional(),
    storage: storageSpecSchema.optional(),
    mail: mailSpecSchema.optional(),
    scale: scaleSpecSchema.optional(),
    health: healthSpecSchema.optional(),
    services: servicesSpecSchema.optional(),
    deletion_policy: z
      .enum(DELETION_POLICIES)
      .default('retain')
      .meta({
        description: 'What is removed when the Project is deleted.',
        enumDescriptions: { retain: 'keep data (database, volumes)', delete: 'remove everything' },
      }),
    features: stringList('Resolved reinhardt-web feature flags (informational).').default([]),
    env: stringMap(
      'Extra env vars for the web container and migration Job; supports `secretRef:<secret>/<key>`.',
    ).optional(),
    pages: pagesSpecSchema.optional(),
    introspect: introspectOutputSchema.optional(),
    isolation: isolationSpecSchema.optional(),
    source: sourceSpecSchema.optional(),
    plugins: z.array(pluginSpecSchema).optional().meta({ description: 'dentdelion WASM plugins.' }),
    imagePullSecrets: z
      .array(z.object({ name: str('Secret name; must start with `<project name>-`.') }))
      .optional()
      .meta({ description: 'Pull-secret references.' }),
    serviceAccount: serviceAccountSpecSchema.optional(),
    infrastructure: infrastructureSpecSchema.optional(),
    tenant: tenantRefSchema.optional(),
  })
  .meta({ description: 'Desired state of a Reinhardt application.' });

// ---- status (crd.md §6) ----
export const conditionSchema = z.object({
  type: z.enum(CONDITION_TYPES).meta({ description: 'Condition type.' }),
  status: z.enum(CONDITION_STATUSES).meta({ description: 'Condition status.' }),
  reason: str('Machine-readable reason.'),
  message: str('Human-readable message.'),
  lastTransitionTime: str('RFC 3339 time of the last status change.', { format: 'date-time' }).optional(),
  observedGeneration: int64('Generation the condition was computed for.').optional(),
});

export const buildStatusSchema = z.object({
  phase: z.enum(BUILD_PHASES).meta({ description: 'Build phase.' }),
  target: z.enum(BUILD_TARGET_KINDS).meta({ description: 'Production or preview build.' }),
  trigger: str('Value of the `reinhardt.dev/build-trigger` annotation.'),
  jobName: str('Kaniko Job name.'),
  image: str('Full produced image reference.'),
  imageTag: str('Tag passed to Kaniko.'),
  previewName: str('Preview Project name.').optional(),
  prNumber: str('PR/MR number.').optional(),
  branch: str('Branch built.').optional(),
  reason: str('Build reason.').optional(),
  message: str('Human text.').optional(),
  startedAt: str('When the trigger was accepted (RFC 3339).', { format: 'date-time' }).optional(),
  lastTransitionTime: str('Last phase change (RFC 3339).', { format: 'date-time' }).optional(),
});

export const previewStatusSchema = z.object({
  name: str('Preview Project name (`<parent>-pr-<n>`).'),
  prNumber: str('PR/MR number.'),
  url: str('Preview URL.').optional(),
  phase: z.enum(PROJECT_PHASES).optional().meta({ description: 'Preview phase.' }),
  readyReplicas: int32('Preview ready replicas.').optional(),
  lastActivity: str('Last activity (RFC 3339).').optional(),
});

export const projectStatusSchema = z
  .object({
    phase: z.enum(PROJECT_PHASES).optional().meta({ description: 'Lifecycle phase.' }),
    conditions: z.array(conditionSchema).optional().meta({ description: 'Conditions, one per type.' }),
    observedGeneration: int64('metadata.generation at the last status write.').optional(),
    readyReplicas: int32('Ready replicas of the web Deployment.').optional(),
    build: buildStatusSchema.optional(),
    database: z
      .object({
        phase: z.enum(RESOURCE_PHASES).default('pending').meta({ description: 'Database phase.' }),
        endpoint: str('Database endpoint.').optional(),
        credentials_secret: str('Credentials Secret name.').optional(),
      })
      .optional(),
    cache: z
      .object({
        phase: z.enum(RESOURCE_PHASES).default('pending').meta({ description: 'Cache phase.' }),
        endpoint: str('Cache endpoint.').optional(),
      })
      .optional(),
    worker: z.object({ ready_replicas: int32('Worker ready replicas.').optional() }).optional(),
    previews: z.array(previewStatusSchema).optional().meta({ description: 'Preview environments.' }),
  })
  .meta({ description: 'Observed state, written by the operator.' });

export const projectSchema = z.object({
  apiVersion: z.literal(PROJECT_API_VERSION),
  kind: z.literal(PROJECT_KIND),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: projectSpecSchema,
  status: projectStatusSchema.optional(),
});

export type ProjectSpec = z.output<typeof projectSpecSchema>;
/** What callers may hand in: fields with schema defaults (deletion_policy, tls.enabled...) may be absent. */
export type ProjectSpecInput = z.input<typeof projectSpecSchema>;
export type ProjectStatus = z.output<typeof projectStatusSchema>;
export type Project = z.output<typeof projectSchema>;
export type Condition = z.output<typeof conditionSchema>;
export type IntrospectOutput = z.output<typeof introspectOutputSchema>;
export type ProjectDatabaseEngine = (typeof DATABASE_ENGINES)[number];
export type ScaleMetric = (typeof SCALE_METRICS)[number];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
