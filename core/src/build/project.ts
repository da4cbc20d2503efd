// TOML config ⇄ Project (toml.md §3). The forward direction is what `deploy` submits; the reverse is what
// `sync` and the dashboard's "export as TOML" write back.
import {
  type IntrospectOutput,
  introspectOutputSchema,
  PROJECT_API_VERSION,
  PROJECT_KIND,
  type Project,
  type ProjectSpec,
  type ProjectSpecInput,
  projectSpecSchema,
  type ScaleMetric,
} from '../crd/schema';
import type { TomlConfig } from '../toml/schema';

export interface BuildOptions {
  /** `--name`: wins over introspect `app.name` and TOML `app.name`. */
  name?: string;
  /** `--namespace`; default `default`. */
  namespace?: string;
  /** `--image`: wins over TOML `app.image`. */
  image?: string;
  /** `--replicas`: wins over TOML `replicas.count` (default 1). */
  replicas?: number;
  /** Output of `manage introspect` (parsed YAML/JSON); copied into `spec.introspect`, its app name names the Project. */
  introspect?: unknown;
}

const METRICS: Record<string, ScaleMetric> = {
  cpu: 'Cpu',
  memory: 'Memory',
  rps: 'Rps',
  Cpu: 'Cpu',
  Memory: 'Memory',
  Rps: 'Rps',
};

/** Remove `undefined`/`null` entries recursively; empty objects that only held absent values disappear too. */
export function stripAbsent<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripAbsent) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out[k] = stripAbsent(v);
    }
    return out as T;
  }
  return value;
}

/** toml.md §3: the spec a config describes, before CLI overrides. Every TOML table maps 1:1 (with enum mapping). */
export function tomlConfigToSpecInput(config: TomlConfig): ProjectSpecInput {
  const {
    database,
    auth,
    health,
    services,
    scale,
    cache,
    worker,
    storage,
    mail,
    source,
    infrastructure,
    env,
  } = config;
  const spec: ProjectSpecInput = {
    image: config.app.image,
    replicas: config.replicas?.count,
    database: database && {
      engine: database.engine === 'postgres' ? 'postgresql' : database.engine,
      instance_class: database.instance_class,
      storage_gb: database.storage_gb,
      version: database.version,
    },
    cache: cache && { backend: 'redis', instance_type: cache.instance_type },
    worker: worker && { concurrency: worker.concurrency, command: worker.command },
    auth: auth && { jwt: auth.jwt },
    storage: storage && { backend: storage.backend, bucket: storage.bucket },
    mail: mail && { smtp_host: mail.smtp_host, smtp_port: mail.smtp_port },
    scale: scale && {
      min_replicas: scale.min_replicas,
      max_replicas: scale.max_replicas,
      metric: scale.metric === undefined ? undefined : METRICS[scale.metric],
      target_value: scale.target_value,
    },
    health: health && { ...health },
    services: services && {
      port: services.port,
      target_port: services.target_port,
      ingress_host: services.ingress_host,
      tls: services.tls && { ...services.tls },
    },
    deletion_policy: 'retain',
    features: [],
    env: env && { ...env },
    source: source && {
      repository: source.repository,
      branch: source.branch,
      provider: source.provider,
      credentials_secret: source.credentials_secret,
      // base_image is TOML-only (Dockerfile generation), not part of the CRD.
      build: source.build && {
        registry: source.build.registry,
        dockerfile: source.build.dockerfile,
        context: source.build.context,
        build_args: { ...source.build.build_args },
      },
      webhook: source.webhook && { ...source.webhook, events: [...source.webhook.events] },
      preview: source.preview && {
        enabled: source.preview.enabled,
        ttl: source.preview.ttl,
        url_template: source.preview.url_template,
        overrides: source.preview.overrides && { replicas: source.preview.overrides.replicas },
        budget: source.preview.budget && { ...source.preview.budget },
      },
    },
    infrastructure: infrastructure && structuredClone(infrastructure),
  };
  return stripAbsent(spec);
}

/**
 * Parse introspect output leniently (every field has a default); undefined plus the reason when it is not an
 * object. The framework prints `null` for absent optionals (`routes[].name`, `infrastructure_signals.storage`),
 * so nulls are dropped before parsing rather than rejected.
 */
export function parseIntrospect(raw: unknown): { introspect?: IntrospectOutput; error?: string } {
  const result = introspectOutputSchema.safeParse(stripAbsent(raw));
  if (result.success) return { introspect: stripAbsent(result.data) };
  const first = result.error.issues[0];
  return { error: `${first?.path.join('.') || 'introspect'}: ${first?.message ?? 'invalid'}` };
}

