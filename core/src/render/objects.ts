// Builders of the individual Kubernetes objects. Each takes the resolved context and returns plain JSON.

import { cloudCacheObjects } from './cache';
import { ingressRuleHost } from './checks';
import { PLATFORM_DEFAULTS, type RenderContext } from './context';
import { appEnv, type EnvVar } from './env';
import {
  API_VERSION,
  type Component,
  DATA_LABEL,
  MIGRATION_GENERATION_ANNOTATION,
  MIGRATION_RETRY_ANNOTATION,
  MIGRATION_REVISION_KEY_ANNOTATION,
  MIGRATION_REVISION_LABEL,
  selectorLabels,
  standardLabels,
} from './names';
import type { DesiredObject, KubeObject, OwnerReference } from './types';

type Json = Record<string, unknown>;

export function ownerReferences(ctx: RenderContext): OwnerReference[] | undefined {
  if (!ctx.uid) return undefined;
  return [
    {
      apiVersion: API_VERSION,
      kind: 'Project',
      name: ctx.name,
      uid: ctx.uid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

export function meta(
  ctx: RenderContext,
  name: string,
  component: Component,
  owned = true,
  extra: Json = {},
): KubeObject['metadata'] {
  const metadata: KubeObject['metadata'] = {
    name,
    namespace: ctx.namespace,
    labels: standardLabels(ctx.namespace, ctx.name, component),
    ...extra,
  };
  const refs = owned ? ownerReferences(ctx) : undefined;
  if (refs) metadata.ownerReferences = refs;
  return metadata;
}

function runtimeClass(ctx: RenderContext): string | undefined {
  const isolation = ctx.spec.isolation;
  if (!isolation) return undefined;
  if (isolation.runtime_class_override) return isolation.runtime_class_override;
  if (isolation.level === 'Sandbox') return 'gvisor';
  if (isolation.level === 'MicroVM') return 'kata-clh';
  return undefined;
}

/** Baseline hardening for every app pod; `spec.isolation` adds the restricted Pod Security profile. */
function podSecurity(ctx: RenderContext): Json {
  const base: Json = { seccompProfile: { type: 'RuntimeDefault' } };
  return ctx.isolated
    ? { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, ...base }
    : base;
}

function containerSecurity(ctx: RenderContext): Json {
  const base: Json = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  return ctx.isolated ? { ...base, readOnlyRootFilesystem: true } : base;
}

export function sanitizePluginName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9]/g, '-')
      .toLowerCase()
      .replace(/^-+|-+$/g, '') || 'plugin'
  );
}

function pluginVolumes(ctx: RenderContext): { volumes: Json[]; mounts: Json[] } {
  const plugins = ctx.spec.plugins ?? [];
  if (plugins.length === 0) return { volumes: [], mounts: [] };
  const volumes: Json[] = [
    { name: 'dentdelion-config', configMap: { name: `${ctx.name}-dentdelion-plugins` } },
  ];
  const mounts: Json[] = [{ name: 'dentdelion-config', mountPath: '/etc/dentdelion', readOnly: true }];
  for (const plugin of plugins) {
    const volume = `dentdelion-${sanitizePluginName(plugin.name)}`;
    volumes.push({ name: volume, emptyDir: {} });
    mounts.push({ name: volume, mountPath: plugin.wasm_dir.trim() });
  }
  return { volumes, mounts };
}

interface AppPodOptions {
  containers: Json[];
  initContainers?: Json[];
  volumes?: Json[];
  restartPolicy?: string;
}

function appPodSpec(ctx: RenderContext, options: AppPodOptions): Json {
  const pod: Json = {};
  const rc = runtimeClass(ctx);
  if (rc) pod.runtimeClassName = rc;
  if (ctx.spec.serviceAccount?.create)
    pod.serviceAccountName = ctx.spec.serviceAccount.name ?? `${ctx.name}-app`;
  else pod.automountServiceAccountToken = false;
  const pullSecrets = ctx.spec.imagePullSecrets ?? [];
  if (pullSecrets.length > 0) pod.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name }));
  pod.securityContext = podSecurity(ctx);
  if (options.restartPolicy) pod.restartPolicy = options.restartPolicy;
  if (options.initContainers?.length) pod.initContainers = options.initContainers;
  pod.containers = options.containers;
  if (options.volumes?.length) pod.volumes = options.volumes;
  return pod;
}

