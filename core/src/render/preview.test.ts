import { describe, expect, it } from 'vitest';
import type { ProjectSpecInput } from '../crd';
import type { SourceBuildStatus } from './build';
import {
  dnsSafeBranch,
  isPreviewExpired,
  isPreviewOf,
  ownsPreviewNamespace,
  type PreviewParent,
  parsePreviewTtl,
  previewExpiresAt,
  previewGuardrails,
  previewNamespaceName,
  previewParentKey,
  previewProblem,
  previewProject,
  previewSecretCopies,
  previewStatuses,
  renderUrlTemplate,
  sanitizeIdentity,
  verifiedPreviewParent,
} from './preview';
import type { KubeObject } from './types';

const NOW = new Date('2026-03-01T12:00:00.123Z');

function parent(spec: Partial<ProjectSpecInput> = {}, name = 'preview-parent'): PreviewParent {
  return {
    name,
    namespace: 'default',
    uid: 'parent-uid',
    spec: {
      image: 'registry.local/app:1',
      source: {
        repository: 'https://git.example.test/app.git',
        build: { registry: 'registry.local/app' },
        preview: { enabled: true, url_template: '{branch}.pr-{pr_number}.{app}.example.test' },
      },
      ...spec,
    } as ProjectSpecInput,
  };
}

describe('previewNamespaceName (§9.1)', () => {
  it.each([
    ['tenant-a', 'my-app', 'tenant-a-my-app-f45d6c2f425d-preview'],
    ['default', 'preview-parent', 'default-preview-parent-74a9cbd7e509-preview'],
  ])('(%s, %s) → %s', (namespace, name, expected) => {
    expect(previewNamespaceName(namespace, name)).toBe(expected);
  });

  it('truncates a long identity to 42 characters without a trailing dash, 63 in all', () => {
    const name = previewNamespaceName('a-very-long-namespace-name-here', 'and-an-equally-long-project-name');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9-]+-[0-9a-f]{12}-preview$/);
    expect(name.split('-').slice(0, -2).join('-').length).toBeLessThanOrEqual(42);
    expect(name).not.toContain('--');
  });

  it('differs for names that sanitize alike', () => {
    expect(previewNamespaceName('ns', 'a.b')).not.toBe(previewNamespaceName('ns', 'a-b'));
  });

  it.each([
    ['My_App', 'y-pp'],
    ['a..b', 'a-b'],
    ['--x--', 'x'],
  ])('sanitizeIdentity(%s) = %s', (input, output) => {
    expect(sanitizeIdentity(input)).toBe(output);
  });
});

describe('previewGuardrails (§9.2)', () => {
  it('renders the namespace, quota, limits and policies with ownership labels', () => {
    const g = previewGuardrails(
      parent({
        source: {
          repository: 'r',
          preview: { enabled: true, budget: { max_cpu: '2', max_memory: '4Gi' } },
        },
      }),
      { acmeEmail: 'ops@example.test', ingressClass: 'traefik' },
    );
    expect(g).toBeDefined();
    if (!g) return;
    const ns = 'default-preview-parent-74a9cbd7e509-preview';
    expect(g.namespace.metadata).toEqual({
      name: ns,
      labels: {
        'app.kubernetes.io/managed-by': 'reinhardt-cloud-operator',
        'reinhardt.dev/parent-app': 'preview-parent',
        'reinhardt.dev/parent-namespace': 'default',
        'reinhardt.dev/preview-namespace': 'true',
        'reinhardt.dev/parent-uid': 'parent-uid',
      },
    });
    expect(g.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ResourceQuota/preview-default-quota',
      'LimitRange/preview-default-limits',
      'NetworkPolicy/preview-default-deny',
      'NetworkPolicy/preview-allow-ingress-and-dns',
    ]);
    for (const o of [...g.objects, g.issuer]) {
      expect(o.metadata.namespace).toBe(ns);
      expect(o.metadata.labels?.['reinhardt.dev/parent-uid']).toBeUndefined();
      expect(o.metadata.labels?.['reinhardt.dev/preview-namespace']).toBe('true');
      expect(o.metadata.ownerReferences).toBeUndefined();
    }
    expect(g.objects[0]?.spec).toEqual({ hard: { pods: '50', 'limits.cpu': '2', 'limits.memory': '4Gi' } });
    expect(g.issuer.spec).toEqual({
      acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        email: 'ops@example.test',
        privateKeySecretRef: { name: `${ns}-acme-key` },
        solvers: [{ http01: { ingress: { class: 'traefik' } } }],
      },
    });
  });

  it('quota without a budget is pods only; no uid ⇒ no guardrails', () => {
    expect(previewGuardrails(parent())?.objects[0]?.spec).toEqual({ hard: { pods: '50' } });
    expect(previewGuardrails({ ...parent(), uid: undefined })).toBeUndefined();
  });
});

