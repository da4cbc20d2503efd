// helm lint and helm template of the operator chart with the real helm: which objects render for which
// values, what the Deployment looks like, the values validation, and that the ClusterRole matches what
// the operator declares it uses.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHART_DIR,
  CommandError,
  helm,
  REPO_ROOT,
  type RenderedObject,
  renderChart,
  withValuesFile,
} from './helm';

const NS = 'reinhardt-cloud-system';

interface Container {
  name: string;
  image: string;
  env: { name: string; value?: string; valueFrom?: unknown }[];
  ports: { name: string; containerPort: number }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  resources: Record<string, unknown>;
}
interface DeploymentSpec {
  replicas: number;
  strategy: { type: string };
  template: {
    spec: { serviceAccountName: string; securityContext: Record<string, unknown>; containers: Container[] };
  };
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

function kinds(objects: RenderedObject[]): string[] {
  return objects.map((o) => `${o.kind}${o.metadata.namespace ? ` ${o.metadata.namespace}` : ''}`).sort();
}
function one(objects: RenderedObject[], kind: string): RenderedObject {
  const found = objects.filter((o) => o.kind === kind);
  expect(found, `exactly one ${kind}`).toHaveLength(1);
  return found[0]!;
}
/** The object of `kind` named `name` (the chart renders several ClusterRoles and ClusterRoleBindings). */
function named(objects: RenderedObject[], kind: string, name: string): RenderedObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0]!;
}
function container(objects: RenderedObject[]): Container {
  return (one(objects, 'Deployment').spec as DeploymentSpec).template.spec.containers[0]!;
}
function env(objects: RenderedObject[]): Record<string, string | undefined> {
  return Object.fromEntries(container(objects).env.map((e) => [e.name, e.value]));
}

/** `group resource verb` triples (resourceNames-restricted rules are marked). */
function triples(rules: Rule[]): Set<string> {
  const out = new Set<string>();
  for (const rule of rules)
    for (const group of rule.apiGroups)
      for (const resource of rule.resources)
        for (const verb of rule.verbs)
          out.add(`${group || 'core'} ${resource} ${verb}${rule.resourceNames ? ' (named)' : ''}`);
  return out;
}

async function renderError(values: Record<string, unknown>): Promise<string> {
  try {
    await renderChart({ release: 'bad', namespace: NS, values });
  } catch (error) {
    if (error instanceof CommandError) return error.stderr;
    throw error;
  }
  throw new Error(`helm template accepted ${JSON.stringify(values)}`);
}

