// zod 4 schema of `reinhardt-cloud.toml` (toml.md §2). Every key carries `.meta({ description, crdPath })`:
// the language server builds hover/completion from it and the JSON Schema is generated from it.
//
// Deliberate differences from the original (documented in core/README.md):
// - enum-like strings are real enums. The original silently coerced unknown values (engine → postgresql,
//   metric → Cpu, storage backend → s3, provider → github, webhook events dropped); here an unknown value
//   is an error that names the closest valid value.
// - friendly spellings are accepted and mapped by the builder: `metric = "cpu" | "memory" | "rps"` (the CRD
//   spellings `Cpu`/`Memory`/`Rps` are accepted too) and `engine = "postgres"` (Reinhardt settings' name)
//   for `postgresql`.
import * as z from 'zod';
import {
  DNS_RECORD_TYPES,
  GIT_PROVIDERS,
  INSTANCE_CLASSES,
  STORAGE_BACKENDS,
  WEBHOOK_EVENTS,
} from '../crd/schema';

type Extra = {
  crdPath: string | null;
  runtimeDefault?: unknown;
  minimum?: number;
  maximum?: number;
  example?: string;
};

const str = (description: string, extra: Extra) => z.string().meta({ description, ...extra });
const int = (description: string, extra: Extra) =>
  z
    .number()
    .int()
    .meta({ description, ...extra });
const bool = (description: string, extra: Extra) => z.boolean().meta({ description, ...extra });

export const TOML_DATABASE_ENGINES = ['postgresql', 'postgres', 'mysql', 'sqlite'] as const;
export const TOML_SCALE_METRICS = ['cpu', 'memory', 'rps', 'Cpu', 'Memory', 'Rps'] as const;

const appTable = z
  .object({
    name: str('Project name; becomes `metadata.name` unless `--name` or introspect says otherwise.', {
      crdPath: 'metadata.name',
      example: 'name = "orders"',
    }),
    image: str('Container image of the web workload; `--image` overrides it.', {
      crdPath: 'spec.image',
      example: 'image = "ghcr.io/acme/orders:1.4.0"',
    }),
  })
  .meta({ description: 'The application (required).', crdPath: null });

const databaseTable = z
  .object({
    engine: z.enum(TOML_DATABASE_ENGINES).meta({
      description: 'Database engine (`postgres` is accepted for `postgresql`).',
      crdPath: 'spec.database.engine',
      aliases: ['postgres'],
      enumDescriptions: {
        postgresql: 'PostgreSQL',
        postgres: 'PostgreSQL (alias of postgresql)',
        mysql: 'MySQL',
        sqlite: 'SQLite',
      },
    }),
    instance_class: z.enum(INSTANCE_CLASSES).meta({
      description: 'Instance class. AWS: db.* classes; GCP: db-* classes; on-premise: leave unset.',
      crdPath: 'spec.database.instance_class',
    }),
    storage_gb: int('Storage size in GiB, 1..100.', {
      crdPath: 'spec.database.storage_gb',
      minimum: 1,
      maximum: 100,
    }),
    version: str('Engine version, e.g. "16" (PostgreSQL default) or "8.0" (MySQL default).', {
      crdPath: 'spec.database.version',
    }),
  })
  .partial({ instance_class: true, storage_gb: true, version: true })
  .meta({ description: 'Managed database.', crdPath: 'spec.database' });

const authTable = z
  .object({
    jwt: bool('Create a JWT signing secret and inject `REINHARDT_CLOUD_JWT_SECRET`.', {
      crdPath: 'spec.auth.jwt',
    }).default(false),
  })
  .meta({ description: 'Authentication (OAuth is not expressible in TOML).', crdPath: 'spec.auth' });

const healthTable = z
  .object({
    path: str('HTTP probe path (operator default `/health`).', {
      crdPath: 'spec.health.path',
      runtimeDefault: '/health',
    }),
    port: int('Probe port, 1..65535 (default: the container port).', {
      crdPath: 'spec.health.port',
      minimum: 1,
      maximum: 65535,
    }),
    interval_seconds: int('Probe period in seconds, > 0 (operator default 10).', {
      crdPath: 'spec.health.interval_seconds',
      minimum: 1,
      runtimeDefault: 10,
    }),
  })
  .partial()
  .meta({ description: 'Liveness/readiness probe. Absent: no probes.', crdPath: 'spec.health' });

