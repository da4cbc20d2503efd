// A small Kubernetes REST client on node:https (credentials from ./kubeconfig). The operator only needs
// list, watch, get, create, apply, patch and delete on a fixed set of resources, and full control over
// watch streams (timeouts, staleness, abort), which the generated clients hide.

import http from 'node:http';
import https from 'node:https';
import type { KubeObject } from '@reinhardt-cloud/core';
import type { ClusterCredentials } from './kubeconfig';
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

export class KubeClient {
  private readonly server: URL;
  private token?: { value: string; at: number };
  private readonly agent: http.Agent;

  constructor(
    private readonly credentials: ClusterCredentials,
    private readonly metrics?: Metrics,
  ) {
    this.server = new URL(credentials.server);
    this.agent =
      this.server.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            maxSockets: 64,
            ca: credentials.ca,
            cert: credentials.cert,
            key: credentials.key,
            rejectUnauthorized: !credentials.insecureSkipTlsVerify,
          })
        : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** Auth headers; the bearer token is re-read every 30 s (service-account tokens rotate). */
  private async requestOptions(): Promise<{ headers: Record<string, string> }> {
    const read = this.credentials.token;
    if (!read) return { headers: {} };
    if (!this.token || Date.now() - this.token.at > 30_000) this.token = { value: read(), at: Date.now() };
    return { headers: { Authorization: `Bearer ${this.token.value}` } };
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
    const base = await this.requestOptions();
    const url = this.url(path, options.query);
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const headers: Record<string, string> = { Accept: 'application/json', ...base.headers };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent: this.agent, signal }, resolve);
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
    this.agent.destroy();
  }
}