function resources(ctx: RenderContext): Json {
  const d = PLATFORM_DEFAULTS[ctx.platform];
  return { requests: { ...d.requests }, limits: { ...d.limits } };
}

/** Volumes and mounts every app container shares: plugins, and a writable /tmp when the root FS is read-only. */
function sharedVolumes(ctx: RenderContext): { volumes: Json[]; mounts: Json[] } {
  const { volumes, mounts } = pluginVolumes(ctx);
  if (ctx.isolated) {
    volumes.push({ name: 'tmp', emptyDir: {} });
    mounts.push({ name: 'tmp', mountPath: '/tmp' });
  }
  return { volumes, mounts };
}

function envFrom(ctx: RenderContext): Json[] | undefined {
  return ctx.spec.mail ? [{ secretRef: { name: `${ctx.name}-smtp-settings` } }] : undefined;
}

function appContainer(
  ctx: RenderContext,
  name: string,
  image: string,
  env: EnvVar[],
  mounts: Json[],
  extra: Json = {},
): Json {
  const container: Json = { name, image, ...extra, env };
  const from = envFrom(ctx);
  if (from) container.envFrom = from;
  if (mounts.length) container.volumeMounts = mounts;
  container.resources = resources(ctx);
  container.securityContext = containerSecurity(ctx);
  return container;
}

function pagesConfig(ctx: RenderContext) {
  const pages = ctx.spec.pages ?? {};
  return {
    staticRoot: pages.static_root ?? '/app/staticfiles',
    staticUrl: pages.static_url ?? '/static/',
    serverImage: pages.server_image ?? 'joseluisq/static-web-server:2-alpine',
    serverResources: {
      requests: pages.server_resources?.requests ?? { cpu: '10m', memory: '16Mi' },
      limits: pages.server_resources?.limits ?? { cpu: '100m', memory: '64Mi' },
    },
    compression: (pages.brotli ?? true) || (pages.gzip ?? true),
  };
}

export function webDeployment(ctx: RenderContext, image: string): KubeObject {
  const env = appEnv(ctx);
  const { volumes, mounts } = sharedVolumes(ctx);
  const main: Json = { ports: [{ name: 'http', containerPort: ctx.containerPort, protocol: 'TCP' }] };
  const health = ctx.spec.health;
  if (health) {
    const probe = {
      httpGet: { path: health.path ?? '/health', port: health.port ?? ctx.containerPort },
      periodSeconds: health.interval_seconds ?? 10,
    };
    main.readinessProbe = probe;
    main.livenessProbe = probe;
  }
  const containers: Json[] = [appContainer(ctx, ctx.name, image, env, [...mounts], main)];
  const initContainers: Json[] = [];
  if (ctx.pages) {
    const pages = pagesConfig(ctx);
    volumes.push({ name: 'static-files', emptyDir: {} });
    initContainers.push(
      appContainer(
        ctx,
        'collectstatic',
        image,
        [...env, { name: 'REINHARDT_STATIC_ROOT', value: pages.staticRoot }],
        [...mounts, { name: 'static-files', mountPath: pages.staticRoot }],
        { command: ['manage', 'collectstatic', '--no-input'] },
      ),
    );
    containers.push({
      name: 'static-server',
      image: pages.serverImage,
      ports: [{ name: 'http-static', containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'SERVER_ROOT', value: pages.staticRoot },
        { name: 'SERVER_PORT', value: '8080' },
        { name: 'SERVER_LOG_LEVEL', value: 'info' },
        { name: 'SERVER_COMPRESSION', value: String(pages.compression) },
        { name: 'SERVER_COMPRESSION_STATIC', value: String(pages.compression) },
        { name: 'SERVER_HEALTH', value: 'true' },
      ],
      volumeMounts: [{ name: 'static-files', mountPath: pages.staticRoot, readOnly: true }],
      readinessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 2, periodSeconds: 5 },
      resources: pages.serverResources,
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
  }
  const spec: Json = {};
  // D2: with an HPA the replica count belongs to the autoscaler; applying it would fight every scale event.
  if (!ctx.hpa) spec.replicas = ctx.spec.replicas ?? 1;
  spec.selector = { matchLabels: selectorLabels(ctx.name, 'web') };
  spec.template = {
    metadata: { labels: standardLabels(ctx.namespace, ctx.name, 'web') },
    spec: appPodSpec(ctx, { containers, initContainers, volumes }),
  };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(ctx, ctx.name, 'web'), spec };
}