describe('helm lint', () => {
  it.each([
    ['default values', {}],
    [
      'namespace-scoped, 3 replicas, ServiceMonitor',
      {
        watchNamespaces: ['team-a', 'team-b'],
        replicaCount: 3,
        metrics: { serviceMonitor: { enabled: true } },
      },
    ],
    [
      'no RBAC, no metrics, no PDB',
      { rbac: { create: false }, metrics: { enabled: false }, podDisruptionBudget: { enabled: false } },
    ],
  ])('passes --strict with %s', async (_label, values) => {
    const { stdout } = await withValuesFile(values, (args) => helm(['lint', '--strict', CHART_DIR, ...args]));
    expect(stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

describe('helm template', () => {
  it('renders the operator, its RBAC, metrics Service and PDB with the defaults', async () => {
    const objects = await renderChart({ release: 'rc', namespace: NS });
    expect(kinds(objects)).toEqual([
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      `Deployment ${NS}`,
      `PodDisruptionBudget ${NS}`,
      `Role ${NS}`,
      `RoleBinding ${NS}`,
      `Service ${NS}`,
      `ServiceAccount ${NS}`,
    ]);
    const name = 'rc-reinhardt-cloud-operator';
    for (const object of objects) {
      expect(object.metadata.name.startsWith(name), object.kind).toBe(true);
      expect(object.metadata.labels?.['app.kubernetes.io/instance']).toBe('rc');
      expect(object.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    }
    const binding = named(objects, 'ClusterRoleBinding', 'rc-reinhardt-cloud-operator') as RenderedObject & {
      roleRef: { name: string };
      subjects: { name: string; namespace: string }[];
    };
    expect(binding.roleRef.name).toBe(name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name, namespace: NS }]);
    expect(one(objects, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('renders a hardened Deployment with HTTP probes, the metrics port and the operator env', async () => {
    const objects = await renderChart({
      release: 'rc',
      namespace: NS,
      values: {
        ingress: { hostSuffixes: ['apps.example.com', 'example.org'], className: 'traefik' },
        metrics: { port: 9191 },
        logging: { level: 'debug' },
        extraEnv: [{ name: 'EXTRA', value: 'x' }],
      },
    });
    const spec = one(objects, 'Deployment').spec as DeploymentSpec;
    expect(spec.replicas).toBe(1);
    expect(spec.template.spec.serviceAccountName).toBe('rc-reinhardt-cloud-operator');
    expect(spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const c = container(objects);
    expect(c.image).toBe('ghcr.io/kent8192/reinhardt-cloud-operator:0.1.0');
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.ports).toEqual([{ name: 'http', containerPort: 9191, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.resources).toMatchObject({ limits: { memory: '256Mi' } });
    expect(env(objects)).toMatchObject({
      REINHARDT_CLOUD_INGRESS_HOST_SUFFIXES: 'apps.example.com,example.org',
      REINHARDT_CLOUD_INGRESS_CLASS: 'traefik',
      REINHARDT_CLOUD_METRICS_ADDR: '0.0.0.0:9191',
      REINHARDT_CLOUD_METRICS_ENABLED: 'true',
      REINHARDT_LOG_LEVEL: 'debug',
      REINHARDT_CLOUD_LEADER_ELECTION: 'true',
      REINHARDT_CLOUD_LEASE_NAMESPACE: NS,
      REINHARDT_CLOUD_LEASE_NAME: 'rc-reinhardt-cloud-operator',
      EXTRA: 'x',
    });
    const service = one(objects, 'Service').spec as { ports: unknown[]; selector: Record<string, string> };
    expect(service.ports).toEqual([{ name: 'metrics', port: 9191, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.selector).toEqual({
      'app.kubernetes.io/name': 'reinhardt-cloud-operator',
      'app.kubernetes.io/instance': 'rc',
    });
  });

  it('sets only environment variables the operator reads', async () => {
    const source = (
      await Promise.all(
        (
          await readdir(join(REPO_ROOT, 'operator', 'src'))
        )
          .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
          .map((f) => readFile(join(REPO_ROOT, 'operator', 'src', f), 'utf8')),
      )
    ).join('\n');
    const names = container(await renderChart({ release: 'rc', namespace: NS })).env.map((e) => e.name);
    expect(names.length).toBeGreaterThan(10);
    const unread = names.filter((n) => !source.includes(`env.${n}`) && !source.includes(`'${n}'`));
    expect(unread, 'env vars the chart sets but operator/src never reads').toEqual([]);
  });

  it('adds a ServiceMonitor only when asked, and drops the Service with metrics off', async () => {
    const withMonitor = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { metrics: { serviceMonitor: { enabled: true, labels: { release: 'prom' } } } },
    });
    const monitor = one(withMonitor, 'ServiceMonitor');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata.labels?.release).toBe('prom');
    expect(monitor.spec).toMatchObject({ endpoints: [{ port: 'metrics', path: '/metrics' }] });

    const noMetrics = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { metrics: { enabled: false } },
    });
    expect(noMetrics.some((o) => o.kind === 'Service' || o.kind === 'ServiceMonitor')).toBe(false);
    expect(env(noMetrics).REINHARDT_CLOUD_METRICS_ENABLED).toBe('false');
  });

  it('binds the role per watched namespace in namespace-scoped mode', async () => {
    const objects = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { watchNamespaces: ['team-a', 'team-b'] },
    });
    expect(kinds(objects).filter((k) => k.includes('Binding'))).toEqual([
      'ClusterRoleBinding',
      'ClusterRoleBinding',
      `RoleBinding ${NS}`,
      'RoleBinding team-a',
      'RoleBinding team-b',
    ]);
    const clusterBinding = named(
      objects,
      'ClusterRoleBinding',
      'rc-reinhardt-cloud-operator-ingress-read',
    ) as RenderedObject & { roleRef: { name: string } };
    expect(clusterBinding.roleRef.name).toBe('rc-reinhardt-cloud-operator-ingress-read');
    // Namespaces are cluster-scoped: the rule is limited by name to the watched ones.
    const namespaceRule = named(
      objects,
      'ClusterRole',
      'rc-reinhardt-cloud-operator-namespaces',
    ) as RenderedObject & {
      rules: Rule[];
    };
    expect([...triples(namespaceRule.rules)].sort()).toEqual([
      'core namespaces get (named)',
      'core namespaces patch (named)',
    ]);
    expect(namespaceRule.rules[0]?.resourceNames).toEqual(['team-a', 'team-b']);
    const ingressRead = objects.find((o) => o.metadata.name === 'rc-reinhardt-cloud-operator-ingress-read') as
      | (RenderedObject & { rules: Rule[] })
      | undefined;
    expect([...triples(ingressRead?.rules ?? [])].sort()).toEqual([
      'networking.k8s.io ingresses get',
      'networking.k8s.io ingresses list',
      'networking.k8s.io ingresses watch',
    ]);
    expect(env(objects).REINHARDT_CLOUD_WATCH_NAMESPACES).toBe('team-a,team-b');
  });

  it('renders no RBAC and uses the given ServiceAccount when both are turned off', async () => {
    const objects = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { rbac: { create: false }, serviceAccount: { create: false, name: 'ops-robot' } },
    });
    expect(kinds(objects)).toEqual([`Deployment ${NS}`, `PodDisruptionBudget ${NS}`, `Service ${NS}`]);
    expect((one(objects, 'Deployment').spec as DeploymentSpec).template.spec.serviceAccountName).toBe(
      'ops-robot',
    );
  });

  it('uses a Recreate rollout and no leader-election Role without leader election', async () => {
    const objects = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { leaderElection: { enabled: false } },
    });
    expect((one(objects, 'Deployment').spec as DeploymentSpec).strategy.type).toBe('Recreate');
    expect(objects.some((o) => o.kind === 'Role')).toBe(false);
    expect(env(objects).REINHARDT_CLOUD_LEADER_ELECTION).toBe('false');
  });

  it('limits Lease renewal to the release Lease', async () => {
    const objects = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { leaderElection: { leaseName: 'ops-lease' } },
    });
    const role = one(objects, 'Role') as RenderedObject & { rules: Rule[] };
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['ops-lease'],
        verbs: ['get', 'update'],
      },
    ]);
    expect(env(objects).REINHARDT_CLOUD_LEASE_NAME).toBe('ops-lease');
  });
});

