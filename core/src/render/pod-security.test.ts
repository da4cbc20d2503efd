// With `spec.isolation` the namespace may enforce the `restricted` Pod Security Standard (./namespace.ts), so
// every pod render produces for an isolated Project must pass it. This checks the rules of the standard
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted) on the rendered pod
// templates; operator/test/namespaces.int.test.ts shows the real API server admits them.
import { describe, expect, it } from 'vitest';
import { type ProjectSpecInput, projectSpecSchema } from '../crd/schema';
import { render } from './render';
import type { KubeObject, Observed } from './types';

type Json = Record<string, unknown>;
interface Container {
  name: string;
  securityContext?: Json;
}
interface PodSpec {
  securityContext?: Json;
  containers: Container[];
  initContainers?: Container[];
}

function podSpec(object: KubeObject): PodSpec | undefined {
  const spec = object.spec as { template?: { spec?: PodSpec } } | undefined;
  return spec?.template?.spec;
}

/** The restricted profile's violations of one pod template, as `container: rule` strings. */
function restrictedViolations(pod: PodSpec): string[] {
  const out: string[] = [];
  const podCtx = pod.securityContext ?? {};
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const ctx = c.securityContext ?? {};
    const runAsNonRoot = ctx.runAsNonRoot ?? podCtx.runAsNonRoot;
    if (runAsNonRoot !== true) out.push(`${c.name}: runAsNonRoot`);
    const user = (ctx.runAsUser ?? podCtx.runAsUser) as number | undefined;
    if (user === 0) out.push(`${c.name}: runAsUser 0`);
    if (ctx.allowPrivilegeEscalation !== false) out.push(`${c.name}: allowPrivilegeEscalation`);
    const drop = ((ctx.capabilities as { drop?: string[] } | undefined)?.drop ?? []).map((d) =>
      d.toUpperCase(),
    );
    if (!drop.includes('ALL')) out.push(`${c.name}: capabilities.drop ALL`);
    const seccomp = (ctx.seccompProfile ?? podCtx.seccompProfile) as { type?: string } | undefined;
    if (seccomp?.type !== 'RuntimeDefault' && seccomp?.type !== 'Localhost')
      out.push(`${c.name}: seccompProfile`);
    if (ctx.privileged === true) out.push(`${c.name}: privileged`);
  }
  return out;
}

const everything: ProjectSpecInput = {
  image: 'registry.example.test/shop:1.0.0',
  database: { engine: 'postgresql' },
  cache: { engine: 'redis' },
  worker: { concurrency: 2 },
  pages: {},
} as ProjectSpecInput;

function pods(spec: ProjectSpecInput, observed: Observed = {}): [string, PodSpec][] {
  const result = render(
    {
      metadata: { name: 'shop', namespace: 'ns', uid: 'u', generation: 1 },
      spec: projectSpecSchema.parse(spec),
    },
    observed,
  );
  expect(result.issues).toEqual([]);
  return result.objects.flatMap((d) => {
    const pod = podSpec(d.object);
    return pod ? [[`${d.object.kind}/${d.object.metadata.name}`, pod] as [string, PodSpec]] : [];
  });
}

describe('restricted Pod Security Standard', () => {
  it('every pod of an isolated Project passes it (web, pages, worker, migration, database, cache)', () => {
    const isolated = { ...everything, isolation: { level: 'None' } } as ProjectSpecInput;
    // A migrated revision, so that the web and worker Deployments are rendered too.
    const first = pods(isolated);
    const job = first.find(([key]) => key.startsWith('Job/'))?.[0].slice('Job/'.length);
    const migrated = pods(isolated, {
      objects: {
        [`Job/${job}`]: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: job ?? '' },
          status: { succeeded: 1 },
        },
      },
    });
    const keys = migrated.map(([key]) => key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'StatefulSet/shop-db',
        'Deployment/shop-redis',
        'Deployment/shop',
        'Deployment/shop-worker',
        `Job/${job}`,
      ]),
    );
    for (const [key, pod] of migrated) expect(restrictedViolations(pod), key).toEqual([]);
  });

  it('the check itself finds the violations of a Project without isolation', () => {
    const violations = pods(everything).flatMap(([key, pod]) =>
      restrictedViolations(pod).map((v) => `${key} ${v}`),
    );
    expect(violations).toContain('StatefulSet/shop-db postgres: runAsNonRoot');
  });
});
