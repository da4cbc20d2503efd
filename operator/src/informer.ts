// List+watch cache of one resource type. Level-triggered safety: resourceVersion tracking, bookmarks,
// periodic relist, reconnect with exponential backoff and full jitter, and detection of watches that
// stop delivering without closing (no event and no bookmark for `staleMs`): they are torn down and
// resumed, and `/readyz` reports them meanwhile.
import type { IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import type { KubeObject } from '@reinhardt-cloud/core';
import { ApiError, type KubeClient, type Resource, resourcePath } from './kube';
import type { Logger } from './log';
import type { Metrics } from './metrics';

export type InformerEvent = 'add' | 'update' | 'delete';
export type Handler = (event: InformerEvent, object: KubeObject, old?: KubeObject) => void;

export interface InformerOptions {
  labelSelector?: string;
  /** List and watch only this namespace (`/namespaces/<ns>/...`); absent: all namespaces. */
  namespace?: string;
  staleMs: number;
  timeoutSeconds: number;
  resyncMs: number;
  /** Secondary index: objects grouped by the key this returns (e.g. owning Project). */
  indexBy?: (object: KubeObject) => string | undefined;
  /** Keep only what the operator reads (drops managedFields, big data). */
  trim?: (object: KubeObject) => KubeObject;
  log: Logger;
  metrics?: Metrics;
  random?: () => number;
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 30_000;
export const OVERDUE_GRACE_SECONDS = 5;

// The outer loop's decisions as pure functions (unit-tested in informer.test.ts); the class only feeds
// them its clock, its state and its random source.

/** Exponential backoff with full jitter: uniform in [0, min(30 s, 500 ms·2^(failures-1))]. */
export function backoffDelayMs(failures: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(Math.max(failures, 1) - 1, 10));
  return Math.round(random() * ceiling);
}

/** Server-side watch timeout for one connection: the configured value plus 0–20 % jitter. */
export function jitteredWatchTimeoutSeconds(baseSeconds: number, random: () => number): number {
  return Math.round(baseSeconds * (1 + random() * 0.2));
}

/** Delay until the next periodic relist: the resync period plus 0–10 % jitter. */
export function relistDelayMs(resyncMs: number, random: () => number): number {
  return resyncMs * (1 + random() * 0.1);
}

export interface WatchState {
  now: number;
  stopped: boolean;
  /** A watch stream is open. */
  watching: boolean;
  /** Last event, bookmark or successful (re)connect/list. */
  lastActivity: number;
  /** When the open stream was established. */
  connectedAt: number;
  /** The timeout the server promised for the open stream. */
  timeoutSeconds: number;
  /** Start of a list or connect still in progress; 0 when none. */
  attemptStarted: number;
  staleMs: number;
}

/**
 * Why the watch cannot be trusted, if it cannot: `silent` (no event or bookmark, or no connection, for
 * longer than `staleMs`) or `overdue` (a stream still open well past the timeout the server promised to
 * close it at: a dead connection nobody told us about). Drives `/readyz`.
 */
export function watchStaleness(s: WatchState): 'silent' | 'overdue' | undefined {
  if (s.stopped) return undefined;
  if (s.now - s.lastActivity > s.staleMs) return 'silent';
  if (s.watching && s.now - s.connectedAt > (s.timeoutSeconds + OVERDUE_GRACE_SECONDS) * 1000)
    return 'overdue';
  return undefined;
}

/** Whether to tear down the current attempt: a stale open stream, or a list/connect hanging past `staleMs`. */
export function shouldAbortWatch(s: WatchState): boolean {
  if (s.watching) return watchStaleness(s) !== undefined;
  return s.attemptStarted > 0 && s.now - s.attemptStarted > s.staleMs;
}

export type RestartReason = 'closed' | 'stale' | 'relist' | 'manual' | 'expired' | 'error';

/**
 * What the loop does after a watch attempt threw: `relist` at once (410 Gone: the resourceVersion is too
 * old), `reconnect` at once (we aborted it ourselves: stale, periodic relist, manual), or `backoff` (the
 * connection or the server failed).
 */
export function afterWatchFailure(
  error: unknown,
  abortReason: 'stale' | 'relist' | 'manual' | undefined,
): { reason: RestartReason; next: 'relist' | 'reconnect' | 'backoff' } {
  if (abortReason) return { reason: abortReason, next: 'reconnect' };
  if (error instanceof ApiError && error.code === 410) return { reason: 'expired', next: 'relist' };
  return { reason: 'error', next: 'backoff' };
}

function cacheKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function defaultTrim(o: KubeObject): KubeObject {
  if (!o.metadata.managedFields) return o;
  const { managedFields: _dropped, ...metadata } = o.metadata;
  return { ...o, metadata } as KubeObject;
}

export class Informer {
  private readonly cache = new Map<string, KubeObject>();
  private readonly index = new Map<string, Map<string, KubeObject>>();
  private readonly handlers: Handler[] = [];
  private resourceVersion = '';
  private stopped = false;
  private abort?: AbortController;
  private abortReason?: 'stale' | 'relist' | 'manual';
  private failures = 0;
  private staleTimer?: NodeJS.Timeout;
  private relistTimer?: NodeJS.Timeout;
  private loop?: Promise<void>;
  private syncedResolve?: () => void;
  /** Resolves after the first complete list. */
  readonly synced: Promise<void>;
  hasSynced = false;
  /** Time of the last byte of evidence that the watch is alive (event, bookmark, or (re)connect). */
  lastActivity = Date.now();
  watching = false;
  /** When the current connection attempt started (a connect that hangs is aborted like a silent watch). */
  private attemptStarted = 0;
  private connectedAt = 0;
  private currentTimeoutSeconds = 0;
  readonly restarts = { total: 0 };

  constructor(
    private readonly client: KubeClient,
    readonly resource: Resource,
    private readonly options: InformerOptions,
  ) {
    this.synced = new Promise((resolve) => {
      this.syncedResolve = resolve;
    });
  }

  on(handler: Handler): void {
    this.handlers.push(handler);
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  list(): KubeObject[] {
    return [...this.cache.values()];
  }

  byIndex(key: string): KubeObject[] {
    const group = this.index.get(key);
    return group ? [...group.values()] : [];
  }

  get size(): number {
    return this.cache.size;
  }

  /** `projects` or `projects in team-a`, for readiness reasons and logs. */
  get description(): string {
    const ns = this.options.namespace;
    return ns ? `${this.resource.plural} in ${ns}` : this.resource.plural;
  }

  /**
   * Watch silent for longer than allowed (or not connected for that long), or overdue: the server closes
   * every watch after its `timeoutSeconds`, so a stream still open well past that is a dead connection
   * that nobody told us about.
   */
  isStale(now = Date.now()): boolean {
    return watchStaleness(this.state(now)) !== undefined;
  }

  private state(now: number): WatchState {
    return {
      now,
      stopped: this.stopped,
      watching: this.watching,
      lastActivity: this.lastActivity,
      connectedAt: this.connectedAt,
      timeoutSeconds: this.currentTimeoutSeconds,
      attemptStarted: this.attemptStarted,
      staleMs: this.options.staleMs,
    };
  }

  private get random(): () => number {
    return this.options.random ?? Math.random;
  }

  start(): void {
    this.stopped = false;
    this.loop = this.run();
    this.staleTimer = setInterval(() => {
      // A silent or overdue stream, or a connection attempt that hangs (frozen network), is torn down.
      if (shouldAbortWatch(this.state(Date.now()))) this.restart('stale');
    }, 1000);
    this.staleTimer.unref();
    this.scheduleRelist();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.staleTimer);
    clearTimeout(this.relistTimer);
    this.abort?.abort();
    await this.loop?.catch(() => undefined);
  }

  /** Drops the current watch; the loop reconnects (and relists first for `relist`). */
  restart(reason: 'stale' | 'relist' | 'manual'): void {
    if (reason === 'relist') this.resourceVersion = '';
    this.abortReason = reason;
    this.abort?.abort();
  }

  private scheduleRelist(): void {
    this.relistTimer = setTimeout(
      () => {
        this.restart('relist');
        this.scheduleRelist();
      },
      relistDelayMs(this.options.resyncMs, this.random),
    );
    this.relistTimer.unref();
  }

  private emit(event: InformerEvent, object: KubeObject, old?: KubeObject): void {
    for (const handler of this.handlers) {
      try {
        handler(event, object, old);
      } catch (error) {
        this.options.log.error('informer handler failed', { resource: this.resource.plural, error });
      }
    }
  }

  private indexKeyOf(o: KubeObject): string | undefined {
    return this.options.indexBy?.(o);
  }

  private upsert(raw: KubeObject): void {
    const object = (this.options.trim ?? defaultTrim)(raw);
    const key = cacheKey(object);
    const old = this.cache.get(key);
    if (old && old.metadata.resourceVersion === object.metadata.resourceVersion) return;
    this.cache.set(key, object);
    const oldIndex = old ? this.indexKeyOf(old) : undefined;
    const newIndex = this.indexKeyOf(object);
    if (oldIndex !== undefined && oldIndex !== newIndex) this.index.get(oldIndex)?.delete(key);
    if (newIndex !== undefined) {
      let group = this.index.get(newIndex);
      if (!group) {
        group = new Map();
        this.index.set(newIndex, group);
      }
      group.set(key, object);
    }
    this.emit(old ? 'update' : 'add', object, old);
  }

  private remove(object: KubeObject): void {
    const key = cacheKey(object);
    const old = this.cache.get(key);
    if (!old) return;
    this.cache.delete(key);
    const indexKey = this.indexKeyOf(old);
    if (indexKey !== undefined) this.index.get(indexKey)?.delete(key);
    this.emit('delete', old);
  }

  private async relist(): Promise<void> {
    this.attemptStarted = Date.now();
    const { items, resourceVersion } = await this.client.list(this.resource, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
    });
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(cacheKey(item));
      this.upsert(item);
    }
    for (const [key, object] of [...this.cache]) if (!seen.has(key)) this.remove(object);
    this.resourceVersion = resourceVersion;
    this.attemptStarted = 0;
    this.lastActivity = Date.now();
    if (!this.hasSynced) {
      this.hasSynced = true;
      this.syncedResolve?.();
    }
  }

  private async run(): Promise<void> {
    const log = this.options.log.child({
      resource: this.resource.plural,
      ...(this.options.namespace ? { namespace: this.options.namespace } : {}),
    });
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        await this.watchOnce();
        this.failures = 0;
        this.countRestart(this.abortReason ?? 'closed');
      } catch (error) {
        if (this.stopped) break;
        const { reason, next } = afterWatchFailure(error, this.abortReason);
        this.countRestart(reason);
        if (next === 'relist') {
          this.resourceVersion = '';
          continue;
        }
        if (next === 'reconnect') continue;
        this.failures += 1;
        // Full jitter: many operators reconnecting at once must not stampede the API server.
        const delay = backoffDelayMs(this.failures, this.random);
        log.warn('watch failed; reconnecting', { error, delayMs: delay, failures: this.failures });
        await new Promise((r) => setTimeout(r, delay));
      } finally {
        this.abortReason = undefined;
        this.watching = false;
        this.attemptStarted = 0;
      }
    }
  }

  private countRestart(reason: string): void {
    if (this.stopped) return;
    this.restarts.total += 1;
    this.options.metrics?.watchRestarts.inc({ resource: this.resource.plural, reason });
  }

  private async watchOnce(): Promise<void> {
    this.abort = new AbortController();
    this.attemptStarted = Date.now();
    const timeoutSeconds = jitteredWatchTimeoutSeconds(this.options.timeoutSeconds, this.random);
    let res: IncomingMessage;
    res = await this.client.open(
      'GET',
      resourcePath(this.resource, this.options.namespace),
      {
        query: {
          watch: 1,
          allowWatchBookmarks: true,
          resourceVersion: this.resourceVersion,
          timeoutSeconds,
          labelSelector: this.options.labelSelector,
        },
      },
      this.abort.signal,
    );
    if ((res.statusCode ?? 0) !== 200) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let message = text.slice(0, 300);
      let reason = 'Unknown';
      try {
        const body = JSON.parse(text) as { message?: string; reason?: string };
        message = body.message ?? message;
        reason = body.reason ?? reason;
      } catch {}
      throw new ApiError(res.statusCode ?? 0, reason, message);
    }
    this.watching = true;
    this.connectedAt = Date.now();
    this.currentTimeoutSeconds = timeoutSeconds;
    this.attemptStarted = 0;
    this.lastActivity = Date.now();
    const lines = createInterface({ input: res, crlfDelay: Number.POSITIVE_INFINITY });
    const metrics = this.options.metrics;
    try {
      for await (const line of lines as AsyncIterable<string>) {
        if (!line) continue;
        this.lastActivity = Date.now();
        let event: {
          type: string;
          object: KubeObject & { code?: number; message?: string; reason?: string };
        };
        try {
          event = JSON.parse(line as string);
        } catch {
          continue;
        }
        metrics?.watchEvents.inc({ resource: this.resource.plural, type: event.type });
        const object = event.object;
        if (event.type === 'ERROR') {
          throw new ApiError(object.code ?? 500, object.reason ?? 'Unknown', object.message ?? 'watch error');
        }
        if (object.metadata?.resourceVersion) this.resourceVersion = String(object.metadata.resourceVersion);
        if (event.type === 'ADDED' || event.type === 'MODIFIED') this.upsert(object);
        else if (event.type === 'DELETED') this.remove(object);
        // BOOKMARK: only the resourceVersion moves on.
      }
    } catch (error) {
      if (this.abort.signal.aborted) {
        if (this.stopped) return;
        throw new Error(`watch aborted (${this.abortReason ?? 'abort'})`);
      }
      throw error;
    } finally {
      res.destroy();
    }
  }
}

