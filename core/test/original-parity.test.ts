// Behaviours the original Rust implementation tested (spec/tests-in-original.md §2), restated against our
// core: validation (§2.1), TOML mapping (§2.2), the operator's pure render step (§2.4-§2.5), source builds
// and previews (§2.5-§2.6). Numbers in the test names are the case numbers of that list. Where we
// deliberately differ, the comment says so.
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { compileProject } from '../src/build';
import { type ProjectSpecInput, projectSchema, projectSpecSchema } from '../src/crd/schema';
import {
  BUILD_TRIGGER_ANNOTATION,
  buildJobName,
  buildProblems,
  buildRequest,
  imageRepository,
  isPreviewExpired,
  kanikoJob,
  ownsPreviewNamespace,
  PR_BRANCH_ANNOTATION,
  PR_NUMBER_ANNOTATION,
  PREVIEW_ACTION_ANNOTATION,
  parsePreviewTtl,
  previewNamespaceName,
  previewProject,
  render,
} from '../src/render';
import type { KubeObject, RenderProject, RenderResult } from '../src/render/types';
import { formatSpecIssues, validateProjectSpec } from '../src/rules';

function project(name: string, spec: ProjectSpecInput, namespace = 'default'): RenderProject {
  return { metadata: { name, namespace, uid: 'u-1', generation: 1 }, spec: projectSpecSchema.parse(spec) };
}

function find(result: RenderResult, kind: string, name: string): KubeObject | undefined {
  return result.objects.find((d) => d.object.kind === kind && d.object.metadata.name === name)?.object;
}

type Env = { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } };

function webEnv(result: RenderResult, name: string): Env[] {
  const deployment = find(result, 'Deployment', name);
  const spec = deployment?.spec as { template: { spec: { containers: { name: string; env: Env[] }[] } } };
  const container = spec.template.spec.containers.find((c) => c.name === name);
  if (!container) throw new Error(`no container ${name}`);
  return container.env;
}

const envValue = (env: Env[], name: string) => env.find((e) => e.name === name);

/** Renders as the operator does once the migration Job of the current image has succeeded (web is rendered). */
function renderMigrated(input: RenderProject): RenderResult {
  const jobName = render(input).migration.jobName;
  if (!jobName) return render(input);
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: jobName },
    status: { succeeded: 1 },
  };
  return render(input, { objects: { [`Job/${jobName}`]: job } });
}

