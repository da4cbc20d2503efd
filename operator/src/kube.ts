// A small Kubernetes REST client on node:https. Credentials (TLS material, bearer tokens from exec
// plugins, auth providers, token files) come from @kubernetes/client-node's KubeConfig through
// `applyToHTTPSOptions` (./kubeconfig); the requests themselves stay here because the operator only needs
// list, watch, get, create, apply, patch and delete on a fixed set of resources, and full control over
// watch streams (timeouts, staleness, abort), which the generated clients hide.

import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { KubeObject } from '@reinhardt-cloud/core';
import type { KubeConfig } from './kubeconfig';
import type { Metrics } from './metrics';

export interface Resource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export const RESOURCES = {
  Project: {
    group: 'paas.reinhardt-cloud.dev',
    version: 'v1alpha2',
    plural: 'projects',
    kind: 'Project',
    namespaced: true,
  },
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true },
  StatefulSet: {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
  },
  Job: { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true },
  Service: { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  Secret: { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true },
  ConfigMap: { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  PersistentVolumeClaim: {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
  },
  ServiceAccount: {
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
  },
  LimitRange: { group: '', version: 'v1', plural: 'limitranges', kind: 'LimitRange', namespaced: true },
  Ingress: {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    kind: 'Ingress',
    namespaced: true,
  },
  NetworkPolicy: {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  HorizontalPodAutoscaler: {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
  },
  Namespace: { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false },
  ResourceQuota: {
    group: '',
    version: 'v1',
    plural: 'resourcequotas',
    kind: 'ResourceQuota',
    namespaced: true,
  },
  // cert-manager: the namespace Issuer of preview environments (only when cert-manager is installed).
  Issuer: { group: 'cert-manager.io', version: 'v1', plural: 'issuers', kind: 'Issuer', namespaced: true },
  // AWS Controllers for Kubernetes (ACK) elasticache-controller: ElastiCache for `cache` on aws (D9).
  ReplicationGroup: {
    group: 'elasticache.services.k8s.aws',
    version: 'v1alpha1',
    plural: 'replicationgroups',
    kind: 'ReplicationGroup',
    namespaced: true,
  },
  // Google Config Connector: Memorystore for Redis for `cache` on gcp (D9).
  RedisInstance: {
    group: 'redis.cnrm.cloud.google.com',
    version: 'v1beta1',
    plural: 'redisinstances',
    kind: 'RedisInstance',
    namespaced: true,
  },
  Event: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
  Lease: { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease', namespaced: true },
} as const satisfies Record<string, Resource>;

export type Kind = keyof typeof RESOURCES;

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isStatus(error: unknown, ...codes: number[]): boolean {
  return error instanceof ApiError && codes.includes(error.code);
}

export function resourcePath(r: Resource, namespace?: string, name?: string, subresource?: string): string {
  const base = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  let path = base;
  if (r.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${r.plural}`;
  if (name) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Counted in `api_writes_total` under this kind. */
  kind?: string;
}

const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What every request needs from the credentials: a (keep-alive) agent with the TLS material, and headers. */
export interface ConnectionOptions {
  agent: http.Agent;
  headers: Record<string, string>;
  /** `user:password` (basic auth users). */
  auth?: string;
}

/**
 * Credentials are re-derived at most this often: exec plugins and token files then cost one run/read per
 * interval, not per request. A 401 drops them early (an exec token that expired, a rotated token file).
 */
const CREDENTIALS_TTL_MS = 30_000;

const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

export class KubeClient {
  private readonly server: URL;
  private connection?: { options: ConnectionOptions; at: number };
  private pending?: Promise<ConnectionOptions>;
  private tlsFingerprint?: string;
  private agent?: http.Agent;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly metrics?: Metrics,
  ) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster)
      throw new Error(`kubeconfig: current context '${kubeConfig.getCurrentContext()}' has no cluster`);
    this.server = new URL(cluster.server);
  }

  /**
   * Agent and auth headers for the next request. `KubeConfig.applyToHTTPSOptions` (async: exec plugins
   * run) yields TLS material and headers, plus a new non-keep-alive agent each call; the operator keeps one
   * keep-alive agent instead and builds a new one only when the TLS material changes (rotated client
   * certificate, exec plugin returning certificates). Behind a proxy client-node's proxy agent is used.
   */
  async connectionOptions(): Promise<ConnectionOptions> {
    const cached = this.connection;
    if (cached && Date.now() - cached.at < CREDENTIALS_TTL_MS) return cached.options;
    // Concurrent requests share one refresh (one exec plugin run, not one per request).
    this.pending ??= this.refreshConnection().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the cached credentials (after a 401) so the next request derives them again. */
  invalidateCredentials(): void {
    this.connection = undefined;
  }

  private async refreshConnection(): Promise<ConnectionOptions> {
    const opts: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const proxied = Boolean(this.kubeConfig.getCurrentCluster()?.proxyUrl);
    const fingerprint = createHash('sha256');
    for (const field of TLS_FIELDS) fingerprint.update(`${field}=${String(opts[field] ?? '')}\n`);
    const tls = fingerprint.digest('hex');
    if (!this.agent || tls !== this.tlsFingerprint) {
      const previous = this.agent;
      this.agent =
        proxied && opts.agent instanceof http.Agent
          ? opts.agent
          : this.server.protocol === 'https:'
            ? new https.Agent({
                keepAlive: true,
                maxSockets: 64,
                ca: opts.ca,
                cert: opts.cert,
                key: opts.key,
                pfx: opts.pfx,
                passphrase: opts.passphrase,
                servername: opts.servername,
                rejectUnauthorized: opts.rejectUnauthorized ?? true,
              })
            : new http.Agent({ keepAlive: true, maxSockets: 64 });
      // Connections made with the old certificate are closed; open watches reconnect with the new one.
      previous?.destroy();
    }
    this.tlsFingerprint = tls;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {}))
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    const agent = this.agent;
    if (!agent) throw new Error('no HTTP agent for the API server');
    const options: ConnectionOptions = { agent, headers };
    if (typeof opts.auth === 'string') options.auth = opts.auth;
    this.connection = { options, at: Date.now() };
    return options;
  }

  private url(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(path, this.server);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  /** Opens a request; resolves with the response (status + stream). */
  async open(
    method: string,
    path: string,
    options: RequestOptions = {},
    signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    const res = await this.send(method, path, options, signal);
    if (res.statusCode !== 401) return res;
    // Expired exec token or rotated token file: derive the credentials again and retry once (a request
    // rejected by authentication had no effect, so a write may be repeated).
    res.resume();
    this.invalidateCredentials();
    return this.send(method, path, options, signal);
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions,
    signal?: AbortSignal,
  ): Promise<http.IncomingMessage> {
    const connection = await this.connectionOptions();
    const url = this.url(path, options.query);
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...connection.headers };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        { method, headers, agent: connection.agent, auth: connection.auth, signal },
        resolve,
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  async request<T = KubeObject>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (WRITE_VERBS.has(method))
      this.metrics?.apiWrites.inc({ verb: method.toLowerCase(), kind: options.kind ?? 'unknown' });
    const res = await this.open(method, path, options, AbortSignal.timeout(30_000));
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    let reason = 'Unknown';
    let message = `${method} ${path}: HTTP ${status}`;
    try {
      const body = JSON.parse(text) as { reason?: string; message?: string };
      reason = body.reason ?? reason;
      if (body.message) message = body.message;
    } catch {
      if (text) message = `${message}: ${text.slice(0, 200)}`;
    }
    this.metrics?.apiErrors.inc({
      verb: method.toLowerCase(),
      kind: options.kind ?? 'unknown',
      code: String(status),
    });
    throw new ApiError(status, reason, message);
  }

  async list(r: Resource, options: { namespace?: string; labelSelector?: string } = {}): Promise<ListResult> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.request<{
        items: KubeObject[];
        metadata: { resourceVersion?: string; continue?: string };
      }>('GET', resourcePath(r, options.namespace), {
        query: { labelSelector: options.labelSelector, limit: 500, continue: cont },
      });
      for (const item of page.items ?? [])
        items.push({ ...item, apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind });
      cont = page.metadata.continue || undefined;
      resourceVersion = page.metadata.resourceVersion ?? '';
    } while (cont);
    return { items, resourceVersion };
  }

  async get(r: Resource, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.request('GET', resourcePath(r, namespace, name));
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  apply(r: Resource, object: KubeObject, fieldManager: string): Promise<KubeObject> {
    return this.request('PATCH', resourcePath(r, object.metadata.namespace, object.metadata.name), {
      query: { fieldManager, force: true },
      body: object,
      contentType: 'application/apply-patch+yaml',
      kind: r.kind,
    });
  }

  create(r: Resource, object: KubeObject, fieldManager: string): Promise<KubeObject> {
    return this.request('POST', resourcePath(r, object.metadata.namespace), {
      query: { fieldManager },
      body: object,
      kind: r.kind,
    });
  }

  patch(
    r: Resource,
    namespace: string,
    name: string,
    body: unknown,
    type: 'merge' | 'json',
    subresource?: string,
  ): Promise<KubeObject> {
    return this.request('PATCH', resourcePath(r, namespace, name, subresource), {
      body,
      contentType: type === 'merge' ? 'application/merge-patch+json' : 'application/json-patch+json',
      kind: r.kind,
    });
  }

  /** Deletes if present; `false` when it was already gone. */
  async delete(r: Resource, namespace: string, name: string): Promise<boolean> {
    try {
      await this.request('DELETE', resourcePath(r, namespace, name), {
        body: { propagationPolicy: 'Background' },
        kind: r.kind,
      });
      return true;
    } catch (error) {
      if (isStatus(error, 404)) return false;
      throw error;
    }
  }

  destroy(): void {
    this.agent?.destroy();
    this.connection = undefined;
  }
}
