// The Project controller: informers feed a work queue; workers reconcile one Project at a time each:
// validate, render, apply (server-side apply, skipped when unchanged), prune, write status and Events.
import { createHash, randomBytes } from 'node:crypto';
import {
  type ClaimedHost,
  CONDITION_TYPES,
  DATA_LABEL,
  type DesiredObject,
  FINALIZER,
  formatSpecIssues,
  type KubeObject,
  MANAGED_BY,
  type Observed,
  objectKey,
  previewParentKey,
  projectSpecSchema,
  type RenderCondition,
  type RenderProject,
  type RenderResult,
  render,
  validateProjectSpec,
} from '@reinhardt-cloud/core';
import { isBuildJob, overlaySource, replacingPatch, type SourceOutcome, SourceSteps } from './builds';
import { type CloudCacheKind, CloudCacheWatch, cloudCacheKind } from './cloud-cache';
import type { OperatorConfig } from './config';
import { type Informer, InformerSet } from './informer';
import { ApiError, isStatus, type Kind, type KubeClient, RESOURCES } from './kube';
import type { Logger } from './log';
import type { ErrorClass, Metrics } from './metrics';
import { NamespacePolicies } from './namespaces';
import { Previews, previewsEnabled } from './previews';
import { WorkQueue } from './queue';
import { type ReconcileTraceFields, reconcileTracer } from './tracing';

export const FIELD_MANAGER = 'reinhardt-cloud-operator';
/** Hash of the last applied desired object: an unchanged object is not re-applied (0 writes when idle). */
export const APPLIED_HASH_ANNOTATION = 'paas.reinhardt-cloud.dev/applied-hash';

const CHILD_KINDS = [
  'Deployment',
  'StatefulSet',
  'Job',
  'Service',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'LimitRange',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
  'Ingress',
] as const satisfies readonly Kind[];
/** The cloud cache kind (D9) is a child too, but only on its platform and once its CRD is served. */
type ChildKind = (typeof CHILD_KINDS)[number] | CloudCacheKind;

/** Condition types this controller computes; others (e.g. Progressing from builds) are preserved. */
const OWNED_CONDITIONS: ReadonlySet<string> = new Set(CONDITION_TYPES.filter((t) => t !== 'Progressing'));

interface StatusCondition extends RenderCondition {
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export class PermanentError extends Error {}

export function classify(error: unknown): ErrorClass {
  if (error instanceof PermanentError) return 'permanent';
  if (error instanceof ApiError) {
    if (error.code === 404 || error.code === 409) return 'dependency_not_ready';
    if (error.code === 400 || error.code === 403 || error.code === 422) return 'permanent';
  }
  return 'transient';
}

function ownerKeyOf(object: KubeObject): string | undefined {
  const labels = object.metadata.labels ?? {};
  if (labels['app.kubernetes.io/managed-by'] !== MANAGED_BY) return undefined;
  const instance = labels['app.kubernetes.io/instance'];
  return instance ? `${object.metadata.namespace}/${instance}` : undefined;
}

function trimChild(object: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = object.metadata;
  const trimmed: KubeObject = { ...object, metadata } as KubeObject;
  // Secret values are never needed by the controller; only existence and labels are.
  if (object.kind === 'Secret' || (object.data !== undefined && object.type !== undefined)) {
    delete trimmed.data;
    delete trimmed.stringData;
  }
  return trimmed;
}

function hashOf(object: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(object)).digest('hex').slice(0, 20);
}

function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps the distribution uniform over 62 characters.
      if (byte < 248 && out.length < length) out += alphabet[byte % 62];
    }
  }
  return out;
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export interface ControllerOptions {
  client: KubeClient;
  config: OperatorConfig;
  log: Logger;
  metrics: Metrics;
}