describe('§2.1 CRD validation', () => {
  it('1: every failing numeric rule is reported, in spec order, with the original messages', () => {
    const issues = validateProjectSpec({
      image: 'myapp:latest',
      replicas: -1,
      scale: { min_replicas: -1, max_replicas: -2, target_value: 0 },
      health: { port: 0, interval_seconds: 0 },
      services: { port: 0, target_port: 65536 },
    });
    expect(issues.map((i) => i.message)).toEqual([
      'spec.replicas must be >= 0',
      'scale.min_replicas must be >= 1',
      'scale.max_replicas must be >= 1',
      'scale.max_replicas must be >= scale.min_replicas',
      'scale.target_value must be > 0',
      'health.port must be between 1 and 65535',
      'health.interval_seconds must be > 0',
      'services.port must be between 1 and 65535',
      'services.target_port must be between 1 and 65535',
    ]);
    expect(formatSpecIssues(issues).split('; ')).toHaveLength(9);
  });

  it('2: a spec with only image is valid; defaults filled, absent optional blocks omitted', () => {
    expect(validateProjectSpec({ image: 'myapp:latest' })).toEqual([]);
    const spec = projectSpecSchema.parse({ image: 'myapp:latest' });
    expect(spec.deletion_policy).toBe('retain');
    // `features: []` is filled by the builder (every manifest the CLI writes has it), not by the spec schema.
    expect(compileProject('[app]\nname = "a"\nimage = "myapp:latest"\n').project?.spec.features).toEqual([]);
    const serialized = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
    for (const block of ['database', 'cache', 'worker', 'scale', 'health', 'services', 'source', 'tenant']) {
      expect(serialized, block).not.toHaveProperty(block);
    }
  });

  it('3-10: the original inputs give exactly the original messages', () => {
    const cases: [ProjectSpecInput, string[]][] = [
      [
        {
          image: 'x',
          plugins: [
            { name: 'my.plugin', wasm_dir: '/var/lib/dentdelion/a', plugin_type: 'HttpMiddleware' },
            { name: 'my-plugin', wasm_dir: '/var/lib/dentdelion/b', plugin_type: 'HttpMiddleware' },
          ],
        },
        ["spec.plugins contains entries whose sanitized name collides on Volume suffix 'my-plugin'"],
      ],
      [
        { image: 'x', plugins: [{ name: 'p', wasm_dir: 'relative/dir', plugin_type: 'HttpMiddleware' }] },
        ["plugins[].wasm_dir must be an absolute path (start with '/')"],
      ],
      [
        {
          image: 'x',
          plugins: [{ name: 'p', wasm_dir: '/var/lib/dentdelion/../etc', plugin_type: 'HttpMiddleware' }],
        },
        ["plugins[].wasm_dir must not contain '..' path components"],
      ],
      [
        { image: 'x', plugins: [{ name: 'p', wasm_dir: '/opt/x', plugin_type: 'HttpMiddleware' }] },
        ['plugins[].wasm_dir must be under /var/lib/dentdelion/'],
      ],
      [
        {
          image: 'x',
          services: {
            ingress_host: 'app.example.com',
            tls: { enabled: true, secret_name: 'app-tls', cluster_issuer: 'letsencrypt-prod' },
          },
        },
        [
          'services.tls.cluster_issuer is not supported; use services.tls.issuer with a namespace-scoped Issuer',
        ],
      ],
      [
        { image: 'x', services: { tls: { enabled: true, secret_name: 'app-tls' } } },
        ['services.tls.enabled requires services.ingress_host'],
      ],
      [
        { image: 'x', database: { engine: 'postgresql', storage_gb: 0 } },
        ['database.storage_gb must be > 0'],
      ],
      [
        { image: 'x', database: { engine: 'postgresql', storage_gb: 101 } },
        ['database.storage_gb must be <= 100'],
      ],
      [
        { image: 'x', mail: { smtp_host: 'smtp', smtp_port: 99999 } },
        ['mail.smtp_port must be between 1 and 65535'],
      ],
      [
        { image: 'x', isolation: { network: { egress_allow_cidrs: ['10.0.0.0/8', 'not-a-cidr'] } } },
        ['isolation.network.egress_allow_cidrs[1] is not valid CIDR: not-a-cidr'],
      ],
      [
        {
          image: 'x',
          source: { repository: 'https://github.com/a/b', webhook: { enabled: true, events: [] } },
        },
        ['source.webhook.events must not be empty when webhook is enabled'],
      ],
      [
        { image: 'x', tenant: { organization: 'Acme' } },
        ['spec.tenant.organization must start with a lowercase alphanumeric character'],
      ],
      [
        { image: 'x', tenant: { organization: 'acme_prod' } },
        ['spec.tenant.organization must contain only lowercase alphanumeric characters and hyphens'],
      ],
      [{ image: 'x', tenant: { organization: '' } }, ['spec.tenant.organization must not be empty']],
    ];
    for (const [spec, messages] of cases) {
      expect(
        validateProjectSpec(spec)
          .filter((i) => i.severity === 'error')
          .map((i) => i.message),
        JSON.stringify(spec),
      ).toEqual(messages);
    }
  });

  it('11: tenant org 40 a + team 30 b exceeds the namespace limit with the composed name', () => {
    const org = 'a'.repeat(40);
    const team = 'b'.repeat(30);
    expect(validateProjectSpec({ image: 'x', tenant: { organization: org, team } })).toEqual([
      expect.objectContaining({
        message: `spec.tenant namespace must be at most 63 characters, got 78 (tenant-${org}-${team})`,
      }),
    ]);
  });
});

