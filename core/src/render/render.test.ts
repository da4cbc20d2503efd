import { describe, expect, it } from 'vitest';
import { type ProjectSpecInput, projectSpecSchema } from '../crd/schema';
import { goldenYaml } from './golden-yaml';
import {
  fnv1a64,
  MIGRATION_GENERATION_ANNOTATION,
  MIGRATION_RETRY_ANNOTATION,
  migrationJobName,
} from './names';
import { render } from './render';
import type { DesiredObject, KubeObject, Observed, RenderConfig, RenderProject, RenderResult } from './types';

const UID = '6a0c3a52-5d0e-4c43-9f3e-0c4cbb1d7a10';
const SUFFIXES: RenderConfig = { ingressHostSuffixes: ['apps.example.com'] };

function project(spec: ProjectSpecInput, meta: Partial<RenderProject['metadata']> = {}): RenderProject {
  return {
    metadata: { name: 'shop', namespace: 'team-a', uid: UID, generation: 1, ...meta },
    spec: projectSpecSchema.parse(spec),
  };
}

function golden(result: RenderResult): string {
  return goldenYaml(result, { migration: result.migration });
}

function find(result: RenderResult, kind: string, name: string): KubeObject {
  const found = result.objects.find((d) => d.object.kind === kind && d.object.metadata.name === name);
  if (!found)
    throw new Error(
      `${kind}/${name} not rendered; have ${result.objects.map((d) => `${d.object.kind}/${d.object.metadata.name}`).join(', ')}`,
    );
  return found.object;
}

function desired(result: RenderResult, kind: string, name: string): DesiredObject | undefined {
  return result.objects.find((d) => d.object.kind === kind && d.object.metadata.name === name);
}

// Minimal shapes of what the operator observes, so that tests read like cluster states.
function deployment(
  name: string,
  container: string,
  image: string,
  ready: number,
  generation = 1,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, generation },
    spec: { template: { spec: { containers: [{ name: container, image }] } } },
    status: {
      observedGeneration: generation,
      replicas: ready,
      updatedReplicas: ready,
      readyReplicas: ready,
      availableReplicas: ready,
    },
  };
}

function job(
  name: string,
  state: 'running' | 'succeeded' | 'failed',
  annotations: Record<string, string> = {},
): KubeObject {
  const status =
    state === 'succeeded'
      ? { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }
      : state === 'failed'
        ? {
            failed: 3,
            conditions: [
              {
                type: 'Failed',
                status: 'True',
                reason: 'BackoffLimitExceeded',
                message: 'Job has reached the specified backoff limit',
              },
            ],
          }
        : { active: 1 };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, annotations: { [MIGRATION_GENERATION_ANNOTATION]: '1', ...annotations } },
    status,
  };
}

function env(object: KubeObject, container: string): { name: string; value?: string; valueFrom?: unknown }[] {
  const spec = object.spec as { template: { spec: { containers: { name: string; env: never[] }[] } } };
  const found = spec.template.spec.containers.find((c) => c.name === container);
  if (!found) throw new Error(`container ${container} missing`);
  return found.env;
}

const migrationJob = (image: string) => migrationJobName('shop', fnv1a64(`image=${image};version=unknown`));

const FULL_WEB: ProjectSpecInput = {
  image: 'ghcr.io/acme/shop:1.4.0',
  replicas: 2,
  health: { path: '/api/healthz/', port: 8000, interval_seconds: 15 },
  services: {
    port: 8080,
    target_port: 9000,
    ingress_host: 'shop.apps.example.com',
    tls: { enabled: true, secret_name: 'shop-tls', issuer: 'letsencrypt-ns' },
  },
  env: { LOG_LEVEL: 'debug', STRIPE_KEY: 'secretRef:shop-secrets/stripe', REINHARDT_ENV: 'staging' },
  imagePullSecrets: [{ name: 'shop-ghcr' }],
  serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/shop' } },
  auth: { jwt: true, oauth: { provider: 'github' } },
  features: ['database', 'auth'],
  deletion_policy: 'delete',
  storage: { backend: 's3', bucket: 'shop-media' },
  infrastructure: { buckets: [{ name: 'shop-media' }] },
  source: { repository: 'https://github.com/acme/shop' },
  tenant: { organization: 'acme', team: 'a' },
};

