// What the operator sets on a namespace as a whole, from every Project living in it (operator.md §10, §11.2):
// tenant labels and guardrails (`spec.tenant`) and the Pod Security Standard labels (`spec.isolation`).
//
// Several Projects share one namespace, so this is computed from all of them together rather than per
// Project: a per-Project apply would flip the labels back and forth between Projects that disagree.
import type { ProjectSpec } from '../crd';
import { tenantNamespace } from '../rules/tenant-namespace-invalid';
import { GROUP, MANAGED_BY } from './names';
import type { KubeObject } from './types';

export const TENANT_LABEL = `${GROUP}/tenant`;
export const TEAM_LABEL = `${GROUP}/team`;
/** Marks the namespace-wide objects below: shared by every Project of the namespace, owned by none. */
export const NAMESPACE_POLICY_LABEL = `${GROUP}/namespace-policy`;

export const POD_SECURITY_PREFIX = 'pod-security.kubernetes.io/';
const PSS_MODES = ['enforce', 'audit', 'warn'] as const;

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** A Project as the namespace policy needs it (a full Project object fits). */
export interface NamespaceProject {
  metadata: { name: string; namespace?: string };
  spec: Pick<ProjectSpec, 'tenant' | 'isolation' | 'source'>;
}

export interface NamespacePolicy {
  namespace: string;
  /** Labels the operator owns on the Namespace (an empty map releases every label it set before). */
  labels: Record<string, string>;
  /** Namespace-wide objects (tenant quota, default limits, network policies); no owner references. */
  objects: KubeObject[];
  /** Why the enforced Pod Security level is what it is (logged and documented; `undefined` without isolation). */
  podSecurity?: { enforce: PodSecurityLevel; reason: string };
}

/** The namespace-wide quota every tenant namespace gets (operator.md §10). */
export const TENANT_QUOTA: Readonly<Record<string, string>> = {
  'requests.cpu': '10',
  'requests.memory': '20Gi',
  'limits.cpu': '20',
  'limits.memory': '40Gi',
  persistentvolumeclaims: '20',
  'requests.storage': '200Gi',
  pods: '100',
};

/**
 * `REINHARDT_CLOUD_TENANT_QUOTA`: `resource=quantity` pairs separated by commas, laid over `TENANT_QUOTA`;
 * `resource=` (empty) removes a default. Throws a message naming the variable and the bad entry.
 */
export function parseTenantQuota(raw: string | undefined): Record<string, string> {
  const quota: Record<string, string> = { ...TENANT_QUOTA };
  for (const [index, part] of (raw ?? '').split(',').entries()) {
    const entry = part.trim();
    if (!entry) continue;
    const match = /^([a-z0-9]([a-z0-9./-]*[a-z0-9])?)=(.*)$/.exec(entry);
    const value = match?.[3]?.trim() ?? '';
    if (!match || (value !== '' && !QUANTITY.test(value)))
      throw new Error(
        `REINHARDT_CLOUD_TENANT_QUOTA entry ${index + 1} '${entry}' is not resource=quantity (e.g. limits.cpu=40,requests.memory=64Gi,pods=200; 'pods=' removes a default)`,
      );
    const resource = match[1] as string;
    if (value === '') delete quota[resource];
    else quota[resource] = value;
  }
  return quota;
}

/** A Kubernetes quantity: a decimal number with an optional binary or decimal suffix. */
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/**
 * Default container requests and limits in tenant namespaces. The quota above constrains requests and limits
 * of cpu and memory, and the API server then rejects every pod that does not declare them (database and
 * cache pods, a user's debug pod); this LimitRange fills them in. The original had the quota without it.
 */
const TENANT_CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  default: { cpu: '1', memory: '1Gi' },
};

const DNS_PORTS = [
  { protocol: 'UDP', port: 53 },
  { protocol: 'TCP', port: 53 },
];

function tenantObjects(
  namespace: string,
  tenant: { organization: string; team?: string | undefined },
  dnsAllowCidrs: readonly string[],
  ingressNamespace: string,
  quota: Readonly<Record<string, string>>,
): KubeObject[] {
  const labels: Record<string, string> = {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': 'reinhardt-cloud',
    [NAMESPACE_POLICY_LABEL]: 'tenant',
    [TENANT_LABEL]: tenant.organization,
  };
  if (tenant.team) labels[TEAM_LABEL] = tenant.team;
  const metadata = (name: string) => ({ name, namespace, labels: { ...labels } });
  const allPods = {};
  const dnsPeers = [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
    ...dnsAllowCidrs.map((cidr) => ({ ipBlock: { cidr } })),
  ];
  return [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata('tenant-default-quota'),
      spec: { hard: { ...quota } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: metadata('tenant-default-limits'),
      spec: { limits: [{ type: 'Container', ...structuredClone(TENANT_CONTAINER_DEFAULTS) }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('tenant-default-deny'),
      spec: { podSelector: allPods, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('tenant-allow-same-namespace'),
      spec: {
        podSelector: allPods,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }, { to: dnsPeers, ports: DNS_PORTS }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata('tenant-allow-ingress-controller'),
      spec: {
        podSelector: allPods,
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingressNamespace } } },
            ],
          },
        ],
      },
    },
  ];
}