describe('§2.2 reinhardt-cloud.toml mapping', () => {
  const APP = '[app]\nname = "my-app"\nimage = "my-app:latest"\n';
  const compile = (extra: string) => compileProject(`${APP}${extra}`);
  const errorCodes = (extra: string) =>
    compile(extra)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.code);

  it('12: [app] + [database] engine postgresql → image, engine, retain', () => {
    const { project: p } = compile('[database]\nengine = "postgresql"\n');
    expect(p?.spec.image).toBe('my-app:latest');
    expect(p?.spec.database?.engine).toBe('postgresql');
    expect(p?.spec.deletion_policy).toBe('retain');
  });

  // Deviation (toml.md §3 coercion quirks): the original silently coerced unknown enum values
  // (engine → postgresql, provider → github, backend → s3) and dropped unknown webhook events; we report errors.
  it('13-16: unknown engine/provider/backend/event are errors, not coerced; known values map as written', () => {
    expect(errorCodes('[database]\nengine = "oracle"\n')).toEqual(['invalid-enum-value']);
    expect(compile('[database]\nengine = "oracle"\n').project).toBeUndefined();
    expect(errorCodes('[source]\nrepository = "r"\nprovider = "bitbucket"\n')).toEqual([
      'invalid-enum-value',
    ]);
    expect(compile('[source]\nrepository = "r"\nprovider = "gitlab"\n').project?.spec.source?.provider).toBe(
      'gitlab',
    );
    expect(
      errorCodes(
        '[source]\nrepository = "r"\n[source.webhook]\nevents = ["push","pull_request","tag","bogus"]\n',
      ),
    ).toEqual(['unknown-webhook-event']);
    expect(
      compile('[source]\nrepository = "r"\n[source.webhook]\nevents = ["push","pull_request","tag"]\n')
        .project?.spec.source?.webhook?.events,
    ).toEqual(['push', 'pull_request', 'tag']);
    expect(compile('[storage]\nbackend = "gcs"\nbucket = "b"\n').project?.spec.storage).toEqual({
      backend: 'gcs',
      bucket: 'b',
    });
    expect(compile('[storage]\nbackend = "pvc"\n').project?.spec.storage?.backend).toBe('pvc');
    expect(errorCodes('[storage]\nbackend = "weird"\n')).toEqual(['invalid-enum-value']);
  });

  it('17: [scale] metric memory target 512 → HPA memory AverageValue 512Mi', () => {
    const { project: p } = compile('[scale]\nmetric = "memory"\ntarget_value = 512\n');
    expect(p?.spec.scale).toMatchObject({ metric: 'Memory', target_value: 512 });
    const hpa = find(
      render(project('my-app', p?.spec ?? { image: 'x' })),
      'HorizontalPodAutoscaler',
      'my-app',
    );
    expect((hpa?.spec as { metrics?: unknown[] } | undefined)?.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '512Mi' } },
      },
    ]);
  });

  // Deviation: unknown tables are still ignored, but reported as a warning instead of silently.
  it('18: an unknown table is ignored; the file still compiles', () => {
    const result = compile('[foo]\nbar = 1\n');
    expect(result.project?.spec).not.toHaveProperty('foo');
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'unknown-key']]);
  });

  it('19: --replicas beats [replicas] count, which beats the default 1', () => {
    expect(compileProject(`${APP}[replicas]\ncount = 3\n`, { replicas: 5 }).project?.spec.replicas).toBe(5);
    expect(compileProject(`${APP}[replicas]\ncount = 3\n`).project?.spec.replicas).toBe(3);
    expect(compileProject(APP).project?.spec.replicas).toBe(1);
  });
});