describe('render golden files', () => {
  const cases: [string, RenderProject, Observed, RenderConfig][] = [
    ['minimal', project({ image: 'nginx:1.27' }), {}, {}],
    ['full-web', project(FULL_WEB, { namespace: 'tenant-acme-a' }), {}, SUFFIXES],
    [
      'postgresql-first-deploy',
      project({ image: 'shop:2', database: { engine: 'postgresql', storage_gb: 5, version: '15' } }),
      {},
      {},
    ],
    [
      'postgresql-migrated-ready',
      project({ image: 'shop:2', database: { engine: 'postgresql' } }),
      {
        objects: {
          [`Job/${migrationJob('shop:2')}`]: job(migrationJob('shop:2'), 'succeeded'),
          'Deployment/shop': deployment('shop', 'shop', 'shop:2', 1),
          'StatefulSet/shop-db': {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            metadata: { name: 'shop-db', generation: 1 },
            status: { observedGeneration: 1, readyReplicas: 1 },
          },
        },
      },
      {},
    ],
    [
      'mysql-aws',
      project({
        image: 'shop:2',
        database: { engine: 'mysql', version: '8.4', instance_class: 'db.t3.small' },
      }),
      {},
      { platform: 'aws' },
    ],
    ['sqlite', project({ image: 'shop:2', database: { engine: 'sqlite' } }), {}, {}],
    [
      'cache-worker-mail',
      project({
        image: 'shop:3',
        cache: { backend: 'redis', instance_type: 'cache.t3.micro' },
        worker: { concurrency: 8, command: ['manage', 'run_worker', '--queue', 'default'] },
        mail: { smtp_host: 'smtp.example.com', smtp_port: 2525, credentials_secret: 'shop-smtp' },
        serviceAccount: { create: true, name: 'shop-runner' },
      }),
      {},
      {},
    ],
    [
      'scale-cpu',
      project({ image: 'shop:1', replicas: 3, scale: { max_replicas: 10, target_value: 60 } }),
      {},
      {},
    ],
    [
      'scale-memory',
      project({ image: 'shop:1', scale: { min_replicas: 2, metric: 'Memory', target_value: 256 } }),
      {},
      {},
    ],
    [
      'scale-rps',
      project({ image: 'shop:1', replicas: 2, scale: { metric: 'Rps', target_value: 100 } }),
      {},
      {},
    ],
    [
      'pages',
      project({
        image: 'shop:1',
        services: { ingress_host: 'shop.apps.example.com' },
        pages: {
          static_root: '/srv/static',
          static_url: '/assets/',
          server_image: 'ghcr.io/acme/static:1',
          cache_max_age: 600,
          brotli: false,
          gzip: false,
          server_resources: { requests: { cpu: '5m' } },
        },
      }),
      {},
      SUFFIXES,
    ],
    [
      'isolation',
      project({
        image: 'shop:1',
        isolation: {
          level: 'Sandbox',
          network: {
            allow_egress: true,
            block_metadata_service: true,
            egress_allow_cidrs: ['10.0.0.0/8'],
            dns_allow_cidrs: ['1.1.1.1/32'],
          },
        },
      }),
      {},
      {},
    ],
    [
      'isolation-microvm-override',
      project({
        image: 'shop:1',
        isolation: {
          level: 'MicroVM',
          runtime_class_override: 'kata-qemu',
          network: { allow_egress: false },
        },
      }),
      {},
      {},
    ],
    [
      'plugins',
      project({
        image: 'shop:1',
        plugins: [
          {
            name: 'Rate.Limit',
            wasm_dir: '/var/lib/dentdelion/rate',
            plugin_type: 'HttpMiddleware',
            memory_limit_mb: 64,
            timeout_ms: 50,
            capabilities: ['NetworkAccess', 'EnvAccess'],
          },
          { name: 'audit', wasm_dir: '/var/lib/dentdelion/audit', plugin_type: 'EventHandler' },
        ],
      }),
      {},
      {},
    ],
    [
      'introspect',
      project({
        image: 'shop:1',
        introspect: {
          app: { name: 'shop', version: '0.9.0' },
          routes: [{ path: '/api/users/{id}/' }, { path: '/api/orders/' }, { path: '/' }],
          settings: { server: { default_port: 3000 } },
          features: {
            infrastructure_signals: {
              database: 'postgres',
              cache: 'redis',
              websocket: true,
              background_worker: true,
              grpc: true,
              graphql: true,
              admin_panel: true,
              i18n: true,
              session_backend: 'redis',
            },
          },
        },
      }),
      {},
      {},
    ],
    [
      'tls-ready-hpa-active',
      project({
        image: 'shop:1',
        services: { ingress_host: 'shop.apps.example.com', tls: { enabled: true, secret_name: 'shop-tls' } },
        scale: {},
      }),
      {
        objects: {
          'Deployment/shop': deployment('shop', 'shop', 'shop:1', 1),
          'Ingress/shop': {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: { name: 'shop' },
            spec: { tls: [{ hosts: ['shop.apps.example.com'], secretName: 'shop-tls' }] },
            status: { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
          },
          'HorizontalPodAutoscaler/shop': {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            metadata: { name: 'shop', generation: 1 },
            status: {
              observedGeneration: 1,
              conditions: [
                { type: 'AbleToScale', status: 'True' },
                { type: 'ScalingActive', status: 'True' },
              ],
            },
          },
        },
        secretNames: ['shop-tls'],
      },
      SUFFIXES,
    ],
    [
      'invalid',
      project({
        image: 'shop:1',
        services: {
          ingress_host: 'shop.evil.test',
          tls: { enabled: true, secret_name: 'x', cluster_issuer: 'letsencrypt' },
        },
        imagePullSecrets: [{ name: 'other-registry' }],
        env: { TOKEN: 'secretRef:other-app-secrets/token' },
      }),
      {},
      SUFFIXES,
    ],
  ];
  for (const [name, input, observed, config] of cases) {
    it(name, async () => {
      const result = render(input, observed, config);
      await expect(golden(result)).toMatchFileSnapshot(`./__golden__/${name}.yaml`);
    });
  }

  it('is deterministic', () => {
    const input = project(FULL_WEB, { namespace: 'tenant-acme-a' });
    expect(golden(render(input, {}, SUFFIXES))).toBe(golden(render(structuredClone(input), {}, SUFFIXES)));
  });
});

describe('defect fixes', () => {
  it('D1: the Ingress backend is the Service port, not the container port', () => {
    const result = render(
      project({ image: 'a:1', services: { ingress_host: 'shop.apps.example.com' } }),
      {},
      SUFFIXES,
    );
    const ingress = find(result, 'Ingress', 'shop') as {
      spec: { rules: { http: { paths: { backend: { service: { port: { number: number } } } }[] } }[] };
    } & KubeObject;
    const service = find(result, 'Service', 'shop') as {
      spec: { ports: { port: number; targetPort: number }[] };
    } & KubeObject;
    expect(service.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8000 });
    expect(ingress.spec.rules[0]?.http.paths[0]?.backend.service.port.number).toBe(80);
  });

  it('D2: no replicas on the Deployment when an HPA manages it; replicas back when the HPA goes', () => {
    const withHpa = render(project({ image: 'a:1', replicas: 3, scale: { metric: 'Cpu' } }));
    expect((find(withHpa, 'Deployment', 'shop').spec as Record<string, unknown>).replicas).toBeUndefined();
    expect(find(withHpa, 'HorizontalPodAutoscaler', 'shop').spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 6,
    });
    const without = render(project({ image: 'a:1', replicas: 3 }));
    expect((find(without, 'Deployment', 'shop').spec as Record<string, unknown>).replicas).toBe(3);
    expect(desired(without, 'HorizontalPodAutoscaler', 'shop')).toBeUndefined();
  });

  it('D3/D4: the database name the app reads is the one the server creates; engine honoured; no init.sql', () => {
    for (const engine of ['postgresql', 'mysql'] as const) {
      const result = render(project({ image: 'a:1', database: { engine } }));
      const secret = desired(result, 'Secret', 'shop-db-credentials');
      expect(secret?.mode).toBe('create-if-absent');
      expect(secret?.object.stringData).toEqual({ username: 'shop', database: 'shop_db' });
      expect(result.objects.some((d) => d.object.kind === 'ConfigMap')).toBe(false);
      const sts = find(result, 'StatefulSet', 'shop-db');
      const image =
        (sts.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
          ?.image ?? '';
      expect(image.startsWith(engine === 'mysql' ? 'mysql:' : 'postgres:')).toBe(true);
      const job = result.objects.find((d) => d.object.kind === 'Job');
      if (!job) throw new Error('migration Job missing');
      const appEnv = env(job.object, 'migrate');
      expect(appEnv.find((e) => e.name === 'REINHARDT_DATABASE_NAME')?.value).toBe('shop_db');
      expect(appEnv.find((e) => e.name === 'DATABASE_URL')?.value).toContain(
        engine === 'mysql' ? 'mysql://shop:' : 'postgres://shop:',
      );
    }
  });

  it('D4: credentials are generated by the operator once, never in render (no password in the output)', () => {
    const text = JSON.stringify(
      render(project({ image: 'a:1', database: { engine: 'postgresql' }, cache: {} })).objects,
    );
    expect(text).not.toMatch(/"password":"/);
  });

  it('D5: the database selector cannot match web pods', () => {
    const result = render(project({ image: 'a:1', database: { engine: 'postgresql' } }), {
      objects: { [`Job/${migrationJob('a:1')}`]: job(migrationJob('a:1'), 'succeeded') },
    });
    const selector = (
      find(result, 'StatefulSet', 'shop-db').spec as { selector: { matchLabels: Record<string, string> } }
    ).selector.matchLabels;
    const webLabels = (
      find(result, 'Deployment', 'shop').spec as {
        template: { metadata: { labels: Record<string, string> } };
      }
    ).template.metadata.labels;
    const matchesWeb = Object.entries(selector).every(([k, v]) => webLabels[k] === v);
    expect(matchesWeb).toBe(false);
  });

  it('D6: the worker gets concurrency, the app env, managed variables and the service account', () => {
    const result = render(
      project({
        image: 'a:1',
        worker: { concurrency: 4 },
        env: { FOO: 'bar' },
        cache: {},
        serviceAccount: { create: true },
      }),
    );
    const worker = find(result, 'Deployment', 'shop-worker');
    const vars = env(worker, 'worker').map((e) => e.name);
    expect(vars).toEqual(
      expect.arrayContaining([
        'FOO',
        'REINHARDT_TASKS_WORKER__CONCURRENCY',
        'REINHARDT_CLOUD_REDIS_URL',
        'REINHARDT_CORE__SECRET_KEY',
      ]),
    );
    expect(
      (worker.spec as { template: { spec: { serviceAccountName: string } } }).template.spec
        .serviceAccountName,
    ).toBe('shop-app');
  });

  it('D7: SMTP settings reach the workload from a Secret', () => {
    const result = render(
      project({
        image: 'a:1',
        mail: { smtp_host: 'smtp.example.com', smtp_port: 465, credentials_secret: 'shop-smtp' },
      }),
    );
    expect(find(result, 'Secret', 'shop-smtp-settings').stringData).toMatchObject({
      REINHARDT_EMAIL__HOST: 'smtp.example.com',
      REINHARDT_EMAIL__PORT: '465',
    });
    const web = find(result, 'Deployment', 'shop') as {
      spec: { template: { spec: { containers: { envFrom: unknown }[] } } };
    } & KubeObject;
    expect(web.spec.template.spec.containers[0]?.envFrom).toEqual([
      { secretRef: { name: 'shop-smtp-settings' } },
    ]);
    expect(env(web, 'shop').find((e) => e.name === 'REINHARDT_EMAIL__PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: 'shop-smtp', key: 'password' },
    });
  });

  it('D10: DatabaseReady/CacheReady/WorkerReady/IngressReady come from the children', () => {
    const spec: ProjectSpecInput = {
      image: 'a:1',
      database: { engine: 'postgresql' },
      cache: {},
      worker: {},
      services: { ingress_host: 'shop.apps.example.com' },
    };
    const before = render(project(spec), {}, SUFFIXES);
    const status = (type: string, r: RenderResult) => r.conditions.find((c) => c.type === type)?.status;
    for (const type of ['DatabaseReady', 'CacheReady', 'WorkerReady', 'IngressReady', 'Ready'])
      expect(status(type, before)).toBe('False');
    expect(before.database?.phase).toBe('provisioning');
    const after = render(
      project(spec),
      {
        objects: {
          [`Job/${migrationJob('a:1')}`]: job(migrationJob('a:1'), 'succeeded'),
          'StatefulSet/shop-db': {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            metadata: { name: 'shop-db', generation: 2 },
            status: { observedGeneration: 2, readyReplicas: 1 },
          },
          'Deployment/shop-redis': deployment('shop-redis', 'redis', 'redis:7-alpine', 1),
          'Deployment/shop-worker': deployment('shop-worker', 'worker', 'a:1', 1),
          'Deployment/shop': deployment('shop', 'shop', 'a:1', 1),
          'Ingress/shop': { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'shop' } },
        },
      },
      SUFFIXES,
    );
    for (const type of [
      'DatabaseReady',
      'CacheReady',
      'WorkerReady',
      'IngressReady',
      'Ready',
      'MigrationReady',
    ])
      expect(status(type, after)).toBe('True');
    expect(after.phase).toBe('running');
    expect(after.database?.phase).toBe('ready');
  });

  it('D12: a failed migration keeps the old version serving and is retried on spec change or request', () => {
    const spec: ProjectSpecInput = { image: 'a:2', database: { engine: 'postgresql' } };
    const failedJob = job(migrationJob('a:2'), 'failed');
    const observed: Observed = {
      objects: {
        [`Job/${migrationJob('a:2')}`]: failedJob,
        'Deployment/shop': deployment('shop', 'shop', 'a:1', 1),
      },
    };
    const failed = render(project(spec), observed);
    expect(failed.migration.state).toBe('Failed');
    expect(failed.conditions.find((c) => c.type === 'MigrationReady')).toMatchObject({
      status: 'False',
      reason: 'MigrationFailed',
    });
    expect(failed.conditions.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'MigrationFailed',
    });
    expect(failed.phase).toBe('degraded');
    expect(env(find(failed, 'Deployment', 'shop'), 'shop')).toBeDefined();
    const image = (
      find(failed, 'Deployment', 'shop').spec as { template: { spec: { containers: { image: string }[] } } }
    ).template.spec.containers[0]?.image;
    expect(image).toBe('a:1');
    expect(failed.migration.retry).toBe(false);
    expect(render(project(spec, { generation: 2 }), observed).migration).toMatchObject({
      retry: true,
      state: 'Pending',
    });
    expect(
      render(project(spec, { annotations: { [MIGRATION_RETRY_ANNOTATION]: 'now' } }), observed).migration
        .retry,
    ).toBe(true);
    const retriedJob = job(migrationJob('a:2'), 'failed', { [MIGRATION_RETRY_ANNOTATION]: 'now' });
    expect(
      render(project(spec, { annotations: { [MIGRATION_RETRY_ANNOTATION]: 'now' } }), {
        objects: { ...observed.objects, [`Job/${migrationJob('a:2')}`]: retriedJob },
      }).migration.retry,
    ).toBe(false);
  });

  it('a new image is not rolled out while its migration runs; the first deploy waits for it', () => {
    const spec: ProjectSpecInput = { image: 'a:2', database: { engine: 'postgresql' }, worker: {} };
    const first = render(project(spec));
    expect(desired(first, 'Deployment', 'shop')).toBeUndefined();
    expect(desired(first, 'Deployment', 'shop-worker')).toBeUndefined();
    expect(desired(first, 'Job', migrationJob('a:2'))?.mode).toBe('create-if-absent');
    const upgrade = render(project(spec), {
      objects: {
        [`Job/${migrationJob('a:2')}`]: job(migrationJob('a:2'), 'running'),
        'Deployment/shop': deployment('shop', 'shop', 'a:1', 1),
        'Deployment/shop-worker': deployment('shop-worker', 'worker', 'a:1', 1),
      },
    });
    const imageOf = (o: KubeObject) =>
      (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]
        ?.image;
    expect(imageOf(find(upgrade, 'Deployment', 'shop'))).toBe('a:1');
    expect(imageOf(find(upgrade, 'Deployment', 'shop-worker'))).toBe('a:1');
    expect(upgrade.conditions.find((c) => c.type === 'MigrationReady')?.reason).toBe('MigrationRunning');
  });

  it('D14: the ingress class comes from configuration', () => {
    const result = render(
      project({ image: 'a:1', services: { ingress_host: 'shop.apps.example.com' } }),
      {},
      { ...SUFFIXES, ingressClassName: 'traefik' },
    );
    expect(find(result, 'Ingress', 'shop').spec).toMatchObject({ ingressClassName: 'traefik' });
  });

  it('D16: operator rules reject the whole Project (nothing rendered)', () => {
    const result = render(
      project({ image: 'a:1', services: { ingress_host: 'shop.apps.example.com' } }),
      {},
      { ingressHostSuffixes: [] },
    );
    expect(result.objects).toEqual([]);
    expect(result.conditions[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'InvalidSpec' });
    expect(result.issues[0]?.message).toContain('requires REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES');
  });
});