describe('ownsPreviewNamespace (§13)', () => {
  const g = previewGuardrails(parent());
  const owner = { name: 'preview-parent', namespace: 'default', uid: 'parent-uid' };
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['all labels match', undefined, true],
    ['another uid', { 'reinhardt.dev/parent-uid': 'other' }, false],
    ['another parent', { 'reinhardt.dev/parent-app': 'x' }, false],
    ['not a preview namespace', { 'reinhardt.dev/preview-namespace': 'false' }, false],
    ['not managed by us', { 'app.kubernetes.io/managed-by': 'helm' }, false],
  ])('%s → %s', (_case, override, owned) => {
    if (!g) throw new Error('guardrails expected');
    const ns: KubeObject = {
      ...g.namespace,
      metadata: { ...g.namespace.metadata, labels: { ...g.namespace.metadata.labels, ...override } },
    };
    expect(ownsPreviewNamespace(ns, owner)).toBe(owned);
  });
});

describe('URL template (§9.3)', () => {
  it('renders the worked example', () => {
    expect(
      renderUrlTemplate('{branch}.pr-{pr_number}.{app}.example.test', {
        app: 'preview-parent-pr-42',
        prNumber: '42',
        branch: 'feature/login',
      }),
    ).toBe('feature-login.pr-42.preview-parent-pr-42.example.test');
  });

  it.each([
    ['feature/login', 'feature-login'],
    ['Fix_Bug.2', 'fix-bug-2'],
    ['/leading', 'leading'],
    ['a//b', 'a-b'],
    ['ünïcode!', 'ncode'],
    ['---', 'branch'],
    [`${'x'.repeat(62)}/y`, 'x'.repeat(62)],
  ])('dnsSafeBranch(%s) = %s', (branch, safe) => {
    expect(dnsSafeBranch(branch)).toBe(safe);
  });
});