export class Controller {
  readonly projects: InformerSet;
  readonly children = new Map<ChildKind, InformerSet>();
  readonly queue: WorkQueue;
  private workers: Promise<void>[] = [];
  private resyncTimer?: NodeJS.Timeout;
  private readonly phaseOf = new Map<string, string>();
  private running = false;
  /** ElastiCache/Memorystore objects (D9): watched only when the platform needs them and their CRD exists. */
  readonly cloudCache?: CloudCacheWatch;
  /** Tenant labels and guardrails, Pod Security labels: per namespace, from all of its Projects. */
  readonly namespacePolicies: NamespacePolicies;
  /** Preview environments and Kaniko builds (operator.md §8, §9), created on first use. */
  private source?: { previews: Previews; steps: SourceSteps };

  constructor(private readonly deps: ControllerOptions) {
    const { client, config, log, metrics } = deps;
    const common = {
      staleMs: config.watchStaleMs,
      timeoutSeconds: config.watchTimeoutSeconds,
      resyncMs: config.resyncMs,
      log,
      metrics,
    };
    this.queue = new WorkQueue({
      qps: config.qps,
      burst: config.qps * 2,
      onDepth: (d) => metrics.queueDepth.set(d),
    });
    // REINHARDT_CLOUD_WATCH_NAMESPACES: one list+watch per namespace (namespace-scoped RBAC), else cluster-wide.
    const namespaces = config.watchNamespaces;
    this.projects = new InformerSet(client, RESOURCES.Project, namespaces, {
      ...common,
      labelSelector: config.projectLabelSelector,
    });
    this.namespacePolicies = new NamespacePolicies({
      client,
      log,
      projectsIn: (namespace) => this.projects.list().filter((p) => p.metadata.namespace === namespace),
      ingressNamespace: config.render.ingressControllerNamespace ?? 'ingress-nginx',
      tenantQuota: config.render.tenantQuota,
    });
    this.projects.on((event, object, old) => {
      const key = `${object.metadata.namespace}/${object.metadata.name}`;
      // A preview's status and activity feed its parent's `status.previews` and TTL.
      const parentKey = previewParentKey(object);
      if (parentKey) this.queue.add(parentKey);
      if (event === 'delete') {
        this.forgetMetrics(key);
        return;
      }
      if (event === 'update' && old && !this.specOrMetaChanged(old, object)) return;
      this.queue.add(key);
    });
    const cloudKind = cloudCacheKind(config.render.platform, config.render.cache);
    for (const kind of cloudKind ? [...CHILD_KINDS, cloudKind] : CHILD_KINDS) {
      // Ingresses are watched cluster-wide without a selector, even with watched namespaces (the chart grants
      // that read): host uniqueness needs every Ingress.
      const informer = new InformerSet(client, RESOURCES[kind], kind === 'Ingress' ? [] : namespaces, {
        ...common,
        labelSelector: kind === 'Ingress' ? undefined : `app.kubernetes.io/managed-by=${MANAGED_BY}`,
        indexBy: ownerKeyOf,
        trim: trimChild,
      });
      informer.on((_event, object) => {
        const owner = ownerKeyOf(object);
        // A cluster-wide Ingress may belong to a Project in a namespace this operator does not manage.
        if (owner && this.manages(object.metadata.namespace)) this.queue.add(owner);
      });
      if (kind !== cloudKind) this.children.set(kind, informer);
      else
        this.cloudCache = new CloudCacheWatch({
          client,
          kind,
          namespaces,
          informers: informer,
          log,
          onServed: () => this.children.set(kind, informer),
          onGone: () => this.children.delete(kind),
          onSynced: () => this.resyncAll(),
        });
    }
  }

  private specOrMetaChanged(old: KubeObject, cur: KubeObject): boolean {
    const pick = (o: KubeObject) => [
      o.metadata.generation,
      o.metadata.deletionTimestamp,
      o.metadata.annotations,
      o.metadata.labels,
      o.metadata.finalizers,
    ];
    return stable(pick(old)) !== stable(pick(cur));
  }

  private manages(namespace: string | undefined): boolean {
    const watched = this.deps.config.watchNamespaces;
    return watched.length === 0 || (namespace !== undefined && watched.includes(namespace));
  }

