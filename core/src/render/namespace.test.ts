import { describe, expect, it } from 'vitest';
import { tenantNamespace } from '../rules/tenant-namespace-invalid';
import {
  labelsToApply,
  type NamespaceProject,
  namespacePolicy,
  parseTenantQuota,
  TENANT_QUOTA,
} from './namespace';

function project(name: string, spec: NamespaceProject['spec'] = {}): NamespaceProject {
  return { metadata: { name, namespace: 'ns' }, spec };
}

const isolation = { level: 'None' as const };

describe('tenantNamespace', () => {
  it.each([
    [{ organization: 'acme' }, 'tenant-acme'],
    [{ organization: 'acme', team: 'web' }, 'tenant-acme-web'],
  ])('%j → %s', (tenant, expected) => {
    expect(tenantNamespace(tenant)).toBe(expected);
  });
});

describe('namespacePolicy: tenant', () => {
  it('labels the namespace and provisions quota, default limits and network policies', () => {
    const policy = namespacePolicy('tenant-acme-web', [
      project('shop', { tenant: { organization: 'acme', team: 'web' } }),
    ]);
    expect(policy.labels).toEqual({
      'app.kubernetes.io/managed-by': 'reinhardt-cloud-operator',
      'paas.reinhardt-cloud.dev/tenant': 'acme',
      'paas.reinhardt-cloud.dev/team': 'web',
    });
    expect(policy.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ResourceQuota/tenant-default-quota',
      'LimitRange/tenant-default-limits',
      'NetworkPolicy/tenant-default-deny',
      'NetworkPolicy/tenant-allow-same-namespace',
      'NetworkPolicy/tenant-allow-ingress-controller',
    ]);
    expect(policy.objects[0]?.spec).toEqual({ hard: TENANT_QUOTA });
    for (const o of policy.objects) {
      expect(o.metadata.namespace).toBe('tenant-acme-web');
      expect(o.metadata.ownerReferences).toBeUndefined();
      expect(o.metadata.labels?.['paas.reinhardt-cloud.dev/tenant']).toBe('acme');
    }
    expect(policy.podSecurity).toBeUndefined();
  });

  it('provisions nothing for a tenant Project outside its computed namespace (render rejects it)', () => {
    const policy = namespacePolicy('default', [project('shop', { tenant: { organization: 'acme' } })]);
    expect(policy).toEqual({ namespace: 'default', labels: {}, objects: [] });
  });

  it('allows the DNS CIDRs of every Project and the configured ingress namespace', () => {
    const policy = namespacePolicy(
      'tenant-acme',
      [
        project('b', {
          tenant: { organization: 'acme' },
          isolation: { ...isolation, network: { dns_allow_cidrs: ['10.0.0.10/32'] } as never },
        }),
        project('a', { tenant: { organization: 'acme' } }),
      ] as NamespaceProject[],
      { ingressNamespace: 'traefik' },
    );
    const same = policy.objects.find((o) => o.metadata.name === 'tenant-allow-same-namespace');
    expect(JSON.stringify(same?.spec)).toContain('10.0.0.10/32');
    const ingress = policy.objects.find((o) => o.metadata.name === 'tenant-allow-ingress-controller');
    expect(JSON.stringify(ingress?.spec)).toContain('"kubernetes.io/metadata.name":"traefik"');
  });
});

describe('namespacePolicy: Pod Security labels', () => {
  const cases: [string, NamespaceProject[], string | undefined][] = [
    ['no isolated Project', [project('a'), project('b')], undefined],
    ['every Project isolated', [project('a', { isolation }), project('b', { isolation })], 'restricted'],
    [
      'a Project without isolation shares the namespace',
      [project('a', { isolation }), project('b')],
      'baseline',
    ],
    [
      'an isolated Project builds from source (Kaniko runs as root)',
      [project('a', { isolation, source: { repository: 'https://git.example.test/a.git' } as never })],
      'baseline',
    ],
  ];
  it.each(cases)('%s → enforce %s', (_name, projects, enforce) => {
    const policy = namespacePolicy('ns', projects);
    expect(policy.labels['pod-security.kubernetes.io/enforce']).toBe(enforce);
    expect(policy.podSecurity?.enforce).toBe(enforce);
    if (enforce) {
      expect(policy.labels['pod-security.kubernetes.io/warn']).toBe('restricted');
      expect(policy.labels['pod-security.kubernetes.io/audit']).toBe('restricted');
      expect(policy.labels['pod-security.kubernetes.io/enforce-version']).toBe('latest');
    }
  });

  it('does not depend on the order of the Projects', () => {
    const a = [project('a', { isolation }), project('b')];
    expect(namespacePolicy('ns', a)).toEqual(namespacePolicy('ns', [...a].reverse()));
  });
});

describe('labelsToApply', () => {
  const desired = { 'pod-security.kubernetes.io/enforce': 'baseline', 'x/y': '1' };
  it('keeps an admin label the operator did not set', () => {
    expect(labelsToApply(desired, { 'pod-security.kubernetes.io/enforce': 'restricted' }, new Set())).toEqual(
      {
        'x/y': '1',
      },
    );
  });
  it('keeps managing a label it set before', () => {
    expect(
      labelsToApply(
        desired,
        { 'pod-security.kubernetes.io/enforce': 'restricted' },
        new Set(['pod-security.kubernetes.io/enforce']),
      ),
    ).toEqual(desired);
  });
  it('shares a label that already has the wanted value', () => {
    expect(labelsToApply(desired, { 'pod-security.kubernetes.io/enforce': 'baseline' }, new Set())).toEqual(
      desired,
    );
  });
});

describe('parseTenantQuota (REINHARDT_CLOUD_TENANT_QUOTA)', () => {
  it.each([
    [undefined, TENANT_QUOTA],
    ['', TENANT_QUOTA],
    [' limits.cpu=40 , pods=200 ', { ...TENANT_QUOTA, 'limits.cpu': '40', pods: '200' }],
    ['requests.nvidia.com/gpu=4', { ...TENANT_QUOTA, 'requests.nvidia.com/gpu': '4' }],
    [
      'limits.memory=1.5Ti,requests.cpu=500m',
      { ...TENANT_QUOTA, 'limits.memory': '1.5Ti', 'requests.cpu': '500m' },
    ],
  ])('%j → the defaults with those limits', (raw, expected) => {
    expect(parseTenantQuota(raw)).toEqual(expected);
  });

  it('removes a default with an empty value', () => {
    const quota = parseTenantQuota('pods=,persistentvolumeclaims=');
    expect(quota.pods).toBeUndefined();
    expect(quota.persistentvolumeclaims).toBeUndefined();
    expect(quota['limits.cpu']).toBe('20');
  });

  it.each([['pods'], ['pods=many'], ['=4'], ['limits.cpu=4 cores'], ['Pods=4']])(
    'rejects %j naming the variable and the entry',
    (raw) => {
      expect(() => parseTenantQuota(raw)).toThrow(
        /^REINHARDT_CLOUD_TENANT_QUOTA entry 1 '.*' is not resource=quantity/,
      );
    },
  );

  it('sizes the tenant ResourceQuota', () => {
    const policy = namespacePolicy('tenant-acme', [project('a', { tenant: { organization: 'acme' } })], {
      tenantQuota: parseTenantQuota('pods=7'),
    });
    expect(policy.objects[0]?.spec).toEqual({ hard: { ...TENANT_QUOTA, pods: '7' } });
  });
});