describe('values validation', () => {
  it.each([
    [{ replicaCount: 'two' }, /replicaCount.*(integer|number)/is],
    [{ replicasCount: 2 }, /additional propert.*replicasCount/is],
    [{ ingress: { hostSuffixes: ['https://apps.example.com'] } }, /hostSuffixes\/0/],
    [{ watchNamespaces: ['Team_A'] }, /watchNamespaces\/0/],
    [{ logging: { level: 'verbose' } }, /logging\/level/],
    [{ platform: 'azure' }, /platform/],
    [
      { replicaCount: 2, leaderElection: { enabled: false } },
      /replicaCount is 2 but leaderElection.enabled is false/,
    ],
    [
      { metrics: { enabled: false, serviceMonitor: { enabled: true } } },
      /serviceMonitor.enabled needs metrics.enabled=true/,
    ],
    [{ podDisruptionBudget: { minAvailable: 1 } }, /not both/],
    [
      { previews: { enabled: true }, watchNamespaces: ['team-a'] },
      /previews.enabled needs the operator to manage every namespace/,
    ],
    [{ cache: { provider: 'elasticache' } }, /cache\/provider/],
    [{ previews: { acme: { server: 'http://acme.test' } } }, /previews\/acme\/server/],
    [{ tracing: { otlpEndpoint: 'otel:4317' } }, /tracing\/otlpEndpoint/],
    [{ tenants: { quota: { pods: 'lots' } } }, /tenants\/quota\/pods/],
  ])('rejects %j with a message naming the field', async (values, message) => {
    expect(await renderError(values)).toMatch(message);
  });
});