/**
 * The Project manifest `deploy` submits (cli.md §5 step 4-8): name = `--name` > introspect `app.name` > TOML
 * `app.name`; image = `--image` > TOML; replicas = `--replicas` > TOML `replicas.count` > 1; namespace
 * `--namespace` > `default`. Absent optionals are omitted; schema defaults (deletion_policy retain,
 * tls.enabled false, ...) are filled in. Invalid introspect output is dropped (compileProject reports it).
 */
export function buildProject(config: TomlConfig, opts: BuildOptions = {}): Project {
  const specInput = tomlConfigToSpecInput(config);
  const parsed = opts.introspect === undefined ? {} : parseIntrospect(opts.introspect);
  const introspectName = parsed.introspect?.app.name;
  specInput.image = opts.image ?? config.app.image;
  specInput.replicas = opts.replicas ?? config.replicas?.count ?? 1;
  if (parsed.introspect) specInput.introspect = parsed.introspect;
  const spec: ProjectSpec = stripAbsent(projectSpecSchema.parse(specInput));
  return {
    apiVersion: PROJECT_API_VERSION,
    kind: PROJECT_KIND,
    metadata: {
      name: opts.name ?? (introspectName ? introspectName : config.app.name),
      namespace: opts.namespace ?? 'default',
    },
    spec,
  };
}

const METRIC_TO_TOML = { Cpu: 'cpu', Memory: 'memory', Rps: 'rps' } as const;

/**
 * The reverse mapping for `sync` / export: the TOML config expressing a spec. Fields TOML cannot express
 * (auth.oauth, mail.credentials_secret, preview database/cache overrides, pages, isolation, plugins,
 * imagePullSecrets, serviceAccount, tenant, introspect, features, deletion_policy) are dropped.
 * `app.name` comes from `meta.name` (the Project's metadata.name), else `''`.
 */
export function projectToTomlConfig(spec: ProjectSpecInput, meta: { name?: string } = {}): TomlConfig {
  const {
    database,
    cache,
    worker,
    auth,
    storage,
    mail,
    scale,
    health,
    services,
    source,
    infrastructure,
    env,
  } = spec;
  const config: TomlConfig = {
    app: { name: meta.name ?? '', image: spec.image },
    database: database && {
      engine: database.engine,
      instance_class: database.instance_class as NonNullable<TomlConfig['database']>['instance_class'],
      storage_gb: database.storage_gb,
      version: database.version,
    },
    auth: auth && { jwt: auth.jwt ?? false },
    health: health && { ...health },
    services: services && {
      port: services.port,
      target_port: services.target_port,
      ingress_host: services.ingress_host,
      tls: services.tls && { ...services.tls, enabled: services.tls.enabled ?? false },
    },
    replicas: spec.replicas === undefined ? undefined : { count: spec.replicas },
    scale: scale && {
      min_replicas: scale.min_replicas,
      max_replicas: scale.max_replicas,
      metric: scale.metric === undefined ? undefined : METRIC_TO_TOML[scale.metric],
      target_value: scale.target_value,
    },
    cache: cache && { backend: 'redis', instance_type: cache.instance_type },
    worker: worker && { concurrency: worker.concurrency ?? 4, command: worker.command },
    storage: storage && { ...storage },
    mail: mail && { smtp_host: mail.smtp_host, smtp_port: mail.smtp_port },
    source: source && {
      repository: source.repository,
      branch: source.branch,
      provider: source.provider,
      credentials_secret: source.credentials_secret,
      build: source.build && {
        registry: source.build.registry,
        dockerfile: source.build.dockerfile,
        context: source.build.context,
        build_args: { ...(source.build.build_args ?? {}) },
      },
      webhook: source.webhook && {
        enabled: source.webhook.enabled ?? false,
        events: [...(source.webhook.events ?? [])],
        secret_ref: source.webhook.secret_ref,
      },
      preview: source.preview && {
        enabled: source.preview.enabled ?? false,
        ttl: source.preview.ttl,
        url_template: source.preview.url_template,
        overrides: source.preview.overrides && { replicas: source.preview.overrides.replicas },
        budget: source.preview.budget && { ...source.preview.budget },
      },
    },
    infrastructure: infrastructure && {
      postgres: infrastructure.postgres && { ...infrastructure.postgres },
      buckets: infrastructure.buckets?.map((b) => ({ name: b.name, public: b.public ?? false })),
      dns: infrastructure.dns?.map((d) => ({ host: d.host, type: d.type as 'A' | 'CNAME' | 'TXT' })),
      secrets: infrastructure.secrets?.map((s) => ({ ...s })),
    },
    env: env && { ...env },
  };
  return stripAbsent(config);
}