describe('previewProblem (D15: refused up front)', () => {
  const config = { ingressHostSuffixes: ['example.test'] };
  it.each<[string, PreviewParent, string | undefined]>([
    ['host inside the allow-list', parent(), undefined],
    [
      'host outside the allow-list',
      parent({
        source: {
          repository: 'r',
          build: { registry: 'registry.local/app' },
          preview: { enabled: true, url_template: 'pr-{pr_number}.attacker.test' },
        },
      }),
      "preview preview-parent-pr-42 refused: its host 'pr-42.attacker.test' (from source.preview.url_template) is rejected: services.ingress_host 'pr-42.attacker.test' is outside the allowed DNS suffixes configured by REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES (example.test)",
    ],
    [
      'no registry',
      parent({ source: { repository: 'r', preview: { enabled: true } } }),
      'preview preview-parent-pr-42 refused: missing required field: source.build.registry (previews push to a registry of their own)',
    ],
    [
      'parent host without a template',
      parent({
        services: { ingress_host: 'app.example.test' },
        source: { repository: 'r', build: { registry: 'x' }, preview: { enabled: true } },
      }),
      "preview preview-parent-pr-42 refused: services.ingress_host 'app.example.test' belongs to preview-parent; set source.preview.url_template (e.g. pr-{pr_number}.app.example.test) so each preview gets a host of its own",
    ],
    [
      'no host at all',
      parent({ source: { repository: 'r', build: { registry: 'x' }, preview: { enabled: true } } }),
      undefined,
    ],
  ])('%s', (_case, p, problem) => {
    expect(previewProblem(p, '42', 'feature/login', config)).toBe(problem);
  });

  it("reads copies of the parent's Secrets named after itself, and refuses one it may not read", () => {
    const withSecretEnv = parent({
      env: { TOKEN: 'secretRef:preview-parent-secrets/token' },
      imagePullSecrets: [{ name: 'preview-parent-pull' }],
    });
    expect(previewProblem(withSecretEnv, '42', 'x', config)).toBeUndefined();
    expect(previewSecretCopies(withSecretEnv, 'preview-parent-pr-42')).toEqual([
      { from: 'preview-parent-pull', to: 'preview-parent-pr-42-pull' },
      { from: 'preview-parent-secrets', to: 'preview-parent-pr-42-secrets' },
    ]);
    // A reference the parent itself may not use is not copied, and stays refused.
    const foreign = parent({ env: { TOKEN: 'secretRef:shared-secrets/token' } });
    expect(previewSecretCopies(foreign, 'preview-parent-pr-42')).toEqual([]);
    expect(previewProblem(foreign, '42', 'x', config)).toBe(
      "preview preview-parent-pr-42 refused: spec.env.TOKEN (inherited from preview-parent): env TOKEN: secret 'shared-secrets' is not allowed; an app may only reference its own Secret preview-parent-pr-42-secrets",
    );
  });

  it('refuses when the allow-list is empty and when the host is already claimed', () => {
    expect(previewProblem(parent(), '42', 'x', { ingressHostSuffixes: [] })).toContain(
      'requires REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES',
    );
    expect(
      previewProblem(parent(), '42', 'x', config, [
        { host: 'x.pr-42.preview-parent-pr-42.example.test', namespace: 'other', name: 'other' },
      ]),
    ).toContain('is already claimed by Ingress other/other');
  });
});

const BUILD: SourceBuildStatus = {
  phase: 'succeeded',
  target: 'preview',
  trigger: 'abcdef123',
  jobName: 'preview-parent-build-pr-42-abcdef12',
  image: 'registry.local/app:pr-42-abcdef12',
  imageTag: 'pr-42-abcdef12',
  previewName: 'preview-parent-pr-42',
  prNumber: '42',
  branch: 'feature/login',
};

describe('previewProject (§9.3)', () => {
  const full = parent({
    replicas: 3,
    database: { engine: 'postgresql' },
    cache: {},
    worker: { concurrency: 2 },
    env: { A: '1', TOKEN: 'secretRef:preview-parent-secrets/token' },
    services: {
      port: 8080,
      ingress_host: 'app.example.test',
      tls: { enabled: true, secret_name: 'app-tls' },
    },
    scale: { min_replicas: 2 },
    imagePullSecrets: [{ name: 'preview-parent-pull' }],
    source: {
      repository: 'r',
      build: { registry: 'registry.local/app' },
      preview: {
        enabled: true,
        url_template: '{branch}.pr-{pr_number}.{app}.example.test',
        overrides: { replicas: 4, database: true },
        budget: { max_replicas: 2 },
      },
    },
  });

  it('builds the preview Project with inherited, overridden and forced fields', () => {
    const project = previewProject(full, BUILD, NOW, { inheritLabels: { shard: 'a' } });
    expect(project.metadata).toEqual({
      name: 'preview-parent-pr-42',
      namespace: 'default-preview-parent-74a9cbd7e509-preview',
      labels: {
        shard: 'a',
        'reinhardt.dev/preview': 'true',
        'reinhardt.dev/parent-app': 'preview-parent',
        'reinhardt.dev/parent-namespace': 'default',
        'reinhardt.dev/pr-number': '42',
        'app.kubernetes.io/managed-by': 'reinhardt-cloud',
      },
      annotations: { 'reinhardt.dev/last-activity': '2026-03-01T12:00:00Z' },
    });
    expect(project.spec).toEqual({
      image: 'registry.local/app:pr-42-abcdef12',
      replicas: 2,
      database: { engine: 'postgresql' },
      services: { port: 8080, ingress_host: 'feature-login.pr-42.preview-parent-pr-42.example.test' },
      worker: { concurrency: 2 },
      env: { A: '1', TOKEN: 'secretRef:preview-parent-pr-42-secrets/token' },
      imagePullSecrets: [{ name: 'preview-parent-pr-42-pull' }],
      deletion_policy: 'delete',
    });
  });

  it('adds preview TLS when an issuer is available', () => {
    const project = previewProject(full, BUILD, NOW, { tlsIssuer: 'preview-issuer' });
    expect((project.spec as { services: { tls: unknown } }).services.tls).toEqual({
      enabled: true,
      secret_name: 'preview-parent-pr-42-tls',
      issuer: 'preview-issuer',
    });
  });

  it('rejects a build without PR data or a registry', () => {
    expect(() => previewProject(full, { ...BUILD, prNumber: undefined }, NOW)).toThrow(
      'missing required field: status.build.prNumber',
    );
    expect(() => previewProject(parent({ source: { repository: 'r' } }), BUILD, NOW)).toThrow(
      'missing required field: source.build.registry',
    );
  });

  it('is recognised as a verified preview of its parent', () => {
    const project = previewProject(full, BUILD, NOW);
    expect(verifiedPreviewParent(project)).toBe('preview-parent');
    expect(previewParentKey(project)).toBe('default/preview-parent');
    expect(isPreviewOf(project, { name: 'preview-parent', namespace: 'default' })).toBe(true);
    expect(isPreviewOf(project, { name: 'preview-parent', namespace: 'other' })).toBe(false);
    const moved = { ...project, metadata: { ...project.metadata, namespace: 'elsewhere' } };
    expect(verifiedPreviewParent(moved)).toBeUndefined();
  });
});