export function webService(ctx: RenderContext): KubeObject {
  const ports: Json[] = [
    { name: 'http', port: ctx.servicePort, targetPort: ctx.containerPort, protocol: 'TCP' },
  ];
  if (ctx.pages) ports.push({ name: 'http-static', port: 8080, targetPort: 8080, protocol: 'TCP' });
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, ctx.name, 'web'),
    spec: { type: 'ClusterIP', selector: selectorLabels(ctx.name, 'web'), ports },
  };
}

export function grpcService(ctx: RenderContext): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, `${ctx.name}-grpc`, 'web'),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(ctx.name, 'web'),
      ports: [
        { name: 'grpc', port: 50051, targetPort: 50051, protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
      ],
    },
  };
}

/** Static prefix of an introspected route (`/api/users/{id}/` → `/api/users/`): Ingress paths cannot hold parameters. */
function routePrefix(path: string): string {
  const cut = path.search(/[{<:*]/);
  const prefix = cut === -1 ? path : path.slice(0, cut);
  const withSlash = prefix.startsWith('/') ? prefix : `/${prefix}`;
  return cut === -1 ? withSlash : withSlash.slice(0, withSlash.lastIndexOf('/') + 1) || '/';
}

export function ingress(ctx: RenderContext): KubeObject | undefined {
  const host = ingressRuleHost(ctx);
  const routes = ctx.spec.introspect?.routes ?? [];
  const signal = ctx.spec.introspect?.features?.infrastructure_signals;
  let paths: string[];
  if (host) paths = ['/'];
  else if (routes.length > 0) paths = [...new Set(routes.map((r) => routePrefix(r.path ?? '/')))];
  else return undefined;
  if (signal?.graphql && !paths.includes('/graphql/')) paths.push('/graphql/');
  if (signal?.admin_panel && !paths.includes('/admin/')) paths.push('/admin/');
  const backend = (port: number) => ({ service: { name: ctx.name, port: { number: port } } });
  // D1: the backend is the Service port, not the container port.
  const entries: Json[] = paths.map((path) => ({
    path,
    pathType: 'Prefix',
    backend: backend(ctx.servicePort),
  }));
  if (ctx.pages) {
    const { staticUrl } = pagesConfig(ctx);
    if (!paths.includes(staticUrl)) {
      const entry = { path: staticUrl, pathType: 'Prefix', backend: backend(8080) };
      const root = paths.indexOf('/');
      if (root === -1) entries.push(entry);
      else entries.splice(root, 0, entry);
    }
  }
  const annotations: Record<string, string> = {};
  if (signal?.websocket) {
    annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'] = '3600';
    annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'] = '3600';
    annotations['nginx.ingress.kubernetes.io/upstream-hash-by'] = '$remote_addr';
  }
  if (signal?.grpc) annotations['nginx.ingress.kubernetes.io/backend-protocol'] = 'GRPC';
  if (ctx.pages) annotations['nginx.ingress.kubernetes.io/proxy-buffering'] = 'on';
  const tls = ctx.spec.services?.tls;
  if (tls?.enabled && tls.issuer) annotations['cert-manager.io/issuer'] = tls.issuer;
  const rule: Json = { http: { paths: entries } };
  if (host) rule.host = host;
  const spec: Json = { ingressClassName: ctx.ingressClassName, rules: [rule] };
  if (tls?.enabled && tls.secret_name && host) spec.tls = [{ hosts: [host], secretName: tls.secret_name }];
  const extra = Object.keys(annotations).length ? { annotations } : {};
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(ctx, ctx.name, 'ingress', true, extra),
    spec,
  };
}

export function autoscaler(ctx: RenderContext): KubeObject | undefined {
  const hpa = ctx.hpa;
  if (!hpa) return undefined;
  const target =
    hpa.metric === 'Cpu'
      ? { type: 'Utilization', averageUtilization: hpa.target }
      : { type: 'AverageValue', averageValue: `${hpa.target}Mi` };
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(ctx, ctx.name, 'web'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: ctx.name },
      minReplicas: hpa.min,
      maxReplicas: hpa.max,
      metrics: [{ type: 'Resource', resource: { name: hpa.metric === 'Cpu' ? 'cpu' : 'memory', target } }],
    },
  };
}