describe('the RBAC rules', () => {
  it('cover exactly the API resources the operator client knows (operator/src/kube.ts RESOURCES)', async () => {
    const kube = await readFile(join(REPO_ROOT, 'operator', 'src', 'kube.ts'), 'utf8');
    const table = kube.slice(kube.indexOf('export const RESOURCES'), kube.indexOf('} as const'));
    const used = new Set(
      [...table.matchAll(/group:\s*'([^']*)',\s*version:\s*'[^']*',\s*plural:\s*'([^']*)'/g)].map(
        (m) => `${m[1] || 'core'} ${m[2]}`,
      ),
    );
    expect(used.size, 'resources parsed from operator/src/kube.ts').toBeGreaterThan(10);
    // Some rules exist only with the feature that needs them: the union over those value sets.
    const valueSets = [{}, { platform: 'aws' }, { platform: 'gcp' }, { previews: { enabled: true } }];
    const rendered = await Promise.all(
      valueSets.map((values) => renderChart({ release: 'rc', namespace: NS, values })),
    );
    const rules = rendered
      .flat()
      .filter((o) => o.kind === 'ClusterRole' || o.kind === 'Role')
      .flatMap((o) => (o as RenderedObject & { rules: Rule[] }).rules);
    const granted = new Set(
      [...triples(rules)].map((t) => {
        const [group, resource] = t.split(' ');
        return `${group} ${resource?.split('/')[0]}`;
      }),
    );
    // events.k8s.io/v1 Events are the same objects as core/v1 Events: granting both adds nothing.
    used.add('events.k8s.io events');
    expect([...used].filter((r) => !granted.has(r)).sort(), 'used by the operator but not granted').toEqual(
      [],
    );
    expect([...granted].filter((r) => !used.has(r)).sort(), 'granted but unknown to the operator').toEqual(
      [],
    );
  });

  it.each([
    ['onpremise', []],
    ['aws', ['elasticache.services.k8s.aws replicationgroups']],
    ['gcp', ['redis.cnrm.cloud.google.com redisinstances']],
  ])('grant the cloud cache kind only on its platform (%s)', async (platform, expected) => {
    const objects = await renderChart({ release: 'rc', namespace: NS, values: { platform } });
    const rules = (
      named(objects, 'ClusterRole', 'rc-reinhardt-cloud-operator') as RenderedObject & { rules: Rule[] }
    ).rules;
    const cloud = rules
      .filter((r) => r.apiGroups.some((g) => g.includes('elasticache') || g.includes('cnrm')))
      .flatMap((r) => r.resources.map((resource) => `${r.apiGroups[0]} ${resource}`));
    expect(cloud).toEqual(expected);
  });

  it('grant preview environments their cluster-wide rights only when previews are enabled', async () => {
    const off = await renderChart({ release: 'rc', namespace: NS });
    expect(off.some((o) => o.metadata.name === 'rc-reinhardt-cloud-operator-previews')).toBe(false);
    const on = await renderChart({ release: 'rc', namespace: NS, values: { previews: { enabled: true } } });
    const role = named(on, 'ClusterRole', 'rc-reinhardt-cloud-operator-previews') as RenderedObject & {
      rules: Rule[];
    };
    expect([...triples(role.rules)].sort()).toEqual([
      'cert-manager.io issuers create',
      'cert-manager.io issuers get',
      'cert-manager.io issuers patch',
      'core namespaces create',
      'core namespaces delete',
      'paas.reinhardt-cloud.dev projects create',
      'paas.reinhardt-cloud.dev projects delete',
    ]);
    expect(named(on, 'ClusterRoleBinding', 'rc-reinhardt-cloud-operator-previews')).toBeDefined();
    expect(env(on)).toMatchObject({
      REINHARDT_CLOUD_PREVIEW_INGRESS_CLASS: 'nginx',
      REINHARDT_CLOUD_PREVIEW_ACME_SERVER: 'https://acme-v02.api.letsencrypt.org/directory',
    });
    expect(env(off).REINHARDT_CLOUD_PREVIEW_ACME_SERVER).toBeUndefined();
    // The tenant quota as key=value pairs in key order; integers and quantities alike.
    expect(env(off).REINHARDT_CLOUD_TENANT_QUOTA).toBeUndefined();
    const sized = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { tenants: { quota: { pods: 40, 'limits.memory': '64Gi', 'requests.storage': '' } } },
    });
    expect(env(sized).REINHARDT_CLOUD_TENANT_QUOTA).toBe('limits.memory=64Gi,pods=40,requests.storage=');
    // Tracing env only with a collector endpoint (the operator turns tracing on when it is set).
    expect(env(off).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const traced = await renderChart({
      release: 'rc',
      namespace: NS,
      values: { tracing: { otlpEndpoint: 'http://otel.observability:4317' } },
    });
    expect(env(traced)).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel.observability:4317',
      OTEL_SERVICE_NAME: 'rc-reinhardt-cloud-operator',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
    expect(env(off).REINHARDT_CLOUD_KANIKO_IMAGE).toBe('gcr.io/kaniko-project/executor:v1.23.2');
  });

  it('give child objects exactly the verbs the reconcile uses (no update, no deletecollection)', async () => {
    const objects = await renderChart({ release: 'rc', namespace: NS });
    const rules = (
      named(objects, 'ClusterRole', 'rc-reinhardt-cloud-operator') as RenderedObject & { rules: Rule[] }
    ).rules;
    const projectRules = rules.filter((r) => r.apiGroups.includes('paas.reinhardt-cloud.dev'));
    expect([...triples(projectRules)].filter((t) => t.endsWith(' create') || t.endsWith(' delete'))).toEqual(
      [],
    );
    for (const rule of rules.filter((r) => !r.apiGroups.includes('paas.reinhardt-cloud.dev'))) {
      const expected = rule.resources.includes('events')
        ? ['create', 'patch']
        : ['get', 'list', 'watch', 'create', 'patch', 'delete'];
      expect(rule.verbs, rule.resources.join(',')).toEqual(expected);
    }
  });
});
