// render(project, observed) → desired objects + conditions. Pure and deterministic: no clock, no randomness,
// no I/O. The operator applies the objects and writes the conditions; the CLI and the editor preview them.
import { cacheIssues, observeCloudCache } from './cache';
import { checkOperatorRules, ingressRuleHost } from './checks';
import { buildContext, type RenderContext } from './context';
import {
  fnv1a64,
  MIGRATION_GENERATION_ANNOTATION,
  MIGRATION_RETRY_ANNOTATION,
  migrationJobName,
} from './names';
import {
  autoscaler,
  coreSecrets,
  databaseObjects,
  grpcService,
  ingress,
  isolationObjects,
  localesConfigMap,
  mailSettings,
  migrationJob,
  pluginConfigMap,
  redisObjects,
  serviceAccount,
  webDeployment,
  webService,
  workerDeployment,
} from './objects';
import type {
  DesiredObject,
  KubeObject,
  MigrationState,
  Observed,
  RenderCondition,
  RenderConfig,
  RenderPhase,
  RenderProject,
  RenderResult,
} from './types';

const KIND_ORDER = [
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'Service',
  'StatefulSet',
  'Job',
  'Deployment',
  'HorizontalPodAutoscaler',
  'Ingress',
  'NetworkPolicy',
  'LimitRange',
];