describe('ingress host rules', () => {
  const host = (ingress_host: string, observed: Observed = {}) =>
    render(project({ image: 'a:1', services: { ingress_host } }), observed, {
      ingressHostSuffixes: ['example.com'],
    }).issues.map((i) => i.message);
  it('accepts the suffix itself and subdomains, case-insensitively, with a trailing dot', () => {
    expect(host('example.com')).toEqual([]);
    expect(host('Shop.Example.COM.')).toEqual([]);
  });
  it('rejects look-alike suffixes and wildcards', () => {
    expect(host('evilexample.com')[0]).toContain('outside the allowed DNS suffixes');
    expect(host('*.example.com')[0]).toContain('wildcard');
  });
  it('rejects a host claimed by another Ingress (case-insensitive), not by its own', () => {
    const claimed = { claimedHosts: [{ host: 'SHOP.example.com', namespace: 'other', name: 'web' }] };
    expect(host('shop.example.com', claimed)[0]).toContain('already claimed by Ingress other/web');
    expect(
      host('shop.example.com', {
        claimedHosts: [{ host: 'shop.example.com', namespace: 'team-a', name: 'shop' }],
      }),
    ).toEqual([]);
  });
  it('rejects database.instance_class on premises', () => {
    const result = render(
      project({ image: 'a:1', database: { engine: 'postgresql', instance_class: 'db.t3.micro' } }),
    );
    expect(result.issues[0]?.message).toBe(
      'database.instance_class is not supported for onpremise databases',
    );
    expect(result.objects).toEqual([]);
  });
  it('rejects a tenant namespace mismatch', () => {
    const result = render(project({ image: 'a:1', tenant: { organization: 'acme' } }));
    expect(result.issues[0]?.message).toBe(
      "tenant namespace mismatch: expected 'tenant-acme' from spec.tenant, got 'team-a' on metadata.namespace",
    );
    expect(result.conditions.find((c) => c.type === 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'TenantMismatch',
    });
    expect(result.objects).toEqual([]);
  });
});

describe('ingress controller namespace', () => {
  it('is the namespace the isolation policy lets traffic in from', () => {
    const spec = { image: 'a:1', isolation: { level: 'None' } } as ProjectSpecInput;
    const policy = (config: RenderConfig) =>
      JSON.stringify(find(render(project(spec), {}, config), 'NetworkPolicy', 'shop-allow-ingress').spec);
    expect(policy({})).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
    const traefik = policy({ ingressControllerNamespace: 'traefik-system' });
    expect(traefik).toContain('"kubernetes.io/metadata.name":"traefik-system"');
    expect(traefik).not.toContain('ingress-nginx');
  });
});

describe('names', () => {
  it('hashes revision keys with FNV-1a 64', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
  });
  it('keeps migration Job names within 63 characters', () => {
    const name = migrationJobName('x'.repeat(80), 'cbf29ce484222325');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith('-migrate-cbf29ce484222325')).toBe(true);
  });
});
