import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildProject,
  compileProject,
  parseIntrospect,
  projectToTomlConfig,
  stripAbsent,
} from '../src/build';
import { PROJECT_API_VERSION, projectSchema, projectSpecSchema } from '../src/crd/schema';
import { analyzeToml } from '../src/toml/analyze';
import { fixtureDir } from './detect/fixture-files';
import { FULL_TOML, MINIMAL_TOML } from './fixtures';

const config = (text: string) => {
  const r = analyzeToml(text);
  expect(r.diagnostics).toEqual([]);
  return r.config!;
};

describe('buildProject (toml.md §2-§3)', () => {
  it('maps every table of the full example', () => {
    const project = buildProject(config(FULL_TOML));
    expect(projectSchema.safeParse(project).success).toBe(true);
    expect(project).toEqual({
      apiVersion: PROJECT_API_VERSION,
      kind: 'Project',
      metadata: { name: 'orders', namespace: 'default' },
      spec: {
        image: 'ghcr.io/acme/orders:1.4.0',
        replicas: 2,
        database: { engine: 'postgresql', instance_class: 'db.t3.micro', storage_gb: 20, version: '16' },
        cache: { backend: 'redis', instance_type: 'cache.t3.micro' },
        worker: { concurrency: 8, command: ['manage', 'run_worker', '--queue', 'default'] },
        auth: { jwt: true },
        storage: { backend: 's3', bucket: 'orders-media' },
        mail: { smtp_host: 'smtp.example.com', smtp_port: 587 },
        scale: { min_replicas: 2, max_replicas: 6, metric: 'Cpu', target_value: 70 },
        health: { path: '/api/healthz/', port: 8000, interval_seconds: 10 },
        services: {
          port: 80,
          target_port: 8000,
          ingress_host: 'orders.apps.example.com',
          tls: { enabled: true, secret_name: 'orders-tls', issuer: 'letsencrypt-ns' },
        },
        deletion_policy: 'retain',
        features: [],
        env: { RUST_LOG: 'info', DATABASE_PASSWORD: 'secretRef:orders-secrets/db-password' },
        source: {
          repository: 'https://github.com/acme/orders',
          branch: 'main',
          provider: 'github',
          credentials_secret: 'orders-git-credentials',
          build: {
            registry: 'ghcr.io/acme',
            dockerfile: './Dockerfile',
            context: '.',
            build_args: { WASM_BINDGEN_VERSION: '0.2.100' },
          },
          webhook: { enabled: true, events: ['push', 'pull_request', 'tag'], secret_ref: 'orders-webhook' },
          preview: {
            enabled: true,
            ttl: '72h',
            url_template: '{app}.preview.example.com',
            overrides: { replicas: 1 },
            budget: { max_replicas: 2, max_cpu: '2', max_memory: '4Gi' },
          },
        },
        infrastructure: {
          postgres: { tier: 'db-f1-micro', version: '16', backup_retention_days: 7 },
          buckets: [
            { name: 'orders-assets', public: false },
            { name: 'orders-public', public: true },
          ],
          dns: [{ host: 'orders.example.com', type: 'CNAME' }],
          secrets: [{ name: 'STRIPE_KEY', description: 'Stripe API key' }],
        },
      },
    });
  });

  it('a file with only [app]: image, replicas 1, retain, no other tables', () => {
    expect(buildProject(config(MINIMAL_TOML)).spec).toEqual({
      image: 'hello:latest',
      replicas: 1,
      deletion_policy: 'retain',
      features: [],
    });
  });

  it('maps the friendly enum spellings', () => {
    const cases: Array<[string, unknown]> = [
      ['[scale]\nmetric = "memory"', { scale: { metric: 'Memory' } }],
      ['[scale]\nmetric = "rps"', { scale: { metric: 'Rps' } }],
      ['[scale]\nmetric = "Cpu"', { scale: { metric: 'Cpu' } }],
      ['[database]\nengine = "postgres"', { database: { engine: 'postgresql' } }],
      ['[database]\nengine = "sqlite"', { database: { engine: 'sqlite' } }],
      ['[storage]\nbackend = "pvc"', { storage: { backend: 'pvc' } }],
      ['[storage]', { storage: {} }],
      [
        '[source]\nrepository = "r"\nprovider = "gitlab"',
        { source: { repository: 'r', provider: 'gitlab' } },
      ],
      ['[cache]', { cache: { backend: 'redis' } }],
      ['[worker]', { worker: { concurrency: 4 } }],
      ['[auth]', { auth: { jwt: false } }],
      ['[services.tls]', { services: { tls: { enabled: false } } }],
    ];
    for (const [table, expected] of cases) {
      expect(buildProject(config(`${MINIMAL_TOML}${table}\n`)).spec, table).toMatchObject(expected as object);
    }
  });

  it('TOML-only and not-expressible fields stay out of the spec', () => {
    const spec = buildProject(config(FULL_TOML)).spec;
    expect(spec.source?.build).not.toHaveProperty('base_image');
    expect(spec.auth).not.toHaveProperty('oauth');
    expect(spec.mail).not.toHaveProperty('credentials_secret');
    for (const key of [
      'pages',
      'isolation',
      'plugins',
      'imagePullSecrets',
      'serviceAccount',
      'tenant',
      'introspect',
    ]) {
      expect(spec).not.toHaveProperty(key);
    }
  });

  it('overrides: --name > introspect app.name > app.name; --image; --replicas; --namespace', () => {
    const c = config(`${MINIMAL_TOML}[replicas]\ncount = 3\n`);
    expect(buildProject(c).metadata).toEqual({ name: 'hello', namespace: 'default' });
    expect(buildProject(c).spec.replicas).toBe(3);
    const introspect = {
      app: { name: 'from-introspect', version: '1.0.0' },
      features: { declared: ['db-postgres'] },
    };
    const p = buildProject(c, { introspect });
    expect(p.metadata.name).toBe('from-introspect');
    expect(p.spec.introspect?.app).toEqual({ name: 'from-introspect', version: '1.0.0' });
    expect(p.spec.introspect?.features?.declared).toEqual(['db-postgres']);
    const o = buildProject(c, {
      name: 'cli',
      image: 'cli:2',
      replicas: 5,
      namespace: 'tenant-acme',
      introspect,
    });
    expect(o.metadata).toEqual({ name: 'cli', namespace: 'tenant-acme' });
    expect(o.spec.image).toBe('cli:2');
    expect(o.spec.replicas).toBe(5);
  });
});