/** `<Kind>/<name>`, the key of `Observed.objects`. */
export function objectKey(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${object.kind}/${object.metadata.name}`;
}

type Status = Record<string, unknown> & {
  readyReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  replicas?: number;
  observedGeneration?: number;
  succeeded?: number;
  failed?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
};

function statusOf(object: KubeObject | undefined): Status {
  return (object?.status as Status | undefined) ?? {};
}

function hasCondition(object: KubeObject | undefined, type: string, status = 'True'): boolean {
  return (statusOf(object).conditions ?? []).some((c) => c.type === type && c.status === status);
}

function generationObserved(object: KubeObject): boolean {
  const generation = (object.metadata.generation as number | undefined) ?? 0;
  return (statusOf(object).observedGeneration ?? 0) >= generation;
}

function containerImage(deployment: KubeObject | undefined, container: string): string | undefined {
  const spec = deployment?.spec as
    | { template?: { spec?: { containers?: { name: string; image?: string }[] } } }
    | undefined;
  return spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
}

/** A Deployment whose current template is fully rolled out with at least `desired` ready pods. */
function rolledOut(deployment: KubeObject | undefined, desired: number): boolean {
  if (!deployment || !generationObserved(deployment)) return false;
  const s = statusOf(deployment);
  return (
    (s.updatedReplicas ?? 0) >= desired &&
    (s.readyReplicas ?? 0) >= desired &&
    (s.availableReplicas ?? 0) >= desired
  );
}

interface MigrationPlan {
  state: MigrationState;
  jobName?: string;
  revision?: string;
  revisionKey?: string;
  retry: boolean;
  message: string;
}

function planMigration(ctx: RenderContext, observed: Observed): MigrationPlan {
  if (!ctx.database)
    return { state: 'NotRequired', retry: false, message: 'No database: no migration needed' };
  const version = ctx.spec.introspect?.app?.version?.trim() || 'unknown';
  const revisionKey = `image=${ctx.spec.image};version=${version}`;
  const revision = fnv1a64(revisionKey);
  const jobName = migrationJobName(ctx.name, revision);
  const job = observed.objects?.[`Job/${jobName}`];
  const base = { jobName, revision, revisionKey };
  if (!job)
    return {
      ...base,
      state: 'Pending',
      retry: false,
      message: `Migration Job ${jobName} is being created for image ${ctx.spec.image}`,
    };
  const s = statusOf(job);
  if ((s.succeeded ?? 0) > 0 || hasCondition(job, 'Complete')) {
    return {
      ...base,
      state: 'Succeeded',
      retry: false,
      message: `Migration Job ${jobName} succeeded for image ${ctx.spec.image}`,
    };
  }
  if (hasCondition(job, 'Failed')) {
    // D12: a failed revision is retried when the spec changed since the Job was created, or on request.
    const annotations = job.metadata.annotations ?? {};
    const jobGeneration = Number(annotations[MIGRATION_GENERATION_ANNOTATION] ?? '0');
    const requested = ctx.annotations[MIGRATION_RETRY_ANNOTATION];
    const retry =
      ctx.generation > jobGeneration ||
      (requested !== undefined && requested !== annotations[MIGRATION_RETRY_ANNOTATION]);
    if (retry)
      return {
        ...base,
        state: 'Pending',
        retry: true,
        message: `Retrying migration Job ${jobName} for image ${ctx.spec.image}`,
      };
    const failed = (s.conditions ?? []).find((c) => c.type === 'Failed');
    const detail = failed?.message ? `: ${failed.message}` : '';
    return {
      ...base,
      state: 'Failed',
      retry: false,
      message: `Migration Job ${jobName} failed for image ${ctx.spec.image}${detail}; the previous version keeps serving. Change the spec or set annotation ${MIGRATION_RETRY_ANNOTATION} to retry`,
    };
  }
  return {
    ...base,
    state: 'Running',
    retry: false,
    message: `Waiting for migration Job ${jobName} for image ${ctx.spec.image}`,
  };
}

function cond(type: RenderCondition['type'], ok: boolean, reason: string, message: string): RenderCondition {
  return { type, status: ok ? 'True' : 'False', reason, message };
}

function sortObjects(objects: DesiredObject[]): DesiredObject[] {
  const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return objects.sort(
    (a, b) =>
      rank(a.object.kind) - rank(b.object.kind) ||
      a.object.metadata.name.localeCompare(b.object.metadata.name),
  );
}

export function render(
  project: RenderProject,
  observed: Observed = {},
  config: RenderConfig = {},
): RenderResult {
  const ctx = buildContext(project, config);
  const children = observed.objects ?? {};
  const issues = [...checkOperatorRules(ctx, config, observed.claimedHosts ?? []), ...cacheIssues(ctx)];
  if (issues.length > 0) {
    // D16: an invalid Project gets nothing applied, not a partial rollout.
    const reason = issues.find((i) => i.reason)?.reason ?? 'InvalidSpec';
    return {
      objects: [],
      conditions: [
        cond('Ready', false, reason, issues.map((i) => i.message).join('; ')),
        cond('Degraded', true, reason, issues.map((i) => i.message).join('; ')),
      ],
      phase: 'failed',
      issues,
      migration: { state: 'NotRequired', retry: false },
      readyReplicas: statusOf(children[`Deployment/${ctx.name}`]).readyReplicas ?? 0,
    };
  }

  // D9: the cloud cache's reported state and endpoint (the app env follows the endpoint).
  const cloudCache = observeCloudCache(ctx, observed);
  const migration = planMigration(ctx, observed);
  const currentWeb = children[`Deployment/${ctx.name}`];
  const migrated = migration.state === 'NotRequired' || migration.state === 'Succeeded';
  // A new image only rolls out after its migration succeeded; until then the running version keeps serving.
  const servingImage = migrated ? ctx.spec.image : containerImage(currentWeb, ctx.name);

  const objects: DesiredObject[] = [];
  const apply = (object: KubeObject | undefined) => {
    if (object) objects.push({ object, mode: 'apply' });
  };
  apply(serviceAccount(ctx));
  objects.push(...coreSecrets(ctx));
  apply(mailSettings(ctx));
  apply(pluginConfigMap(ctx));
  apply(localesConfigMap(ctx));
  objects.push(...databaseObjects(ctx));
  objects.push(...redisObjects(ctx));
  if (migration.jobName && migration.revision && migration.revisionKey) {
    objects.push({
      object: migrationJob(ctx, migration.jobName, migration.revision, migration.revisionKey),
      mode: 'create-if-absent',
    });
  }
  if (servingImage) apply(webDeployment(ctx, servingImage));
  apply(webService(ctx));
  if (ctx.spec.introspect?.features?.infrastructure_signals?.grpc) apply(grpcService(ctx));
  const workerImage = migrated
    ? ctx.spec.image
    : containerImage(children[`Deployment/${ctx.name}-worker`], 'worker');
  if (ctx.worker && workerImage) apply(workerDeployment(ctx, workerImage));
  apply(autoscaler(ctx));
  const ing = ingress(ctx);
  apply(ing);
  for (const o of isolationObjects(ctx)) apply(o);

  const conditions: RenderCondition[] = [];
  const desiredReplicas = ctx.hpa ? ctx.hpa.min : (ctx.spec.replicas ?? 1);
  const webReady =
    migrated &&
    rolledOut(currentWeb, desiredReplicas) &&
    containerImage(currentWeb, ctx.name) === ctx.spec.image;
  const readyReplicas = statusOf(currentWeb).readyReplicas ?? 0;

  const migrationReason: Record<MigrationState, [boolean, string]> = {
    NotRequired: [true, 'MigrationNotRequired'],
    Pending: [false, 'MigrationRunning'],
    Running: [false, 'MigrationRunning'],
    Succeeded: [true, 'MigrationSucceeded'],
    Failed: [false, 'MigrationFailed'],
  };
  const [migrationOk, migrationReasonText] = migrationReason[migration.state];
  conditions.push(cond('MigrationReady', migrationOk, migrationReasonText, migration.message));
  conditions.push(
    migration.state === 'Failed'
      ? cond('Degraded', true, 'MigrationFailed', migration.message)
      : cond('Degraded', false, 'ReconcileSuccess', 'No failure detected'),
  );

  let databaseStatus: RenderResult['database'];
  const db = ctx.database;
  if (db) {
    if (db.engine === 'sqlite') {
      conditions.push(
        cond(
          'DatabaseReady',
          true,
          'EmbeddedDatabase',
          'SQLite runs inside the application container; nothing to provision',
        ),
      );
      databaseStatus = { phase: 'ready' };
    } else {
      const sts = children[`StatefulSet/${db.host}`];
      const ready = sts !== undefined && generationObserved(sts) && (statusOf(sts).readyReplicas ?? 0) >= 1;
      conditions.push(
        ready
          ? cond('DatabaseReady', true, 'DatabaseAvailable', `${db.engine} StatefulSet ${db.host} is ready`)
          : cond(
              'DatabaseReady',
              false,
              sts ? 'DatabaseNotReady' : 'DatabaseProvisioning',
              `Waiting for ${db.engine} StatefulSet ${db.host} to become ready`,
            ),
      );
      databaseStatus = {
        phase: ready ? 'ready' : 'provisioning',
        endpoint: `${db.host}.${ctx.namespace}.svc:${db.port}`,
        credentials_secret: db.secretName,
      };
    }
  }

  let cacheStatus: RenderResult['cache'];
  if (cloudCache) {
    conditions.push(cloudCache.condition);
    cacheStatus = cloudCache.status;
  } else if (ctx.redis) {
    const redis = children[`Deployment/${ctx.name}-redis`];
    const ready = rolledOut(redis, 1);
    conditions.push(
      ready
        ? cond('CacheReady', true, 'CacheAvailable', `Redis Deployment ${ctx.name}-redis is ready`)
        : cond(
            'CacheReady',
            false,
            redis ? 'CacheNotReady' : 'CacheProvisioning',
            `Waiting for Redis Deployment ${ctx.name}-redis to become ready`,
          ),
    );
    cacheStatus = {
      phase: ready ? 'ready' : 'provisioning',
      endpoint: `${ctx.name}-redis.${ctx.namespace}.svc:6379`,
    };
  }

  let workerStatus: RenderResult['worker'];
  if (ctx.worker) {
    const worker = children[`Deployment/${ctx.name}-worker`];
    const ready = migrated && rolledOut(worker, 1) && containerImage(worker, 'worker') === ctx.spec.image;
    conditions.push(
      ready
        ? cond('WorkerReady', true, 'WorkerAvailable', `Worker Deployment ${ctx.name}-worker is ready`)
        : cond(
            'WorkerReady',
            false,
            migrated ? 'WorkerNotReady' : 'WaitingForMigration',
            `Waiting for worker Deployment ${ctx.name}-worker to roll out ${ctx.spec.image}`,
          ),
    );
    workerStatus = { ready_replicas: statusOf(worker).readyReplicas ?? 0 };
  }

  if (ing) {
    const current = children[`Ingress/${ctx.name}`];
    const lb =
      (statusOf(current).loadBalancer as { ingress?: { ip?: string; hostname?: string }[] } | undefined)
        ?.ingress ?? [];
    const address = lb
      .map((a) => a.ip ?? a.hostname)
      .filter(Boolean)
      .join(', ');
    conditions.push(
      current
        ? cond(
            'IngressReady',
            true,
            address ? 'IngressAdmitted' : 'IngressConfigured',
            address
              ? `Ingress ${ctx.name} is served at ${address}`
              : `Ingress ${ctx.name} exists (class ${ctx.ingressClassName}); no load-balancer address reported yet`,
          )
        : cond('IngressReady', false, 'IngressPending', `Ingress ${ctx.name} is being created`),
    );
  }

  const tls = ctx.spec.services?.tls;
  if (tls?.enabled) {
    const host = ingressRuleHost(ctx);
    const secret = tls.secret_name;
    const current = children[`Ingress/${ctx.name}`];
    const entries =
      (current?.spec as { tls?: { hosts?: string[]; secretName?: string }[] } | undefined)?.tls ?? [];
    const referenced =
      host !== undefined && entries.some((t) => t.secretName === secret && (t.hosts ?? []).includes(host));
    const exists = secret !== undefined && (observed.secretNames ?? []).includes(secret);
    conditions.push(
      !host || !secret
        ? cond(
            'TlsReady',
            false,
            'TlsSecretNotReady',
            'Waiting for Ingress TLS host and Secret name to be configured',
          )
        : referenced && exists
          ? cond(
              'TlsReady',
              true,
              'TlsSecretReady',
              `Ingress TLS references Secret ${secret} for ${host} and the Secret exists`,
            )
          : cond(
              'TlsReady',
              false,
              'TlsSecretNotReady',
              `Waiting for TLS Secret ${secret} for ${host}${exists ? '' : ' (Secret not found)'}`,
            ),
    );
  }

  if (ctx.rps) {
    conditions.push(
      cond(
        'AutoscalerReady',
        false,
        'UnsupportedMetric',
        'scale.metric Rps needs a custom metrics adapter; no HorizontalPodAutoscaler was created (use Cpu or Memory)',
      ),
    );
  } else if (ctx.hpa) {
    const hpa = children[`HorizontalPodAutoscaler/${ctx.name}`];
    const active =
      hpa !== undefined &&
      generationObserved(hpa) &&
      hasCondition(hpa, 'AbleToScale') &&
      hasCondition(hpa, 'ScalingActive');
    conditions.push(
      active
        ? cond('AutoscalerReady', true, 'AutoscalerActive', `HorizontalPodAutoscaler ${ctx.name} is active`)
        : cond(
            'AutoscalerReady',
            false,
            'AutoscalerNotReady',
            `Waiting for HorizontalPodAutoscaler ${ctx.name} to become active`,
          ),
    );
  }

  // Ready means the app can serve: the web rollout of the current image plus everything it depends on.
  const waitingOn = conditions.filter(
    (c) =>
      (c.type === 'DatabaseReady' || c.type === 'CacheReady' || c.type === 'WorkerReady') &&
      c.status !== 'True',
  );
  let ready: RenderCondition;
  if (migration.state === 'Failed') ready = cond('Ready', false, 'MigrationFailed', migration.message);
  else if (!webReady) {
    const why = !migrated
      ? migration.message
      : `Waiting for Deployment ${ctx.name} to roll out ${desiredReplicas} ready replica(s) of ${ctx.spec.image} (${readyReplicas} ready)`;
    ready = cond('Ready', false, 'ReconcileInProgress', why);
  } else if (waitingOn.length > 0) {
    ready = cond(
      'Ready',
      false,
      'ReconcileInProgress',
      `Waiting for ${waitingOn.map((c) => `${c.type} (${c.message})`).join(', ')}`,
    );
  } else ready = cond('Ready', true, 'ReconcileSuccess', 'Application is ready');
  conditions.unshift(ready);

  let phase: RenderPhase;
  if (migration.state === 'Failed') phase = 'degraded';
  else if (ready.status === 'True') phase = 'running';
  else if (databaseStatus && databaseStatus.phase !== 'ready') phase = 'provisioning';
  else phase = 'deploying';

  const result: RenderResult = {
    objects: sortObjects(objects),
    conditions,
    phase,
    issues: [],
    migration: { state: migration.state, retry: migration.retry },
    readyReplicas,
  };
  if (migration.jobName) result.migration.jobName = migration.jobName;
  if (migration.revision) result.migration.revision = migration.revision;
  if (databaseStatus) result.database = databaseStatus;
  if (cacheStatus) result.cache = cacheStatus;
  if (workerStatus) result.worker = workerStatus;
  return result;
}
