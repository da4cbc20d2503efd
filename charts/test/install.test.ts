// `helm install` of the operator chart into the simulated cluster, in a namespace that enforces the
// `restricted` Pod Security Standard: the release installs, kwok runs the operator pod (no real image is
// pulled), and `helm uninstall` removes the cluster-scoped RBAC again.
import { join } from 'node:path';
import {
  createTestNamespace,
  ensureCluster,
  type TestNamespace,
  uniqueName,
  waitFor,
} from '@reinhardt-cloud/test/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_DIR, helm, kubectl } from './helm';

let kubeconfig: string;
let ns: TestNamespace;
const release = uniqueName('rco').slice(0, 30);
const fullname = `${release}-reinhardt-cloud-operator`;

interface Pod {
  metadata: { name: string };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
  spec: { serviceAccountName: string; containers: { securityContext: Record<string, unknown> }[] };
}

beforeAll(async () => {
  const cluster = await ensureCluster();
  kubeconfig = cluster.kubeconfigPath;
  ns = await createTestNamespace(cluster.kubeConfig, 'charts-install');
  // Pods violating the restricted profile would be rejected at admission (the Deployment never gets a pod).
  await kubectl(kubeconfig, [
    'label',
    'namespace',
    ns.name,
    'pod-security.kubernetes.io/enforce=restricted',
    'pod-security.kubernetes.io/enforce-version=latest',
  ]);
});

afterAll(async () => {
  await helm([
    'uninstall',
    release,
    '--namespace',
    ns.name,
    '--kubeconfig',
    kubeconfig,
    '--ignore-not-found',
  ]).catch(() => undefined);
  await ns?.cleanup();
});

describe('helm install', () => {
  it('installs the CRD and the operator, whose pod runs under the restricted Pod Security Standard', async () => {
    // Helm creates CRDs from crds/ only when absent; validate the chart's CRD against the API server either way.
    await kubectl(kubeconfig, [
      'apply',
      '--server-side',
      '--dry-run=server',
      '--force-conflicts',
      '--field-manager=charts-test',
      '-f',
      join(CHART_DIR, 'crds', 'project-crd.yaml'),
    ]);
    const { stdout, stderr } = await helm(
      [
        'install',
        release,
        CHART_DIR,
        '--namespace',
        ns.name,
        '--kubeconfig',
        kubeconfig,
        '--set',
        'ingress.hostSuffixes={apps.example.test}',
        '--wait',
        '--timeout',
        '60s',
      ],
      { timeoutMs: 90_000 },
    );
    expect(stdout).toContain('STATUS: deployed');
    // The API server warns at Deployment creation when the pod template would break the namespace's policy.
    expect(stderr).not.toContain('PodSecurity');
    expect(stdout).toContain(
      `Reinhardt Cloud operator 0.1.0 is installed as ${fullname} in namespace ${ns.name}`,
    );

    const { stdout: established } = await kubectl(kubeconfig, [
      'get',
      'crd',
      'projects.paas.reinhardt-cloud.dev',
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    expect(established).toBe('True');

    const pod = await waitFor(
      'the operator pod to be Running and Ready',
      async () => {
        const { stdout: json } = await kubectl(kubeconfig, [
          'get',
          'pods',
          '-n',
          ns.name,
          '-l',
          `app.kubernetes.io/instance=${release}`,
          '-o',
          'json',
        ]);
        const pods = (JSON.parse(json) as { items: Pod[] }).items;
        const ready = pods.find(
          (p) =>
            p.status.phase === 'Running' &&
            p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready ?? false;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(pod.spec.serviceAccountName).toBe(fullname);
    expect(pod.spec.containers[0]?.securityContext).toMatchObject({ readOnlyRootFilesystem: true });

    const { stdout: kinds } = await kubectl(kubeconfig, [
      'get',
      'serviceaccount,service,deployment,poddisruptionbudget,role,rolebinding',
      '-n',
      ns.name,
      '-l',
      `app.kubernetes.io/instance=${release}`,
      '-o',
      'name',
    ]);
    expect(kinds.trim().split('\n').sort()).toEqual(
      [
        `deployment.apps/${fullname}`,
        `poddisruptionbudget.policy/${fullname}`,
        `role.rbac.authorization.k8s.io/${fullname}-leader-election`,
        `rolebinding.rbac.authorization.k8s.io/${fullname}-leader-election`,
        `service/${fullname}-metrics`,
        `serviceaccount/${fullname}`,
      ].sort(),
    );
  });

  it('removes the cluster-scoped RBAC on uninstall', async () => {
    await kubectl(kubeconfig, ['get', `clusterrole/${fullname}`, `clusterrolebinding/${fullname}`]);
    await helm([
      'uninstall',
      release,
      '--namespace',
      ns.name,
      '--kubeconfig',
      kubeconfig,
      '--wait',
      '--timeout',
      '60s',
    ]);
    const { stdout } = await kubectl(kubeconfig, [
      'get',
      `clusterrole/${fullname}`,
      `clusterrolebinding/${fullname}`,
      '--ignore-not-found',
      '-o',
      'name',
    ]);
    expect(stdout.trim()).toBe('');
  });
});