describe('compileProject', () => {
  it('returns the project when the file is clean', () => {
    const r = compileProject(FULL_TOML, { namespace: 'prod' });
    expect(r.diagnostics).toEqual([]);
    expect(r.project?.metadata.namespace).toBe('prod');
  });

  it('returns no project but all diagnostics when there are errors', () => {
    const r = compileProject(
      `${MINIMAL_TOML}[scale]\nmin_replicas = 3\nmax_replicas = 1\n[services.tls]\ncluster_issuer = "x"\n`,
    );
    expect(r.project).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['scale-max-below-min', 'tls-cluster-issuer-forbidden']);
  });

  it('keeps the project when there are only warnings', () => {
    const r = compileProject(`${MINIMAL_TOML}[servics]\n`);
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(r.project).toBeDefined();
  });

  it('never throws on garbage and reports invalid introspect output', () => {
    expect(compileProject('=]]][[').project).toBeUndefined();
    const r = compileProject(MINIMAL_TOML, { introspect: { app: { name: 5 } } });
    expect(r.project).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['invalid-introspect']);
  });

  it('a negative --replicas override is reported', () => {
    const r = compileProject(MINIMAL_TOML, { replicas: -1 });
    expect(r.project).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['replicas-negative']);
  });
});

describe('projectToTomlConfig (the reverse, for sync)', () => {
  it('round-trips the full example', () => {
    const original = config(FULL_TOML);
    const project = buildProject(original);
    const back = projectToTomlConfig(project.spec, { name: project.metadata.name });
    const { base_image: _dropped, ...buildWithoutBase } = original.source!.build!;
    expect(back).toEqual({ ...original, source: { ...original.source, build: buildWithoutBase } });
    expect(buildProject(back)).toEqual(project);
  });

  it('maps PascalCase metrics back to the friendly spelling and drops what TOML cannot express', () => {
    const back = projectToTomlConfig({
      image: 'x:1',
      scale: { metric: 'Memory' },
      auth: { jwt: true, oauth: { provider: 'github' } },
      pages: {},
      tenant: { organization: 'acme' },
      mail: { credentials_secret: 'm' },
    });
    expect(back).toEqual({
      app: { name: '', image: 'x:1' },
      scale: { metric: 'memory' },
      auth: { jwt: true },
      mail: {},
    });
  });
});

describe('stripAbsent', () => {
  it('removes null and undefined map entries at every depth, keeps falsy values', () => {
    expect(stripAbsent({ a: null, b: 0, c: { d: undefined, e: false, f: [{ g: null, h: '' }] } })).toEqual({
      b: 0,
      c: { e: false, f: [{ h: '' }] },
    });
  });
});

describe('parseIntrospect', () => {
  it('accepts the framework’s real output, which prints absent optionals as null', () => {
    const raw = JSON.parse(
      readFileSync(`${fixtureDir('blog-postgres-redis-auth')}/introspect.json`, 'utf8'),
    ) as { routes: { name: unknown }[] };
    expect(raw.routes.some((r) => r.name === null)).toBe(true);
    const parsed = parseIntrospect(raw);
    expect(parsed.error).toBeUndefined();
    expect(parsed.introspect?.app.name).toBe('inkwell');
    expect(parsed.introspect?.routes.every((r) => r.name !== null)).toBe(true);
  });

  it('explains what is wrong with a document that is not introspect output', () => {
    expect(parseIntrospect({ routes: 'all of them' }).error).toMatch(/^routes: /);
  });
});

describe('spec defaults', () => {
  it('fills deletion_policy retain and features [] (crd.md §2), also without the builder', () => {
    expect(projectSpecSchema.parse({ image: 'x' })).toMatchObject({
      deletion_policy: 'retain',
      features: [],
    });
  });
});