/**
 * One resource watched in a set of namespaces (one Informer each) and read as one cache; with no
 * namespaces, a single cluster-wide Informer. Namespace-scoped RBAC (the chart's `watchNamespaces`)
 * allows only the per-namespace paths.
 */
export class InformerSet {
  readonly members: Informer[];
  private readonly byNamespace = new Map<string, Informer>();

  constructor(client: KubeClient, resource: Resource, namespaces: string[], options: InformerOptions) {
    if (namespaces.length === 0) {
      this.members = [new Informer(client, resource, options)];
      return;
    }
    this.members = namespaces.map((namespace) => {
      const informer = new Informer(client, resource, { ...options, namespace });
      this.byNamespace.set(namespace, informer);
      return informer;
    });
  }

  on(handler: Handler): void {
    for (const informer of this.members) informer.on(handler);
  }

  get(namespace: string, name: string): KubeObject | undefined {
    const informer = this.byNamespace.size > 0 ? this.byNamespace.get(namespace) : this.members[0];
    return informer?.get(namespace, name);
  }

  list(): KubeObject[] {
    return this.members.length === 1
      ? (this.members[0]?.list() ?? [])
      : this.members.flatMap((i) => i.list());
  }

  byIndex(key: string): KubeObject[] {
    return this.members.length === 1
      ? (this.members[0]?.byIndex(key) ?? [])
      : this.members.flatMap((i) => i.byIndex(key));
  }

  get size(): number {
    return this.members.reduce((sum, i) => sum + i.size, 0);
  }
}
