// The generated CRD against a real kube-apiserver (the shared test cluster): it must be accepted
// (structural schema, CEL rules within the cost budget) and its CEL rules and bounds must reject exactly
// what crd.md §5 says, with the same messages as validateProjectSpec. The CRD is installed under a
// throwaway API group so the operator's real `projects.paas.reinhardt-cloud.dev` is never touched.
import { spawnSync } from 'node:child_process';
import { compileProject, crdManifest, PROJECT_GROUP } from '@reinhardt-cloud/core';
import { ensureCluster, kubectlPath, uniqueName } from '@reinhardt-cloud/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const group = `${uniqueName('crdcheck')}.example.dev`;
let kubeconfig = '';

function kubectl(args: string[], input?: string) {
  const r = spawnSync(kubectlPath(), ['--kubeconfig', kubeconfig, '--request-timeout=30s', ...args], {
    input,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Server-side dry run of a Project in the throwaway group. */
function dryRun(spec: Record<string, unknown>) {
  const doc = {
    apiVersion: `${group}/v1alpha2`,
    kind: 'Project',
    metadata: { name: 't', namespace: 'default' },
    spec,
  };
  return kubectl(
    ['apply', '--validate=false', '--dry-run=server', '-o', 'json', '-f', '-'],
    JSON.stringify(doc),
  );
}

beforeAll(async () => {
  kubeconfig = (await ensureCluster()).kubeconfigPath;
  const crd = JSON.parse(JSON.stringify(crdManifest()).replaceAll(PROJECT_GROUP, group));
  const applied = kubectl(['apply', '-f', '-'], stringify(crd));
  expect(applied.out).toContain('created');
  const ready = kubectl(['wait', '--for=condition=Established', `crd/projects.${group}`, '--timeout=60s']);
  expect(ready.code, ready.out).toBe(0);
}, 180_000);

afterAll(() => {
  if (kubeconfig) kubectl(['delete', 'crd', `projects.${group}`, '--wait=false']);
});

describe('generated CRD on a real API server', () => {
  it('accepts the manifest compiled from a full reinhardt-cloud.toml and applies schema defaults', () => {
    const { project, diagnostics } = compileProject(
      '[app]\nname = "orders"\nimage = "orders:1"\n[services]\ningress_host = "o.example.com"\n[services.tls]\nenabled = true\nsecret_name = "o-tls"\n[scale]\nmin_replicas = 2\nmax_replicas = 6\nmetric = "memory"\n[database]\nengine = "postgres"\nstorage_gb = 20\n',
    );
    expect(diagnostics).toEqual([]);
    const { spec } = project!;
    const r = dryRun({ ...spec, deletion_policy: undefined });
    expect(r.code, r.out).toBe(0);
    const stored = JSON.parse(r.out) as { spec: Record<string, unknown> };
    expect(stored.spec.deletion_policy).toBe('retain'); // defaulted by the API server from the schema
    expect(stored.spec.scale).toEqual({ min_replicas: 2, max_replicas: 6, metric: 'Memory' });
  });

  it.each([
    [{ services: { tls: { cluster_issuer: 'le' } } }, 'services.tls.cluster_issuer is not supported'],
    [
      { services: { tls: { enabled: true, secret_name: 's' } } },
      'services.tls.enabled requires services.ingress_host',
    ],
    [
      { services: { ingress_host: '  ', tls: { enabled: true, secret_name: 's' } } },
      'services.tls.enabled requires services.ingress_host',
    ],
    [
      { services: { ingress_host: 'h', tls: { enabled: true } } },
      'services.tls.secret_name is required when services.tls.enabled is true',
    ],
    [{ scale: { min_replicas: 4, max_replicas: 2 } }, 'scale.max_replicas must be >= scale.min_replicas'],
    [
      { source: { repository: 'r', webhook: { enabled: true } } },
      'source.webhook.events must not be empty when webhook is enabled',
    ],
    [{ pages: { static_url: 'static' } }, "pages.static_url must start and end with '/'"],
    [{ database: { engine: 'postgresql', instance_class: 'db.t3.huge' } }, 'Unsupported value: "db.t3.huge"'],
    [{ database: { engine: 'postgresql', storage_gb: 101 } }, 'should be less than or equal to 100'],
    [{ database: { engine: 'postgres' } }, 'Unsupported value: "postgres"'],
    [{ replicas: -1 }, 'should be greater than or equal to 0'],
    [{ services: { port: 70000 } }, 'should be less than or equal to 65535'],
    [{ tenant: { organization: 'Acme' } }, 'spec.tenant.organization'],
    [
      { plugins: [{ name: 'p', wasm_dir: '/opt/x', plugin_type: 'HttpMiddleware' }] },
      'spec.plugins[0].wasm_dir',
    ],
    [{ scale: { metric: 'cpu' } }, 'Unsupported value: "cpu"'],
  ])('rejects %j', (spec, message) => {
    const r = dryRun({ image: 'x:1', ...spec });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(message);
  });
});