const tlsTable = z
  .object({
    enabled: bool('Terminate TLS at the Ingress; requires `services.ingress_host` and `secret_name`.', {
      crdPath: 'spec.services.tls.enabled',
    }).default(false),
    secret_name: str('TLS Secret in the Project namespace.', {
      crdPath: 'spec.services.tls.secret_name',
    }).optional(),
    issuer: str('Namespace-scoped cert-manager Issuer.', { crdPath: 'spec.services.tls.issuer' }).optional(),
    cluster_issuer: str('Not supported: rejected at deploy. Use `issuer` with a namespace-scoped Issuer.', {
      crdPath: 'spec.services.tls.cluster_issuer',
    }).optional(),
  })
  .meta({ description: 'Ingress TLS.', crdPath: 'spec.services.tls' });

const servicesTable = z
  .object({
    port: int('Service port, 1..65535 (operator default 80).', {
      crdPath: 'spec.services.port',
      minimum: 1,
      maximum: 65535,
      runtimeDefault: 80,
    }).optional(),
    target_port: int('Container port, 1..65535 (operator default 8000).', {
      crdPath: 'spec.services.target_port',
      minimum: 1,
      maximum: 65535,
      runtimeDefault: 8000,
    }).optional(),
    ingress_host: str('Public host name of the Ingress.', {
      crdPath: 'spec.services.ingress_host',
    }).optional(),
    tls: tlsTable.optional(),
  })
  .meta({ description: 'Service ports, Ingress host and TLS.', crdPath: 'spec.services' });

const replicasTable = z
  .object({
    count: int('Web replicas, >= 0; `--replicas` overrides it.', {
      crdPath: 'spec.replicas',
      minimum: 0,
    }).default(1),
  })
  .meta({ description: 'Replica count.', crdPath: 'spec.replicas' });

const scaleTable = z
  .object({
    min_replicas: int('Minimum replicas, >= 1.', { crdPath: 'spec.scale.min_replicas', minimum: 1 }),
    max_replicas: int('Maximum replicas, >= 1 and >= min_replicas.', {
      crdPath: 'spec.scale.max_replicas',
      minimum: 1,
    }),
    metric: z.enum(TOML_SCALE_METRICS).meta({
      description:
        'Autoscaling metric: cpu (percent), memory (MiB average) or rps (needs a custom-metrics adapter; no HPA is created).',
      crdPath: 'spec.scale.metric',
      runtimeDefault: 'cpu',
      aliases: ['Cpu', 'Memory', 'Rps'],
      enumDescriptions: {
        cpu: 'CPU utilization in percent → Cpu',
        memory: 'Average memory in MiB → Memory',
        rps: 'Requests per second → Rps (no HPA is created)',
        Cpu: 'same as cpu',
        Memory: 'same as memory',
        Rps: 'same as rps',
      },
    }),
    target_value: int('Target value, > 0 (default 70).', {
      crdPath: 'spec.scale.target_value',
      minimum: 1,
      runtimeDefault: 70,
    }),
  })
  .partial()
  .meta({ description: 'Horizontal autoscaling.', crdPath: 'spec.scale' });

const cacheTable = z
  .object({
    backend: z
      .enum(['redis'])
      .default('redis')
      .meta({ description: 'Cache backend; only redis.', crdPath: 'spec.cache.backend' }),
    instance_type: str(
      'Cloud cache size: an ElastiCache node type on aws (e.g. `cache.t3.micro`), a Memorystore tier on gcp (`BASIC`, `STANDARD_HA`); ignored by the in-cluster Redis.',
      { crdPath: 'spec.cache.instance_type' },
    ).optional(),
  })
  .meta({ description: 'Managed Redis.', crdPath: 'spec.cache' });