  private informers(): Informer[] {
    return [this.projects, ...this.children.values()].flatMap((set) => set.members);
  }

  notReadyReasons(): string[] {
    const reasons: string[] = [];
    for (const informer of this.informers()) {
      if (!informer.hasSynced) reasons.push(`${informer.description} cache not synced`);
      else if (informer.isStale()) reasons.push(`${informer.description} watch stale`);
    }
    return reasons;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.cloudCache?.start();
    for (const informer of this.informers()) informer.start();
    await Promise.all(this.informers().map((i) => i.synced));
    this.deps.log.info('caches synced', { projects: this.projects.size });
    for (let i = 0; i < this.deps.config.concurrency; i++) this.workers.push(this.work());
    // Level-triggered safety net: every Project is reconciled again periodically (no writes when unchanged).
    this.resyncTimer = setInterval(() => this.resyncAll(), this.deps.config.resyncMs);
    this.resyncTimer.unref();
  }

  /** Relists every watch and reconciles every Project (SIGUSR2): what a periodic resync does, now. */
  forceResync(): void {
    for (const informer of this.informers()) informer.restart('relist');
    this.cloudCache?.recheck();
    this.resyncAll();
  }

  resyncAll(): void {
    for (const project of this.projects.list())
      this.queue.add(`${project.metadata.namespace}/${project.metadata.name}`);
  }