describe('§2.4 migration revision', () => {
  it('33: revision ids are FNV-1a 64 of image and app version', () => {
    const first = render(project('myapp', { image: 'myapp:v1', database: { engine: 'postgresql' } }));
    expect(first.migration.revision).toBe('b1819b3b9fb4fced');
    expect(first.migration.jobName).toBe('myapp-migrate-b1819b3b9fb4fced');
    const versioned = render(
      project('myapp', {
        image: 'ghcr.io/acme/app:1.0.0',
        database: { engine: 'postgresql' },
        introspect: { app: { name: 'myapp', version: '1.2.3' } },
      }),
    );
    expect(versioned.migration.revision).toBe('64f1f146581d2ac5');
  });
});

describe('§2.5 env, HPA, status', () => {
  const hostProject = (ingress_host: string, tls = false) =>
    project('web', {
      image: 'a:1',
      services: { ingress_host, ...(tls ? { tls: { enabled: true, secret_name: 'web-tls' } } : {}) },
    });
  const suffixes = { ingressHostSuffixes: ['example.com'] };

  it('42: an allowed host in any case, with a trailing dot, reaches the Ingress in the form the API accepts', () => {
    const result = render(hostProject('App.Team.Example.COM.', true), {}, suffixes);
    expect(result.issues).toEqual([]);
    const spec = find(result, 'Ingress', 'web')?.spec as {
      rules: { host: string }[];
      tls: { hosts: string[]; secretName: string }[];
    };
    expect(spec.rules.map((r) => r.host)).toEqual(['app.team.example.com']);
    expect(spec.tls).toEqual([{ hosts: ['app.team.example.com'], secretName: 'web-tls' }]);
    // TlsReady compares with the host the Ingress really carries.
    const live: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web' },
      spec,
    };
    const tlsReady = render(
      hostProject('App.Team.Example.COM.', true),
      {
        objects: { 'Ingress/web': live },
        secretNames: ['web-tls'],
      },
      suffixes,
    ).conditions.find((c) => c.type === 'TlsReady');
    expect(tlsReady?.status).toBe('True');
  });

  it('42: a host the API server would refuse in an Ingress is reported on the field, before the allow-list', () => {
    for (const host of [
      'http://app.example.com',
      'app.example.com:8443',
      'app.example.com/shop',
      'my_app.example.com',
      'app example.com',
      '-app.example.com',
      '10.0.0.1',
    ]) {
      const result = render(hostProject(host), {}, suffixes);
      expect(result.objects, host).toEqual([]);
      expect(result.issues, host).toEqual([
        {
          path: 'spec.services.ingress_host',
          message: `invalid ingress host: services.ingress_host '${host}' is not a valid DNS host name; use letters, digits, '-' and '.' only, without scheme, port or path (e.g. app.example.com)`,
        },
      ]);
    }
    expect(render(hostProject('*.example.com'), {}, suffixes).issues[0]?.message).toBe(
      "invalid ingress host: services.ingress_host '*.example.com' must not use Kubernetes wildcard host syntax",
    );
    expect(render(hostProject('attackerexample.com'), {}, suffixes).issues[0]?.message).toContain(
      'is outside the allowed DNS suffixes',
    );
  });

  it('46: Postgres env for my-app; a user REINHARDT_DATABASE_HOST wins over the default', () => {
    const env = webEnv(
      renderMigrated(project('my-app', { image: 'a:1', database: { engine: 'postgresql' } })),
      'my-app',
    );
    expect(envValue(env, 'REINHARDT_DATABASE_HOST')?.value).toBe('my-app-db');
    expect(envValue(env, 'REINHARDT_DATABASE_PORT')?.value).toBe('5432');
    expect(envValue(env, 'REINHARDT_DATABASE_NAME')?.value).toBe('my_app_db');
    expect(envValue(env, 'REINHARDT_DATABASE_USER')?.value).toBe('my_app');
    expect(envValue(env, 'REINHARDT_DATABASE_PASSWORD')?.valueFrom).toEqual({
      secretKeyRef: { name: 'my-app-db-credentials', key: 'password' },
    });
    expect(envValue(env, 'DATABASE_URL')?.value).toBe(
      'postgres://my_app:$(REINHARDT_DATABASE_PASSWORD)@my-app-db:5432/my_app_db',
    );
    const overridden = webEnv(
      renderMigrated(
        project('my-app', {
          image: 'a:1',
          database: { engine: 'postgresql' },
          env: { REINHARDT_DATABASE_HOST: 'db.internal' },
        }),
      ),
      'my-app',
    );
    expect(overridden.filter((e) => e.name === 'REINHARDT_DATABASE_HOST')).toEqual([
      { name: 'REINHARDT_DATABASE_HOST', value: 'db.internal' },
    ]);
    // The connection URL follows the override, so both variables point at the same server.
    expect(envValue(overridden, 'DATABASE_URL')?.value).toContain('@db.internal:5432/');
  });

  it('47: no DB/cache/auth/env → only managed variables, ending with exactly the telemetry pair', () => {
    const env = webEnv(render(project('plain', { image: 'a:1' })), 'plain');
    expect(env.slice(-2)).toEqual([
      { name: 'OTEL_PROPAGATORS', value: 'tracecontext' },
      { name: 'OTEL_SERVICE_NAME', value: 'plain' },
    ]);
    const names = env.map((e) => e.name);
    expect(names.filter((n) => n.startsWith('OTEL_'))).toEqual(['OTEL_PROPAGATORS', 'OTEL_SERVICE_NAME']);
    expect(
      names.some((n) => n.startsWith('REINHARDT_DATABASE') || n.includes('REDIS') || n.includes('JWT')),
    ).toBe(false);
  });

  it('48: secretRef to the app’s own Secret becomes a secretKeyRef', () => {
    const env = webEnv(
      render(project('my-app', { image: 'a:1', env: { API_KEY: 'secretRef:my-app-secrets/api-key' } })),
      'my-app',
    );
    expect(envValue(env, 'API_KEY')).toEqual({
      name: 'API_KEY',
      valueFrom: { secretKeyRef: { name: 'my-app-secrets', key: 'api-key' } },
    });
  });

  // Deviation: the original passed `secretRef:other/api-key` through as a literal string; we refuse the
  // Project (an app may only read its own Secret, and a half-written reference is a mistake worth reporting).
  it('48: secretRef to another Secret refuses the Project instead of becoming a literal', () => {
    const result = render(project('my-app', { image: 'a:1', env: { API_KEY: 'secretRef:other/api-key' } }));
    expect(result.objects).toEqual([]);
    expect(result.issues).toEqual([
      {
        path: 'spec.env.API_KEY',
        message:
          "env API_KEY: secret 'other' is not allowed; an app may only reference its own Secret my-app-secrets",
      },
    ]);
  });

  const hpaOf = (spec: ProjectSpecInput) => {
    const result = render(project('web', spec));
    return { result, hpa: find(result, 'HorizontalPodAutoscaler', 'web')?.spec as Record<string, unknown> };
  };

  it('49: HPA from scale, with the replicas fallback and the minimum of 1', () => {
    const cpu = hpaOf({
      image: 'a:1',
      scale: { min_replicas: 2, max_replicas: 8, metric: 'Cpu', target_value: 60 },
    });
    expect(cpu.hpa).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 8,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
      ],
    });
    expect(hpaOf({ image: 'a:1', replicas: 2, scale: {} }).hpa).toMatchObject({
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ resource: { name: 'cpu', target: { averageUtilization: 70 } } }],
    });
    expect(hpaOf({ image: 'a:1', scale: {} }).hpa).toMatchObject({ minReplicas: 1, maxReplicas: 6 });
    expect(hpaOf({ image: 'a:1', scale: { min_replicas: 0, max_replicas: 0 } }).hpa).toMatchObject({
      minReplicas: 1,
      maxReplicas: 1,
    });
    const rps = hpaOf({ image: 'a:1', scale: { metric: 'Rps' } });
    expect(rps.hpa).toBeUndefined();
    expect(rps.result.conditions.find((c) => c.type === 'AutoscalerReady')).toMatchObject({
      status: 'False',
      reason: 'UnsupportedMetric',
    });
  });

  it('50: AutoscalerReady needs the observed generation and AbleToScale + ScalingActive True', () => {
    const hpa = (generation: number, observed: number, scalingActive: string): KubeObject => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', generation },
      status: {
        observedGeneration: observed,
        conditions: [
          { type: 'AbleToScale', status: 'True' },
          { type: 'ScalingActive', status: scalingActive },
        ],
      },
    });
    const ready = (object: KubeObject) =>
      render(project('web', { image: 'a:1', scale: {} }), {
        objects: { 'HorizontalPodAutoscaler/web': object },
      }).conditions.find((c) => c.type === 'AutoscalerReady')?.status;
    expect(ready(hpa(1, 1, 'True'))).toBe('True');
    expect(ready(hpa(1, 1, 'False'))).toBe('False');
    expect(ready(hpa(2, 1, 'True'))).toBe('False');
  });

  it('52: tenant mismatch → phase failed, Degraded=True, the original message, nothing applied', () => {
    const result = render(project('web', { image: 'a:1', tenant: { organization: 'acme' } }, 'default'));
    const message =
      "tenant namespace mismatch: expected 'tenant-acme' from spec.tenant, got 'default' on metadata.namespace";
    expect(result.phase).toBe('failed');
    expect(result.objects).toEqual([]);
    expect(result.conditions.find((c) => c.type === 'Degraded')).toEqual({
      type: 'Degraded',
      status: 'True',
      reason: 'TenantMismatch',
      message,
    });
  });
});

