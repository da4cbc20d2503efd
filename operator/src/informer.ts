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

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const OVERDUE_GRACE_SECONDS = 5;

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
  private abortReason?: string;
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

  /**
   * Watch silent for longer than allowed (or not connected for that long), or overdue: the server closes
   * every watch after its `timeoutSeconds`, so a stream still open well past that is a dead connection
   * that nobody told us about.
   */
  isStale(now = Date.now()): boolean {
    if (this.stopped) return false;
    if (now - this.lastActivity > this.options.staleMs) return true;
    return (
      this.watching && now - this.connectedAt > (this.currentTimeoutSeconds + OVERDUE_GRACE_SECONDS) * 1000
    );
  }

  start(): void {
    this.stopped = false;
    this.loop = this.run();
    this.staleTimer = setInterval(() => {
      const now = Date.now();
      const silent = this.watching && this.isStale(now);
      // A connection attempt that hangs (frozen network) is aborted like a silent watch.
      const hung =
        !this.watching && this.attemptStarted > 0 && now - this.attemptStarted > this.options.staleMs;
      if (silent || hung) this.restart('stale');
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
    const jitter = 1 + (this.options.random ?? Math.random)() * 0.1;
    this.relistTimer = setTimeout(() => {
      this.restart('relist');
      this.scheduleRelist();
    }, this.options.resyncMs * jitter);
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
    const log = this.options.log.child({ resource: this.resource.plural });
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        await this.watchOnce();
        this.failures = 0;
        this.countRestart(this.abortReason ?? 'closed');
      } catch (error) {
        if (this.stopped) break;
        const reason =
          this.abortReason ?? (error instanceof ApiError && error.code === 410 ? 'expired' : 'error');
        this.countRestart(reason);
        if (reason === 'expired') {
          this.resourceVersion = '';
          continue;
        }
        if (this.abortReason) continue;
        this.failures += 1;
        // Exponential backoff with full jitter: many operators reconnecting at once must not stampede.
        const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.failures - 1, 10));
        const delay = Math.round((this.options.random ?? Math.random)() * ceiling);
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
    const timeoutSeconds = Math.round(
      this.options.timeoutSeconds * (1 + (this.options.random ?? Math.random)() * 0.2),
    );
    let res: IncomingMessage;
    res = await this.client.open(
      'GET',
      resourcePath(this.resource),
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