const workerTable = z
  .object({
    concurrency: int('Worker concurrency, > 0.', { crdPath: 'spec.worker.concurrency', minimum: 1 }).default(
      4,
    ),
    command: z
      .array(z.string())
      .optional()
      .meta({
        description: 'Worker command (default `["manage", "run_worker"]`).',
        crdPath: 'spec.worker.command',
        runtimeDefault: ['manage', 'run_worker'],
      }),
  })
  .meta({ description: 'Background worker.', crdPath: 'spec.worker' });

const storageTable = z
  .object({
    backend: z
      .enum(STORAGE_BACKENDS)
      .optional()
      .meta({ description: 'Object storage backend.', crdPath: 'spec.storage.backend' }),
    bucket: str('Bucket or volume name.', { crdPath: 'spec.storage.bucket' }).optional(),
  })
  .meta({ description: 'Object storage.', crdPath: 'spec.storage' });

const mailTable = z
  .object({
    smtp_host: str('SMTP host.', { crdPath: 'spec.mail.smtp_host' }),
    smtp_port: int('SMTP port, 1..65535.', { crdPath: 'spec.mail.smtp_port', minimum: 1, maximum: 65535 }),
  })
  .partial()
  .meta({ description: 'SMTP settings.', crdPath: 'spec.mail' });

const buildTable = z
  .object({
    registry: str('Registry to push builds to (required for previews).', {
      crdPath: 'spec.source.build.registry',
    }).optional(),
    dockerfile: str('Dockerfile path (default `./Dockerfile`).', {
      crdPath: 'spec.source.build.dockerfile',
    }).optional(),
    context: str('Build context (default `.`).', { crdPath: 'spec.source.build.context' }).optional(),
    base_image: str(
      'Runtime base image of the generated Dockerfile (default `debian:bookworm-slim`). TOML only.',
      {
        crdPath: null,
        runtimeDefault: 'debian:bookworm-slim',
      },
    ).optional(),
    build_args: z
      .record(z.string(), z.string())
      .default({})
      .meta({ description: 'Docker build arguments.', crdPath: 'spec.source.build.build_args' }),
  })
  .meta({ description: 'Image build.', crdPath: 'spec.source.build' });

const webhookTable = z
  .object({
    enabled: bool('Enable the Git webhook; requires events.', {
      crdPath: 'spec.source.webhook.enabled',
    }).default(false),
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .default([])
      .meta({ description: 'Events: push, pull_request, tag.', crdPath: 'spec.source.webhook.events' }),
    secret_ref: str('Secret holding the webhook secret.', {
      crdPath: 'spec.source.webhook.secret_ref',
    }).optional(),
  })
  .meta({ description: 'Git webhook.', crdPath: 'spec.source.webhook' });

const previewTable = z
  .object({
    enabled: bool('Enable preview environments.', { crdPath: 'spec.source.preview.enabled' }).default(false),
    ttl: str('Time to live, `<int>h` or `<int>d` (default 72h).', {
      crdPath: 'spec.source.preview.ttl',
    }).optional(),
    url_template: str('URL template with `{app}`, `{pr_number}`, `{branch}`.', {
      crdPath: 'spec.source.preview.url_template',
    }).optional(),
    overrides: z
      .object({
        replicas: int('Preview replicas, > 0.', {
          crdPath: 'spec.source.preview.overrides.replicas',
          minimum: 1,
        }).optional(),
      })
      .optional()
      .meta({ description: 'Preview overrides.', crdPath: 'spec.source.preview.overrides' }),
    budget: z
      .object({
        max_replicas: int('Clamp preview replicas, > 0.', {
          crdPath: 'spec.source.preview.budget.max_replicas',
          minimum: 1,
        }).optional(),
        max_cpu: str('Quota limits.cpu (quantity, e.g. "2").', {
          crdPath: 'spec.source.preview.budget.max_cpu',
        }).optional(),
        max_memory: str('Quota limits.memory (quantity, e.g. "4Gi").', {
          crdPath: 'spec.source.preview.budget.max_memory',
        }).optional(),
      })
      .optional()
      .meta({ description: 'Preview budget.', crdPath: 'spec.source.preview.budget' }),
  })
  .meta({ description: 'Preview environments.', crdPath: 'spec.source.preview' });

