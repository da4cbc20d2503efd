// Everything render derives from a Project before building objects: resolved defaults and inferred needs.
import type { ProjectSpec } from '../crd';
import { type CachePlan, cachePlan } from './cache';
import { sqlIdentifier } from './names';
import type { RenderConfig, RenderProject } from './types';

export type Platform = 'onpremise' | 'aws' | 'gcp';

export interface DatabasePlan {
  engine: 'postgresql' | 'mysql' | 'sqlite';
  /** Where the plan came from: the explicit `spec.database` or the introspect signal. */
  source: 'spec' | 'introspect';
  host: string;
  port: number;
  user: string;
  database: string;
  secretName: string;
  storageGb: number;
  version: string;
}

export interface RenderContext {
  name: string;
  namespace: string;
  uid?: string;
  generation: number;
  annotations: Record<string, string>;
  spec: ProjectSpec;
  platform: Platform;
  ingressClassName: string;
  ingressControllerNamespace: string;
  migrationDeadlineSeconds: number;
  containerPort: number;
  servicePort: number;
  isolated: boolean;
  database?: DatabasePlan;
  /** Redis for `spec.cache` or a Redis session backend; where it runs follows the platform (D9, cache.ts). */
  redis?: CachePlan;
  worker: boolean;
  /** HPA managed (Cpu or Memory metric): the Deployment leaves `replicas` to it (D2). */
  hpa?: { min: number; max: number; metric: 'Cpu' | 'Memory'; target: number };
  rps: boolean;
  pages: boolean;
}

export const PLATFORM_DEFAULTS: Record<
  Platform,
  { storageGb: number; requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } }
> = {
  onpremise: {
    storageGb: 20,
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '1000m', memory: '1Gi' },
  },
  aws: {
    storageGb: 20,
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  },
  gcp: {
    storageGb: 10,
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '512Mi' },
  },
};

function signals(spec: ProjectSpec) {
  return spec.introspect?.features?.infrastructure_signals;
}

export function buildContext(project: RenderProject, config: RenderConfig): RenderContext {
  const { metadata, spec } = project;
  const name = metadata.name;
  const platform: Platform = config.platform ?? 'onpremise';
  const signal = signals(spec);
  const introspectPort = spec.introspect?.settings?.server?.default_port;
  const containerPort = spec.services?.target_port ?? introspectPort ?? 8000;

  let database: DatabasePlan | undefined;
  const explicit = spec.database;
  const introspectDb = signal?.database?.toLowerCase();
  const engine = explicit
    ? explicit.engine
    : introspectDb === 'postgres' || introspectDb === 'postgresql'
      ? 'postgresql'
      : introspectDb === 'mysql'
        ? 'mysql'
        : undefined;
  if (engine) {
    const user = sqlIdentifier(name);
    database = {
      engine,
      source: explicit ? 'spec' : 'introspect',
      host: `${name}-db`,
      port: engine === 'mysql' ? 3306 : 5432,
      user,
      database: `${user}_db`.slice(0, 63),
      secretName: `${name}-db-credentials`,
      storageGb: explicit?.storage_gb ?? PLATFORM_DEFAULTS[platform].storageGb,
      version: explicit?.version ?? (engine === 'mysql' ? '8.0' : '16'),
    };
  }

  const sessionRedis = signal?.session_backend?.toLowerCase() === 'redis';
  const cacheSignal = signal?.cache?.toLowerCase() === 'redis';
  const redis =
    spec.cache || cacheSignal || sessionRedis
      ? cachePlan(platform, config, Boolean(spec.cache || cacheSignal))
      : undefined;

  const scale = spec.scale;
  const metric = scale?.metric ?? 'Cpu';
  let hpa: RenderContext['hpa'];
  if (scale && metric !== 'Rps') {
    const min = Math.max(scale.min_replicas ?? spec.replicas ?? 1, 1);
    const max = Math.max(scale.max_replicas ?? Math.max(6, min), min);
    hpa = { min, max, metric, target: scale.target_value ?? 70 };
  }

  return {
    name,
    namespace: metadata.namespace ?? 'default',
    uid: metadata.uid,
    generation: metadata.generation ?? 0,
    annotations: metadata.annotations ?? {},
    spec,
    platform,
    ingressClassName: config.ingressClassName ?? 'nginx',
    ingressControllerNamespace: config.ingressControllerNamespace ?? 'ingress-nginx',
    migrationDeadlineSeconds: config.migrationDeadlineSeconds ?? 1800,
    containerPort,
    servicePort: spec.services?.port ?? 80,
    isolated: spec.isolation != null,
    database,
    redis,
    worker: Boolean(spec.worker || signal?.background_worker),
    hpa,
    rps: Boolean(scale && metric === 'Rps'),
    pages: Boolean(spec.pages || signal?.pages),
  };
}