/** Data the deletion policy decides about: no owner reference, never pruned, deleted only by `deletion_policy: delete`. */
function markRetainable(desired: DesiredObject): void {
  desired.retainable = true;
  desired.object.metadata.labels = { ...desired.object.metadata.labels, [DATA_LABEL]: 'true' };
}

export function generatedSecret(
  ctx: RenderContext,
  name: string,
  component: Component,
  stringData: Record<string, string>,
  generate: Record<string, number>,
  retainable: boolean,
): DesiredObject {
  const object: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(ctx, name, component, !retainable),
    type: 'Opaque',
  };
  if (Object.keys(stringData).length) object.stringData = stringData;
  const desired: DesiredObject = { object, mode: 'create-if-absent', generate };
  if (retainable) markRetainable(desired);
  return desired;
}

export function coreSecrets(ctx: RenderContext): DesiredObject[] {
  const out = [generatedSecret(ctx, `${ctx.name}-core-secret-key`, 'web', {}, { 'secret-key': 64 }, true)];
  if (ctx.spec.auth?.jwt)
    out.push(generatedSecret(ctx, `${ctx.name}-jwt-secret`, 'web', {}, { 'jwt-secret': 64 }, true));
  return out;
}

/**
 * With `spec.isolation` the namespace may enforce the `restricted` Pod Security Standard (./namespace), so
 * the database pod must pass it too: the official postgres and mysql images run as their uid 999 user, and
 * fsGroup makes the volume writable for it (PGDATA is a subdirectory, so initdb can create it).
 */
function databasePodSecurity(ctx: RenderContext): Json {
  const base: Json = { seccompProfile: { type: 'RuntimeDefault' } };
  return ctx.isolated ? { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, ...base } : base;
}