const sourceTable = z
  .object({
    repository: str('Git repository URL.', { crdPath: 'spec.source.repository' }),
    branch: str('Branch (default main).', { crdPath: 'spec.source.branch' }).optional(),
    provider: z
      .enum(GIT_PROVIDERS)
      .optional()
      .meta({ description: 'Git provider.', crdPath: 'spec.source.provider' }),
    credentials_secret: str('Git credentials Secret (`<name>-git-credentials`).', {
      crdPath: 'spec.source.credentials_secret',
    }).optional(),
    build: buildTable.optional(),
    webhook: webhookTable.optional(),
    preview: previewTable.optional(),
  })
  .meta({ description: 'Git source, builds, webhooks and previews.', crdPath: 'spec.source' });

const infrastructureTable = z
  .object({
    postgres: z
      .object({
        tier: str('Provider tier/class; characters [A-Za-z0-9._-].', {
          crdPath: 'spec.infrastructure.postgres.tier',
        }).optional(),
        version: str('Postgres version; characters [A-Za-z0-9._-].', {
          crdPath: 'spec.infrastructure.postgres.version',
        }).optional(),
        backup_retention_days: int('Backup retention in days, > 0.', {
          crdPath: 'spec.infrastructure.postgres.backup_retention_days',
          minimum: 1,
        }).optional(),
      })
      .optional()
      .meta({ description: 'Managed Postgres.', crdPath: 'spec.infrastructure.postgres' }),
    buckets: z
      .array(
        z.object({
          name: str('Bucket name; characters [A-Za-z0-9_-].', {
            crdPath: 'spec.infrastructure.buckets[].name',
          }),
          public: bool('Publicly readable.', { crdPath: 'spec.infrastructure.buckets[].public' }).default(
            false,
          ),
        }),
      )
      .optional()
      .meta({
        description: 'Buckets (`[[infrastructure.buckets]]`).',
        crdPath: 'spec.infrastructure.buckets',
      }),
    dns: z
      .array(
        z.object({
          host: str('Record host; characters [A-Za-z0-9.-].', { crdPath: 'spec.infrastructure.dns[].host' }),
          type: z
            .enum(DNS_RECORD_TYPES)
            .meta({ description: 'Record type.', crdPath: 'spec.infrastructure.dns[].type' }),
        }),
      )
      .optional()
      .meta({ description: 'DNS records (`[[infrastructure.dns]]`).', crdPath: 'spec.infrastructure.dns' }),
    secrets: z
      .array(
        z.object({
          name: str('Secret name; characters [A-Za-z0-9_-].', {
            crdPath: 'spec.infrastructure.secrets[].name',
          }),
          description: str('Description; no control characters or any of " \\ { } $.', {
            crdPath: 'spec.infrastructure.secrets[].description',
          }).optional(),
        }),
      )
      .optional()
      .meta({
        description: 'App secrets (`[[infrastructure.secrets]]`).',
        crdPath: 'spec.infrastructure.secrets',
      }),
  })
  .meta({
    description: 'Managed cloud resources (Terraform input), copied verbatim.',
    crdPath: 'spec.infrastructure',
  });

export const tomlConfigSchema = z
  .object({
    app: appTable,
    database: databaseTable.optional(),
    auth: authTable.optional(),
    health: healthTable.optional(),
    services: servicesTable.optional(),
    replicas: replicasTable.optional(),
    scale: scaleTable.optional(),
    cache: cacheTable.optional(),
    worker: workerTable.optional(),
    storage: storageTable.optional(),
    mail: mailTable.optional(),
    source: sourceTable.optional(),
    infrastructure: infrastructureTable.optional(),
    env: z.record(z.string(), z.string()).optional().meta({
      description: 'Extra environment variables; `secretRef:<project>-secrets/<key>` reads a Secret.',
      crdPath: 'spec.env',
    }),
  })
  .meta({
    description: 'reinhardt-cloud.toml: the project file read by `reinhardt-cloud deploy`.',
    crdPath: 'spec',
  });

export type TomlConfig = z.output<typeof tomlConfigSchema>;
/** A config as written by hand or generated: keys with defaults may be absent. */
export type TomlConfigInput = z.input<typeof tomlConfigSchema>;