  async stop(drainMs = 20_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.resyncTimer);
    this.queue.shutDown();
    await this.queue.drain(drainMs);
    await this.cloudCache?.stop();
    await Promise.all(this.informers().map((i) => i.stop()));
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const started = process.hrtime.bigint();
      let result = 'success';
      try {
        const requeueAfter = await this.reconcile(key);
        this.queue.forget(key);
        if (requeueAfter !== undefined) this.queue.addAfter(key, requeueAfter);
      } catch (error) {
        const errorClass = classify(error);
        result = errorClass;
        const log = this.deps.log.child({ project: key, errorClass });
        if (errorClass === 'permanent') {
          this.queue.forget(key);
          log.error('reconcile failed permanently; waiting for the Project to change', { error });
          await this.reportError(key, error).catch(() => undefined);
        } else {
          const delay = this.queue.addRateLimited(key);
          this.deps.metrics.requeueTotal.inc({ reason: errorClass });
          this.deps.metrics.queueRetries.inc();
          log.warn('reconcile failed; retrying', { error, retryInMs: delay });
        }
      } finally {
        this.queue.done(key);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.deps.metrics.reconcileTotal.inc({ result });
        this.deps.metrics.reconcileDuration.observe({ result }, seconds);
      }
    }
  }

  private forgetMetrics(key: string): void {
    const [namespace, project] = key.split('/') as [string, string];
    const phase = this.phaseOf.get(key);
    if (phase) this.deps.metrics.managedApps.dec({ phase });
    this.phaseOf.delete(key);
    this.deps.metrics.readyReplicas.remove({ namespace, project });
    this.deps.metrics.desiredReplicas.remove({ namespace, project });
  }

  private observed(key: string, tlsSecret: string | undefined, tlsSecretExists: boolean): Observed {
    const objects: Record<string, KubeObject> = {};
    for (const informer of this.children.values()) {
      for (const child of informer.byIndex(key)) objects[objectKey(child)] = child;
    }
    const claimedHosts: ClaimedHost[] = [];
    for (const ingress of this.children.get('Ingress')?.list() ?? []) {
      const rules = (ingress.spec as { rules?: { host?: string }[] } | undefined)?.rules ?? [];
      for (const rule of rules) {
        if (rule.host)
          claimedHosts.push({
            host: rule.host,
            namespace: ingress.metadata.namespace ?? '',
            name: ingress.metadata.name,
          });
      }
    }
    return {
      objects,
      claimedHosts,
      secretNames: tlsSecret && tlsSecretExists ? [tlsSecret] : [],
      uninstalledKinds: this.cloudCache?.uninstalledKinds ?? [],
      forbiddenKinds: this.cloudCache?.forbiddenKinds ?? [],
    };
  }

  /** One reconcile of `namespace/name`; returns a delay when the Project must be looked at again. */
  async reconcile(key: string): Promise<number | undefined> {
    // Tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT): one undefined check, no span, no extra log fields.
    const tracer = reconcileTracer();
    if (!tracer) return this.reconcileProject(key);
    const [namespace, name] = key.split('/') as [string, string];
    const annotations = this.projects.get(namespace, name)?.metadata.annotations;
    return tracer.run({ namespace, name, annotations }, (fields) => this.reconcileProject(key, fields));
  }

  private async reconcileProject(
    key: string,
    traceFields?: ReconcileTraceFields,
  ): Promise<number | undefined> {
    const [namespace, name] = key.split('/') as [string, string];
    const { client, log: baseLog } = this.deps;
    const log = baseLog.child({ project: key, ...traceFields });
    let project = this.projects.get(namespace, name);
    if (!project) return undefined;
    if (project.metadata.deletionTimestamp) {
      await this.finalize(project, traceFields);
      return undefined;
    }
    const finalizers = (project.metadata.finalizers as string[] | undefined) ?? [];
    if (!finalizers.includes(FINALIZER)) {
      project = await client.patch(
        RESOURCES.Project,
        namespace,
        name,
        finalizers.length === 0
          ? [{ op: 'add', path: '/metadata/finalizers', value: [FINALIZER] }]
          : [
              { op: 'test', path: '/metadata/finalizers', value: finalizers },
              { op: 'add', path: '/metadata/finalizers/-', value: FINALIZER },
            ],
        'json',
      );
    }

    // operator.md §4 steps 5-8 (preview guardrails, preview delete, TTL, source build gate) before render.
    // D13: a failed build is reported, never blocking: the current spec.image keeps being reconciled.
    const source = await this.sourceSteps().steps.run(project, log);
    project = source.project;

    // D16: the same validation as the CLI and editor, on every reconcile; an invalid Project gets nothing applied.
    const parsed = projectSpecSchema.safeParse(project.spec ?? {});
    const specIssues = parsed.success
      ? validateProjectSpec(project.spec as never).filter((i) => i.severity === 'error')
      : parsed.error.issues.map((i) => ({ message: `spec.${i.path.join('.')}: ${i.message}` }));
    const renderProject: RenderProject | undefined = parsed.success
      ? { metadata: project.metadata as RenderProject['metadata'], spec: parsed.data }
      : undefined;
    let result: RenderResult;
    if (!renderProject || specIssues.length > 0) {
      const message = `invalid Project spec: ${formatSpecIssues(specIssues as never)}`;
      result = {
        objects: [],
        conditions: [
          { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
          { type: 'Degraded', status: 'True', reason: 'InvalidSpec', message },
        ],
        phase: 'failed',
        issues: specIssues.map((i) => ({ path: 'spec', message: i.message })),
        migration: { state: 'NotRequired', retry: false },
        readyReplicas: 0,
      };
    } else {
      const tls = renderProject.spec.services?.tls;
      const tlsSecret = tls?.enabled ? tls.secret_name : undefined;
      const tlsExists = tlsSecret
        ? (await client.get(RESOURCES.Secret, namespace, tlsSecret)) !== undefined
        : false;
      result = render(renderProject, this.observed(key, tlsSecret, tlsExists), this.deps.config.render);
    }

    let requeueAfter: number | undefined;
    if (result.issues.length === 0) {
      // Before the children: pods are admitted under the namespace's Pod Security level and tenant defaults.
      await this.namespacePolicies.sync(namespace);
      if (result.migration.retry && result.migration.jobName) {
        log.info('retrying failed migration', { job: result.migration.jobName });
        await client.delete(RESOURCES.Job, namespace, result.migration.jobName);
        requeueAfter = 1000;
      } else {
        await this.applyAll(project, result.objects, log);
        await this.prune(key, result.objects, log);
      }
      if (
        renderProject?.spec.services?.tls?.enabled &&
        result.conditions.some((c) => c.type === 'TlsReady' && c.status !== 'True')
      ) {
        // TLS Secrets are written by cert-manager or users and are not watched: look again later.
        requeueAfter = Math.min(requeueAfter ?? 30_000, 30_000);
      }
    }
    result = overlaySource(result, source);
    if (source.requeueAfter !== undefined)
      requeueAfter = Math.min(requeueAfter ?? source.requeueAfter, source.requeueAfter);
    await this.writeStatus(project, result, log, source);
    const desiredReplicas = renderProject?.spec.scale ? undefined : (renderProject?.spec.replicas ?? 1);
    this.deps.metrics.readyReplicas.set({ namespace, project: name }, result.readyReplicas);
    if (desiredReplicas !== undefined)
      this.deps.metrics.desiredReplicas.set({ namespace, project: name }, desiredReplicas);
    return requeueAfter;
  }

  private informerFor(kind: string): InformerSet | undefined {
    return this.children.get(kind as ChildKind);
  }

  private async applyAll(project: KubeObject, objects: DesiredObject[], log: Logger): Promise<void> {
    const { client } = this.deps;
    const uid = project.metadata.uid as string | undefined;
    for (const desired of objects) {
      const { object } = desired;
      const kind = object.kind as Kind;
      const resource = RESOURCES[kind];
      const namespace = object.metadata.namespace ?? project.metadata.namespace ?? '';
      const live = this.informerFor(kind)?.get(namespace, object.metadata.name);
      if (desired.mode === 'create-if-absent') {
        if (live) continue;
        const body: KubeObject = structuredClone(object);
        if (desired.generate) {
          const stringData = { ...((body.stringData as Record<string, string> | undefined) ?? {}) };
          for (const [k, length] of Object.entries(desired.generate)) stringData[k] = randomAlnum(length);
          body.stringData = stringData;
        }
        try {
          await client.create(resource, body, FIELD_MANAGER);
          log.info(`Created ${kind} ${namespace}/${object.metadata.name}`);
        } catch (error) {
          if (!isStatus(error, 409)) throw error;
        }
        continue;
      }
      const body: KubeObject = structuredClone(object);
      const hash = hashOf(body);
      body.metadata.annotations = { ...body.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash };
      if (live?.metadata.annotations?.[APPLIED_HASH_ANNOTATION] === hash) continue;
      if (!live) {
        // Never adopt: an object of that name not labelled as ours must not be taken over by the apply.
        const existing = await client.get(resource, namespace, object.metadata.name);
        if (existing && !this.ownedBy(existing, uid, object)) {
          throw new PermanentError(
            `refusing to manage existing ${kind} ${namespace}/${object.metadata.name}: it is not owned by Project ${project.metadata.namespace}/${project.metadata.name}`,
          );
        }
      }
      await client.apply(resource, body, FIELD_MANAGER);
      log.debug(`Applied ${kind} ${namespace}/${object.metadata.name}`);
    }
  }

  private ownedBy(existing: KubeObject, uid: string | undefined, desired: KubeObject): boolean {
    const refs = existing.metadata.ownerReferences ?? [];
    if (refs.some((r) => r.controller && r.uid === uid)) return true;
    // Objects without owner references (retained data) are ours when labelled for this Project.
    const labels = existing.metadata.labels ?? {};
    const want = desired.metadata.labels ?? {};
    return (
      labels['app.kubernetes.io/managed-by'] === MANAGED_BY &&
      labels['app.kubernetes.io/instance'] === want['app.kubernetes.io/instance']
    );
  }

  private async prune(key: string, desired: DesiredObject[], log: Logger): Promise<void> {
    const keep = new Set(desired.map((d) => objectKey(d.object)));
    for (const [kind, informer] of this.children) {
      for (const child of informer.byIndex(key)) {
        if (keep.has(objectKey(child))) continue;
        if (child.metadata.labels?.[DATA_LABEL] === 'true') continue;
        if (child.metadata.deletionTimestamp) continue;
        // Build Jobs are not rendered; SourceSteps keeps the current and the newest ones and removes older ones.
        if (isBuildJob(child)) continue;
        await this.deps.client.delete(RESOURCES[kind], child.metadata.namespace ?? '', child.metadata.name);
        log.info(`Pruned ${kind} ${child.metadata.namespace}/${child.metadata.name}`);
      }
    }
  }

  private async finalize(project: KubeObject, traceFields?: ReconcileTraceFields): Promise<void> {
    const { client, log: baseLog } = this.deps;
    const namespace = project.metadata.namespace ?? '';
    const name = project.metadata.name;
    const key = `${namespace}/${name}`;
    const log = baseLog.child({ project: key, ...traceFields });
    const finalizers = (project.metadata.finalizers as string[] | undefined) ?? [];
    if (!finalizers.includes(FINALIZER)) return;
    const policy = (project.spec as { deletion_policy?: string } | undefined)?.deletion_policy ?? 'retain';
    const data: [ChildKind, KubeObject][] = [];
    for (const [kind, informer] of this.children) {
      for (const child of informer.byIndex(key))
        if (child.metadata.labels?.[DATA_LABEL] === 'true') data.push([kind, child]);
    }
    if (policy === 'delete') {
      for (const [kind, child] of data) {
        await client.delete(RESOURCES[kind], namespace, child.metadata.name);
        log.info(`Deleted ${kind} ${namespace}/${child.metadata.name} (deletion_policy delete)`);
      }
    } else if (data.length > 0) {
      log.info('deletion_policy retain: keeping data', {
        retained: data.map(([k, c]) => `${k}/${c.metadata.name}`),
      });
    }
    // Labels only this Project needed (isolation, tenant) are released before it goes.
    await this.namespacePolicies.sync(namespace, name);
    // §13: the preview namespace goes with its parent, only when its labels prove this Project owns it.
    if (previewsEnabled(project)) await this.sourceSteps().previews.finalize(project, log);
    // Owned children carry controller owner references: the garbage collector removes them.
    const remaining = finalizers.filter((f) => f !== FINALIZER);
    await client.patch(
      RESOURCES.Project,
      namespace,
      name,
      [
        { op: 'test', path: '/metadata/finalizers', value: finalizers },
        { op: 'replace', path: '/metadata/finalizers', value: remaining },
      ],
      'json',
    );
    await this.event(project, 'Normal', 'Deleted', `Cleanup done (deletion_policy ${policy})`);
    this.forgetMetrics(key);
  }

  private sourceSteps(): { previews: Previews; steps: SourceSteps } {
    if (!this.source) {
      const { client, config, log } = this.deps;
      const previews = new Previews({
        client,
        config,
        log,
        projects: () => this.projects.list(),
        claimedHosts: () => this.observed('', undefined, false).claimedHosts as ClaimedHost[],
      });
      const steps = new SourceSteps({ client, config, log, previews, jobs: () => this.children.get('Job') });
      this.source = { previews, steps };
    }
    return this.source;
  }

  private async writeStatus(
    project: KubeObject,
    result: RenderResult,
    log: Logger,
    source?: Pick<SourceOutcome, 'build' | 'previews'>,
  ): Promise<void> {
    const generation = (project.metadata.generation as number | undefined) ?? 0;
    const current = (project.status ?? {}) as {
      conditions?: StatusCondition[];
      phase?: string;
      [k: string]: unknown;
    };
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const previous = new Map((current.conditions ?? []).map((c) => [c.type, c]));
    const conditions: StatusCondition[] = result.conditions.map((c) => {
      const before = previous.get(c.type);
      return {
        ...c,
        lastTransitionTime:
          before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now,
        observedGeneration: generation,
      };
    });
    const produced = new Set(conditions.map((c) => c.type));
    for (const c of current.conditions ?? [])
      if (!OWNED_CONDITIONS.has(c.type) && !produced.has(c.type)) conditions.push(c);
    const status: Record<string, unknown> = {
      observedGeneration: generation,
      phase: result.phase,
      readyReplicas: result.readyReplicas,
      conditions,
      database: result.database ?? null,
      cache: result.cache ?? null,
      worker: result.worker ?? null,
    };
    // Build and previews (operator.md §8, §9.7) are written only when the source steps computed them (from a
    // fresh read); otherwise the patch leaves them alone, so a cached status never writes an old record back.
    if (source?.build !== undefined) status.build = source.build;
    if (source?.previews !== undefined) status.previews = source.previews;
    const comparable = (s: Record<string, unknown>) =>
      stable({
        observedGeneration: s.observedGeneration,
        phase: s.phase,
        readyReplicas: s.readyReplicas,
        conditions: s.conditions,
        database: s.database ?? null,
        cache: s.cache ?? null,
        worker: s.worker ?? null,
        build: s.build ?? null,
        previews: s.previews ?? null,
      });
    const unchanged =
      comparable(current) === comparable({ build: current.build, previews: current.previews, ...status });
    if (!unchanged) {
      await this.deps.client.patch(
        RESOURCES.Project,
        project.metadata.namespace ?? '',
        project.metadata.name,
        // A merge patch merges objects: keys of the previous build record that the new one lacks are nulled.
        {
          status: status.build
            ? {
                ...status,
                build: replacingPatch(
                  current.build as Record<string, unknown> | undefined,
                  status.build as never,
                ),
              }
            : status,
        },
        'merge',
        'status',
      );
    }
    // The phase gauge follows the written phase (also after a restart, when the status was already current).
    const key = `${project.metadata.namespace}/${project.metadata.name}`;
    const oldPhase = this.phaseOf.get(key);
    if (oldPhase !== result.phase) {
      if (oldPhase) this.deps.metrics.managedApps.dec({ phase: oldPhase });
      this.deps.metrics.managedApps.inc({ phase: result.phase });
      this.phaseOf.set(key, result.phase);
    }
    if (unchanged) return;
    for (const c of result.conditions) {
      const before = previous.get(c.type);
      if (before?.status === c.status && before.reason === c.reason) continue;
      if (!['Ready', 'MigrationReady', 'Degraded'].includes(c.type)) continue;
      if (c.type === 'Degraded' && c.status === 'False' && !before) continue;
      const warning =
        (c.type === 'Degraded' && c.status === 'True') ||
        (c.type !== 'Degraded' &&
          c.status === 'False' &&
          c.reason !== 'ReconcileInProgress' &&
          c.reason !== 'MigrationRunning');
      await this.event(
        project,
        warning ? 'Warning' : 'Normal',
        c.reason,
        `${c.type}=${c.status}: ${c.message}`,
      ).catch((error) => log.warn('could not record Event', { error }));
    }
  }

  private async event(
    project: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<void> {
    const namespace = project.metadata.namespace ?? 'default';
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await this.deps.client.create(
      RESOURCES.Event,
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          name: `${project.metadata.name}.${Date.now().toString(16)}${randomBytes(3).toString('hex')}`,
          namespace,
        },
        involvedObject: {
          apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2',
          kind: 'Project',
          name: project.metadata.name,
          namespace,
          uid: project.metadata.uid,
          resourceVersion: project.metadata.resourceVersion,
        },
        reason,
        message: message.slice(0, 1024),
        type,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        source: { component: FIELD_MANAGER },
        reportingComponent: FIELD_MANAGER,
        reportingInstance: this.deps.config.identity,
      },
      FIELD_MANAGER,
    );
  }

  private async reportError(key: string, error: unknown): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    const project = this.projects.get(namespace, name);
    if (!project) return;
    const message = error instanceof Error ? error.message : String(error);
    await this.writeStatus(
      project,
      {
        objects: [],
        conditions: [
          { type: 'Ready', status: 'False', reason: 'ReconcileError', message },
          { type: 'Degraded', status: 'True', reason: 'ReconcileError', message },
        ],
        phase: 'failed',
        issues: [],
        migration: { state: 'NotRequired', retry: false },
        readyReplicas: 0,
      },
      this.deps.log,
    );
  }
}