describe('TTL (§9.6, D15)', () => {
  it.each([
    [undefined, 72 * 3_600_000],
    ['72h', 72 * 3_600_000],
    ['2d', 48 * 3_600_000],
    ['1h', 3_600_000],
    ['90m', undefined],
    ['forever', undefined],
  ])('parsePreviewTtl(%s) = %s', (ttl, ms) => {
    expect(parsePreviewTtl(ttl)).toBe(ms);
  });

  const withActivity = (value?: string): KubeObject => ({
    apiVersion: 'paas.reinhardt-cloud.dev/v1alpha2',
    kind: 'Project',
    metadata: { name: 'p', annotations: value ? { 'reinhardt.dev/last-activity': value } : {} },
  });

  it.each<[string, string | undefined, string | undefined, boolean]>([
    ['recent activity', '2026-03-01T11:30:00Z', '1h', false],
    ['old activity', '2026-03-01T10:00:00Z', '1h', true],
    ['offset time', '2026-03-01T12:30:00+02:00', '1h', true],
    ['no activity annotation', undefined, '1h', false],
    ['garbage activity', 'yesterday', '1h', false],
    ['never-expiring TTL', '2020-01-01T00:00:00Z', 'forever', false],
  ])('%s', (_case, activity, ttl, expired) => {
    expect(isPreviewExpired(withActivity(activity), parsePreviewTtl(ttl), NOW)).toBe(expired);
  });

  it('reports when a preview expires', () => {
    expect(previewExpiresAt(withActivity('2026-03-01T11:30:00Z'), 3_600_000)).toBe(
      Date.parse('2026-03-01T12:30:00Z'),
    );
  });
});

describe('previewStatuses (§9.7)', () => {
  it('lists previews by name with url, phase, replicas and activity; undefined when none', () => {
    const a = previewProject(parent(), BUILD, NOW);
    a.status = { phase: 'running', readyReplicas: 1 };
    const b = previewProject(parent(), { ...BUILD, prNumber: '7', previewName: 'preview-parent-pr-7' }, NOW);
    expect(previewStatuses([b, a])).toEqual([
      {
        name: 'preview-parent-pr-42',
        prNumber: '42',
        url: 'https://feature-login.pr-42.preview-parent-pr-42.example.test',
        phase: 'running',
        readyReplicas: 1,
        lastActivity: '2026-03-01T12:00:00Z',
      },
      {
        name: 'preview-parent-pr-7',
        prNumber: '7',
        url: 'https://feature-login.pr-7.preview-parent-pr-7.example.test',
        lastActivity: '2026-03-01T12:00:00Z',
      },
    ]);
    expect(previewStatuses([])).toBeUndefined();
  });
});