describe('§1 k8s helpers: Project YAML', () => {
  const yaml = (metadata: string) =>
    parseYaml(
      `apiVersion: paas.reinhardt-cloud.dev/v1alpha2\nkind: Project\nmetadata:\n${metadata}spec:\n  image: app:1\n`,
    );
  it('accepts a valid Project and rejects one without metadata.name', () => {
    expect(projectSchema.safeParse(yaml('  name: web\n')).success).toBe(true);
    const missing = projectSchema.safeParse(yaml('  namespace: default\n'));
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.path.join('.'))).toEqual(['metadata.name']);
  });
});

describe('§2.5 source builds and §2.6 previews', () => {
  const NOW = new Date('2026-06-18T10:00:00Z');
  const subject = (name: string, spec: ProjectSpecInput, annotations: Record<string, string> = {}) => ({
    name,
    namespace: 'default',
    uid: 'u-1',
    annotations,
    spec: projectSpecSchema.parse(spec),
  });
  const build = (s: ReturnType<typeof subject>) => {
    const request = buildRequest(s, NOW);
    if (request.kind !== 'build') throw new Error(`no build: ${JSON.stringify(request)}`);
    return request.build;
  };

  it('34: preview namespace names', () => {
    expect(previewNamespaceName('tenant-a', 'my-app')).toBe('tenant-a-my-app-f45d6c2f425d-preview');
    expect(previewNamespaceName('default', 'preview-parent')).toBe(
      'default-preview-parent-74a9cbd7e509-preview',
    );
  });

  it('37: the Kaniko Job name sanitizes the tag', () => {
    expect(buildJobName('my-app', 'release/2026.06.18')).toBe('my-app-build-release-2026-06-18');
  });

  it('38: without a registry the built image keeps the registry port and replaces only the tag', () => {
    const s = subject(
      'app',
      { image: 'localhost:5000/org/app:latest', source: { repository: 'https://git.example.test/a.git' } },
      { [BUILD_TRIGGER_ANNOTATION]: 'v1' },
    );
    expect(build(s).image).toBe('localhost:5000/org/app:app-v1');
    expect(imageRepository('localhost:5000/org/app:latest')).toBe('localhost:5000/org/app');
  });

  // Deviations: the executor image is pinned (`executor:v1.23.2`, not `:latest`), and the pull secret is
  // `<name>-pull` because every pull secret must carry the Project's prefix (§11.4).
  it('39: the Kaniko Job of the original example, argument for argument', () => {
    const s = subject(
      'source-build-app',
      {
        image: 'registry.local/reinhardt/source-build-app:old',
        imagePullSecrets: [{ name: 'source-build-app-pull' }],
        source: {
          repository: 'https://github.com/kent8192/reinhardt-cloud',
          branch: 'main',
          credentials_secret: 'source-build-app-git-credentials',
          build: {
            registry: 'registry.local/reinhardt/source-build-app',
            dockerfile: './Dockerfile.e2e',
            context: '.',
            build_args: { PROFILE: 'e2e' },
          },
        },
      },
      { [BUILD_TRIGGER_ANNOTATION]: 'abcdef1234567890' },
    );
    const b = build(s);
    expect(b.jobName).toBe('source-build-app-build-source-build-app-abcdef12');
    expect(b.image).toBe('registry.local/reinhardt/source-build-app:source-build-app-abcdef12');
    expect(buildProblems(s)).toEqual([]);
    const job = kanikoJob(s, b) as KubeObject & {
      spec: {
        template: {
          spec: {
            restartPolicy: string;
            imagePullSecrets: { name: string }[];
            containers: { name: string; image: string; args: string[]; env: { name: string }[] }[];
            volumes: { name: string }[];
          };
        };
      };
    };
    expect(job.metadata.labels?.['app.kubernetes.io/component']).toBe('build');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Project', name: 'source-build-app' });
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.imagePullSecrets).toEqual([{ name: 'source-build-app-pull' }]);
    expect(pod.containers).toHaveLength(1);
    expect(pod.containers[0]?.name).toBe('kaniko');
    expect(pod.containers[0]?.image).toBe('gcr.io/kaniko-project/executor:v1.23.2');
    expect(pod.containers[0]?.args).toEqual([
      '--git=branch=main,url=https://github.com/kent8192/reinhardt-cloud',
      '--dockerfile=./Dockerfile.e2e',
      '--context=dir://.',
      '--destination=registry.local/reinhardt/source-build-app:source-build-app-abcdef12',
      '--cache=true',
      '--build-arg=PROFILE=e2e',
    ]);
    expect(pod.containers[0]?.env.map((e) => e.name)).toEqual(['GIT_USERNAME', 'GIT_PASSWORD']);
    expect(pod.volumes[0]?.name).toBe('registry-auth');
  });

  // Deviation (D13): reported as a refused build on the Project, not a permanent reconcile error.
  it('40: a foreign credentials Secret is refused with the original message', () => {
    const s = subject('my-app', {
      image: 'app:1',
      source: {
        repository: 'https://git.example.test/a.git',
        credentials_secret: 'platform-git-credentials',
      },
    });
    expect(buildProblems(s)).toEqual([
      "invalid source credentials secret 'platform-git-credentials': expected 'my-app-git-credentials'",
    ]);
  });

  it('41: a Project without spec.source never gets a build', () => {
    const s = subject('plain', { image: 'app:1' }, { [BUILD_TRIGGER_ANNOTATION]: 'abcdef1234567890' });
    expect(buildRequest(s, NOW).kind).toBe('ignored');
    expect(buildRequest(subject('plain', { image: 'app:1' }), NOW).kind).toBe('none');
  });

  const parentSpec: ProjectSpecInput = {
    image: 'registry.local/reinhardt/preview-parent:1',
    source: {
      repository: 'https://git.example.test/p.git',
      build: { registry: 'registry.local/reinhardt/preview-parent' },
      preview: {
        enabled: true,
        url_template: '{branch}.pr-{pr_number}.{app}.example.test',
        overrides: { replicas: 1 },
      },
    },
  };
  const previewOf = (annotations: Record<string, string>) => {
    const b = build(subject('preview-parent', parentSpec, annotations));
    return previewProject(
      { name: 'preview-parent', namespace: 'default', uid: 'u-1', spec: parentSpec },
      b,
      NOW,
    );
  };
  const request = (action: string, branch: string, trigger: string) => ({
    [PREVIEW_ACTION_ANNOTATION]: action,
    [PR_NUMBER_ANNOTATION]: '42',
    [PR_BRANCH_ANNOTATION]: branch,
    [BUILD_TRIGGER_ANNOTATION]: trigger,
  });

  it('53: a preview build yields the preview Project of the original example', () => {
    const preview = previewOf(request('create', 'feature/login', 'abcdef1234567890'));
    expect(preview.metadata.name).toBe('preview-parent-pr-42');
    expect(preview.metadata.namespace).toBe('default-preview-parent-74a9cbd7e509-preview');
    expect(preview.metadata.labels).toMatchObject({
      'reinhardt.dev/preview': 'true',
      'reinhardt.dev/parent-app': 'preview-parent',
      'reinhardt.dev/pr-number': '42',
    });
    expect(preview.spec).toMatchObject({
      image: 'registry.local/reinhardt/preview-parent:pr-42-abcdef12',
      replicas: 1,
      deletion_policy: 'delete',
      services: { ingress_host: 'feature-login.pr-42.preview-parent-pr-42.example.test' },
    });
    expect((preview.spec as { source?: unknown }).source).toBeUndefined();
  });

  it('54: an update moves the same preview to the new image and branch host', () => {
    const preview = previewOf(request('update', 'feature/updated', 'fedcba9876543210'));
    expect(preview.metadata.name).toBe('preview-parent-pr-42');
    expect(preview.spec).toMatchObject({
      image: 'registry.local/reinhardt/preview-parent:pr-42-fedcba98',
      services: { ingress_host: 'feature-updated.pr-42.preview-parent-pr-42.example.test' },
    });
  });

  it('56: a preview older than the TTL expires; an unparsable last-activity is kept', () => {
    const preview = (lastActivity: string): KubeObject => ({
      apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2',
      kind: 'Project',
      metadata: { name: 'p', annotations: { 'reinhardt.dev/last-activity': lastActivity } },
    });
    const ttl = parsePreviewTtl(undefined);
    expect(ttl).toBe(72 * 3600 * 1000);
    expect(isPreviewExpired(preview('2026-06-15T09:59:59Z'), ttl, NOW)).toBe(true);
    expect(isPreviewExpired(preview('2026-06-15T10:00:01Z'), ttl, NOW)).toBe(false);
    expect(isPreviewExpired(preview('yesterday'), ttl, NOW)).toBe(false);
  });

  it('57: a preview request with a blank PR number, or with previews disabled, is ignored', () => {
    const blank = subject('preview-parent', parentSpec, {
      ...request('create', 'x', 'abcdef12'),
      [PR_NUMBER_ANNOTATION]: ' ',
    });
    expect(buildRequest(blank, NOW).kind).toBe('ignored');
    const disabled = subject(
      'preview-parent',
      {
        ...parentSpec,
        source: { ...parentSpec.source, repository: 'r', preview: { enabled: false } },
      } as ProjectSpecInput,
      request('create', 'x', 'abcdef12'),
    );
    expect(buildRequest(disabled, NOW).kind).toBe('ignored');
  });

  it('58: the preview namespace is deleted only when every ownership label matches', () => {
    const parent = { name: 'preview-parent', namespace: 'default', uid: 'u-1' };
    const labels = {
      'app.kubernetes.io/managed-by': 'reinhardt-cloud-operator',
      'reinhardt.dev/preview-namespace': 'true',
      'reinhardt.dev/parent-app': 'preview-parent',
      'reinhardt.dev/parent-namespace': 'default',
      'reinhardt.dev/parent-uid': 'u-1',
    };
    const ns = (l: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: previewNamespaceName('default', 'preview-parent'), labels: l },
    });
    expect(ownsPreviewNamespace(ns(labels), parent)).toBe(true);
    for (const key of Object.keys(labels)) {
      const { [key]: _dropped, ...rest } = labels as Record<string, string>;
      expect(ownsPreviewNamespace(ns(rest), parent), `without ${key}`).toBe(false);
    }
    expect(ownsPreviewNamespace(ns({ ...labels, 'reinhardt.dev/parent-uid': 'other' }), parent)).toBe(false);
  });
});