export function databaseObjects(ctx: RenderContext): DesiredObject[] {
  const db = ctx.database;
  if (!db || db.engine === 'sqlite') return [];
  const isMysql = db.engine === 'mysql';
  const generate: Record<string, number> = { password: 24 };
  if (isMysql) generate['root-password'] = 24;
  // Credentials and the PVC carry no owner reference: `deletion_policy` decides their fate, not the GC.
  const secret = generatedSecret(
    ctx,
    db.secretName,
    'database',
    { username: db.user, database: db.database },
    generate,
    true,
  );
  const pvcName = `${ctx.name}-db-data`;
  const pvc: DesiredObject = {
    object: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta(ctx, pvcName, 'database', false),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${db.storageGb}Gi` } } },
    },
    mode: 'apply',
  };
  markRetainable(pvc);
  const fromSecret = (name: string, key: string) => ({
    name,
    valueFrom: { secretKeyRef: { name: db.secretName, key } },
  });
  const env = isMysql
    ? [
        fromSecret('MYSQL_USER', 'username'),
        fromSecret('MYSQL_PASSWORD', 'password'),
        fromSecret('MYSQL_DATABASE', 'database'),
        fromSecret('MYSQL_ROOT_PASSWORD', 'root-password'),
      ]
    : [
        fromSecret('POSTGRES_USER', 'username'),
        fromSecret('POSTGRES_PASSWORD', 'password'),
        fromSecret('POSTGRES_DB', 'database'),
        { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      ];
  const portName = isMysql ? 'mysql' : 'postgres';
  const statefulSet: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(ctx, db.host, 'database'),
    spec: {
      replicas: 1,
      serviceName: db.host,
      // D5: component in the selector, so the database never selects web pods.
      selector: { matchLabels: selectorLabels(ctx.name, 'database') },
      template: {
        metadata: { labels: standardLabels(ctx.namespace, ctx.name, 'database') },
        spec: {
          automountServiceAccountToken: false,
          securityContext: databasePodSecurity(ctx),
          containers: [
            {
              name: isMysql ? 'mysql' : 'postgres',
              image: isMysql ? `mysql:${db.version}` : `postgres:${db.version}`,
              ports: [{ name: portName, containerPort: db.port, protocol: 'TCP' }],
              env,
              volumeMounts: [
                { name: 'data', mountPath: isMysql ? '/var/lib/mysql' : '/var/lib/postgresql/data' },
              ],
              securityContext: ctx.isolated
                ? { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }
                : { allowPrivilegeEscalation: false },
            },
          ],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: pvcName } }],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, db.host, 'database'),
    spec: {
      clusterIP: 'None',
      selector: selectorLabels(ctx.name, 'database'),
      ports: [{ name: portName, port: db.port, targetPort: db.port, protocol: 'TCP' }],
    },
  };
  return [secret, pvc, { object: statefulSet, mode: 'apply' }, { object: service, mode: 'apply' }];
}

export function redisObjects(ctx: RenderContext): DesiredObject[] {
  if (!ctx.redis) return [];
  // ElastiCache / Memorystore through the cloud providers' controllers (D9).
  if (ctx.redis.provider !== 'in-cluster') return cloudCacheObjects(ctx);
  const name = `${ctx.name}-redis`;
  const secret = generatedSecret(ctx, `${ctx.name}-redis-credentials`, 'cache', {}, { password: 32 }, false);
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ctx, name, 'cache'),
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels(ctx.name, 'cache') },
      template: {
        metadata: { labels: standardLabels(ctx.namespace, ctx.name, 'cache') },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 999,
            runAsGroup: 999,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'redis',
              image: 'redis:7-alpine',
              args: ['redis-server', '--requirepass', '$(REINHARDT_CLOUD_REDIS_PASSWORD)'],
              env: [
                {
                  name: 'REINHARDT_CLOUD_REDIS_PASSWORD',
                  valueFrom: { secretKeyRef: { name: `${ctx.name}-redis-credentials`, key: 'password' } },
                },
              ],
              ports: [{ name: 'redis', containerPort: 6379, protocol: 'TCP' }],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, name, 'cache'),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(ctx.name, 'cache'),
      ports: [{ name: 'redis', port: 6379, targetPort: 6379, protocol: 'TCP' }],
    },
  };
  return [secret, { object: deployment, mode: 'apply' }, { object: service, mode: 'apply' }];
}

export function workerDeployment(ctx: RenderContext, image: string): KubeObject {
  const worker = ctx.spec.worker;
  // D6: the worker gets the app env, the managed variables, its concurrency and the service account.
  const extra: EnvVar[] = worker?.concurrency
    ? [{ name: 'REINHARDT_TASKS_WORKER__CONCURRENCY', value: String(worker.concurrency) }]
    : [];
  const { volumes, mounts } = sharedVolumes(ctx);
  const container = appContainer(ctx, 'worker', image, appEnv(ctx, extra), mounts, {
    command: worker?.command ?? ['manage', 'run_worker'],
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ctx, `${ctx.name}-worker`, 'worker'),
    spec: {
      replicas: 1,
      selector: { matchLabels: selectorLabels(ctx.name, 'worker') },
      template: {
        metadata: { labels: standardLabels(ctx.namespace, ctx.name, 'worker') },
        spec: appPodSpec(ctx, { containers: [container], volumes }),
      },
    },
  };
}

export function mailSettings(ctx: RenderContext): KubeObject | undefined {
  const mail = ctx.spec.mail;
  if (!mail) return undefined;
  const stringData: Record<string, string> = { REINHARDT_EMAIL__BACKEND: 'smtp' };
  if (mail.smtp_host) stringData.REINHARDT_EMAIL__HOST = mail.smtp_host;
  stringData.REINHARDT_EMAIL__PORT = String(mail.smtp_port ?? 587);
  stringData.REINHARDT_EMAIL__USE_TLS = 'true';
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(ctx, `${ctx.name}-smtp-settings`, 'web'),
    type: 'Opaque',
    stringData,
  };
}

export function serviceAccount(ctx: RenderContext): KubeObject | undefined {
  const sa = ctx.spec.serviceAccount;
  if (!sa?.create) return undefined;
  const annotations =
    sa.annotations && Object.keys(sa.annotations).length ? { annotations: sa.annotations } : {};
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(ctx, sa.name ?? `${ctx.name}-app`, 'web', true, annotations),
  };
}

const PLUGIN_TYPES: Record<string, string> = {
  HttpMiddleware: 'http-middleware',
  GrpcInterceptor: 'grpc-interceptor',
  EventHandler: 'event-handler',
};
const PLUGIN_CAPABILITIES: Record<string, string> = {
  NetworkAccess: 'network',
  FilesystemRead: 'fs-read',
  FilesystemWrite: 'fs-write',
  EnvAccess: 'env',
};

function tomlString(value: string): string {
  return JSON.stringify(value);
}

export function pluginConfigMap(ctx: RenderContext): KubeObject | undefined {
  const plugins = ctx.spec.plugins ?? [];
  if (plugins.length === 0) return undefined;
  const blocks = plugins.map((p) => {
    const lines = [
      '[[plugins]]',
      `name = ${tomlString(p.name)}`,
      `type = ${tomlString(PLUGIN_TYPES[p.plugin_type] ?? p.plugin_type)}`,
      `wasm_dir = ${tomlString(p.wasm_dir.trim())}`,
    ];
    if (p.memory_limit_mb != null) lines.push(`memory_limit_mb = ${p.memory_limit_mb}`);
    if (p.timeout_ms != null) lines.push(`timeout_ms = ${p.timeout_ms}`);
    lines.push(
      `capabilities = [${(p.capabilities ?? []).map((c) => tomlString(PLUGIN_CAPABILITIES[c] ?? c)).join(', ')}]`,
    );
    return lines.join('\n');
  });
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(ctx, `${ctx.name}-dentdelion-plugins`, 'plugins'),
    data: { 'dentdelion.toml': `${blocks.join('\n\n')}\n` },
  };
}

export function localesConfigMap(ctx: RenderContext): KubeObject | undefined {
  if (!ctx.spec.introspect?.features?.infrastructure_signals?.i18n) return undefined;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ctx, `${ctx.name}-locales`, 'web') };
}

export function isolationObjects(ctx: RenderContext): KubeObject[] {
  const isolation = ctx.spec.isolation;
  if (!isolation) return [];
  const network = isolation.network;
  const podSelector = { matchLabels: { 'app.kubernetes.io/name': ctx.name } };
  const dnsPeers: Json[] = [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
    ...(network?.dns_allow_cidrs ?? []).map((cidr) => ({ ipBlock: { cidr } })),
  ];
  const dnsPorts = [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ];
  const egress: Json[] = [{ to: dnsPeers, ports: dnsPorts }];
  if (network?.allow_egress ?? true) {
    const cidrs = network?.egress_allow_cidrs?.length ? network.egress_allow_cidrs : ['0.0.0.0/0'];
    const blockMetadata = network?.block_metadata_service ?? true;
    egress.push({
      to: cidrs.map((cidr) => ({
        ipBlock: blockMetadata ? { cidr, except: ['169.254.169.254/32'] } : { cidr },
      })),
    });
  }
  const policy = (suffix: string, spec: Json): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(ctx, `${ctx.name}-${suffix}`, 'isolation'),
    spec: { podSelector, ...spec },
  });
  const d = PLATFORM_DEFAULTS[ctx.platform];
  return [
    policy('deny-all', { policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-ingress', {
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { 'app.kubernetes.io/name': ctx.name } } },
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': ctx.ingressControllerNamespace },
              },
            },
          ],
        },
      ],
    }),
    policy('allow-egress', { policyTypes: ['Egress'], egress }),
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(ctx, `${ctx.name}-limits`, 'isolation'),
      spec: { limits: [{ type: 'Container', default: { ...d.limits }, defaultRequest: { ...d.requests } }] },
    },
  ];
}

export function migrationJob(
  ctx: RenderContext,
  jobName: string,
  revision: string,
  revisionKey: string,
): KubeObject {
  const { volumes, mounts } = sharedVolumes(ctx);
  const annotations: Record<string, string> = {
    [MIGRATION_REVISION_KEY_ANNOTATION]: revisionKey,
    [MIGRATION_GENERATION_ANNOTATION]: String(ctx.generation),
  };
  const retry = ctx.annotations[MIGRATION_RETRY_ANNOTATION];
  if (retry) annotations[MIGRATION_RETRY_ANNOTATION] = retry;
  const labels = {
    ...standardLabels(ctx.namespace, ctx.name, 'migration'),
    [MIGRATION_REVISION_LABEL]: revision,
  };
  const metadata = meta(ctx, jobName, 'migration', true, { annotations });
  metadata.labels = labels;
  const container = appContainer(ctx, 'migrate', ctx.spec.image, appEnv(ctx), mounts, {
    command: ['manage', 'migrate'],
  });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: 2,
      activeDeadlineSeconds: ctx.migrationDeadlineSeconds,
      template: {
        metadata: { labels, annotations: { [MIGRATION_REVISION_KEY_ANNOTATION]: revisionKey } },
        spec: appPodSpec(ctx, { containers: [container], volumes, restartPolicy: 'Never' }),
      },
    },
  };
}