export interface NamespacePolicyOptions {
  /** Namespace of the ingress controller, allowed in by the tenant policy. Default `ingress-nginx`. */
  ingressNamespace?: string;
  /** The tenant ResourceQuota's `hard` limits; default `TENANT_QUOTA` (`REINHARDT_CLOUD_TENANT_QUOTA`). */
  tenantQuota?: Readonly<Record<string, string>>;
}

/**
 * The policy of `namespace` given the Projects in it that are not being deleted and passed validation.
 * Pure and order-independent (Projects are sorted by name), so every reconcile of any Project in the
 * namespace computes the same result.
 */
export function namespacePolicy(
  namespace: string,
  projects: readonly NamespaceProject[],
  options: NamespacePolicyOptions = {},
): NamespacePolicy {
  const sorted = [...projects].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const labels: Record<string, string> = {};
  const objects: KubeObject[] = [];

  // A tenant Project outside its computed namespace is rejected by render and provisions nothing here.
  const tenantProject = sorted.find(
    (p) => p.spec.tenant?.organization && tenantNamespace(p.spec.tenant) === namespace,
  );
  const tenant = tenantProject?.spec.tenant;
  if (tenant) {
    labels['app.kubernetes.io/managed-by'] = MANAGED_BY;
    labels[TENANT_LABEL] = tenant.organization;
    if (tenant.team) labels[TEAM_LABEL] = tenant.team;
    const dnsAllowCidrs = [
      ...new Set(sorted.flatMap((p) => p.spec.isolation?.network?.dns_allow_cidrs ?? [])),
    ].sort();
    objects.push(
      ...tenantObjects(
        namespace,
        tenant,
        dnsAllowCidrs,
        options.ingressNamespace ?? 'ingress-nginx',
        options.tenantQuota ?? TENANT_QUOTA,
      ),
    );
  }

  let podSecurity: NamespacePolicy['podSecurity'];
  const isolated = sorted.filter((p) => p.spec.isolation != null);
  if (isolated.length > 0) {
    // `restricted` is enforced only when it cannot break a Project of this namespace: every Project's pods are
    // hardened only when that Project asks for isolation, and Kaniko (source builds) must run as root.
    // Otherwise `baseline` is enforced and `restricted` stays audited and warned about.
    const plain = sorted.filter((p) => p.spec.isolation == null).map((p) => p.metadata.name);
    const builders = isolated.filter((p) => p.spec.source != null).map((p) => p.metadata.name);
    let enforce: PodSecurityLevel = 'restricted';
    let reason = `every Project in ${namespace} sets spec.isolation`;
    if (plain.length > 0) {
      enforce = 'baseline';
      reason = `Projects without spec.isolation share the namespace (${plain.join(', ')})`;
    } else if (builders.length > 0) {
      enforce = 'baseline';
      reason = `source builds run Kaniko as root (${builders.join(', ')})`;
    }
    for (const mode of PSS_MODES) {
      labels[`${POD_SECURITY_PREFIX}${mode}`] = mode === 'enforce' ? enforce : 'restricted';
      labels[`${POD_SECURITY_PREFIX}${mode}-version`] = 'latest';
    }
    podSecurity = { enforce, reason };
  }

  const policy: NamespacePolicy = { namespace, labels, objects };
  if (podSecurity) policy.podSecurity = podSecurity;
  return policy;
}

/**
 * Removes the labels someone else already set on the namespace (a cluster admin's Pod Security level, a
 * platform's tenant labels): the operator never overrides or weakens them, it only fills in what is unset.
 * `ownLabels` are the keys the operator applied before (its managed fields), which it keeps managing.
 */
export function labelsToApply(
  desired: Record<string, string>,
  current: Record<string, string>,
  ownLabels: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (key in current && !ownLabels.has(key) && current[key] !== value) continue;
    out[key] = value;
  }
  return out;
}
