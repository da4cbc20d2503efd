// Applies the namespace-wide policy (core `namespacePolicy`: tenant labels and guardrails, Pod Security labels)
// of a namespace whenever one of its Projects is reconciled or deleted. The policy is computed from every
// Project of the namespace, applied with a field manager of its own, and memoized by hash, so an idle resync
// writes nothing and Projects that share a namespace never undo each other's labels.
import { createHash } from 'node:crypto';
import {
  type KubeObject,
  labelsToApply,
  type NamespacePolicy,
  type NamespacePolicyOptions,
  type NamespaceProject,
  namespacePolicy,
} from '@reinhardt-cloud/core';
import { type KubeClient, RESOURCES } from './kube';
import type { Logger } from './log';

/** Separate from the Project children's manager: the Namespace and the tenant objects belong to no Project. */
export const NAMESPACE_FIELD_MANAGER = 'reinhardt-cloud-operator-namespace';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsV1?: { 'f:metadata'?: { 'f:labels'?: Record<string, unknown> } };
}

/** Label keys a field manager owns on an object, from its managedFields. */
export function labelsOwnedBy(object: KubeObject, manager: string): Set<string> {
  const entries = (object.metadata.managedFields as ManagedFieldsEntry[] | undefined) ?? [];
  const keys = new Set<string>();
  for (const entry of entries) {
    if (entry.manager !== manager || entry.operation !== 'Apply') continue;
    for (const field of Object.keys(entry.fieldsV1?.['f:metadata']?.['f:labels'] ?? {}))
      if (field.startsWith('f:')) keys.add(field.slice(2));
  }
  return keys;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The three spec fields the policy reads, taken from the raw cached object. This runs for every Project of
 * the namespace on every reconcile, so it does not parse whole specs; a malformed field counts as absent
 * (that Project's own reconcile reports it and applies nothing).
 */
function policyFields(spec: unknown): NamespaceProject['spec'] {
  const out: Record<string, unknown> = {};
  if (!isObject(spec)) return out;
  const tenant = spec.tenant;
  if (isObject(tenant) && typeof tenant.organization === 'string') {
    out.tenant =
      typeof tenant.team === 'string'
        ? { organization: tenant.organization, team: tenant.team }
        : { organization: tenant.organization };
  }
  if (isObject(spec.isolation)) {
    const network = spec.isolation.network;
    const cidrs = isObject(network) && Array.isArray(network.dns_allow_cidrs) ? network.dns_allow_cidrs : [];
    out.isolation = { network: { dns_allow_cidrs: cidrs.filter((c) => typeof c === 'string') } };
  }
  if (isObject(spec.source)) out.source = spec.source;
  return out as NamespaceProject['spec'];
}

export interface NamespacePoliciesOptions {
  client: KubeClient;
  log: Logger;
  /** Projects of a namespace, from the informer cache. */
  projectsIn: (namespace: string) => KubeObject[];
  ingressNamespace?: string;
  tenantQuota?: Readonly<Record<string, string>> | undefined;
}

export class NamespacePolicies {
  /** Namespace → hash of the policy last applied by this process. */
  private readonly applied = new Map<string, string>();
  /** One sync per namespace at a time: Projects of one namespace are reconciled by different workers. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly options: NamespacePoliciesOptions) {}

  /** Computes and applies the policy of `namespace`; `excluding` is a Project being deleted. */
  async sync(namespace: string, excluding?: string): Promise<NamespacePolicy> {
    const previous = this.inFlight.get(namespace);
    if (previous) await previous.catch(() => undefined);
    const policy = this.compute(namespace, excluding);
    const run = this.apply(policy, excluding !== undefined);
    this.inFlight.set(namespace, run);
    try {
      await run;
    } finally {
      if (this.inFlight.get(namespace) === run) this.inFlight.delete(namespace);
    }
    return policy;
  }

  compute(namespace: string, excluding?: string): NamespacePolicy {
    const projects: NamespaceProject[] = [];
    for (const object of this.options.projectsIn(namespace)) {
      if (object.metadata.deletionTimestamp || object.metadata.name === excluding) continue;
      projects.push({ metadata: object.metadata, spec: policyFields(object.spec) });
    }
    const options: NamespacePolicyOptions = {};
    if (this.options.ingressNamespace) options.ingressNamespace = this.options.ingressNamespace;
    if (this.options.tenantQuota) options.tenantQuota = this.options.tenantQuota;
    return namespacePolicy(namespace, projects, options);
  }

  /** `releasing`: a Project is being deleted, so labels it needed may have to go even after a restart. */
  private async apply(policy: NamespacePolicy, releasing: boolean): Promise<void> {
    const { client, log } = this.options;
    const { namespace } = policy;
    const hash = createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 20);
    if (this.applied.get(namespace) === hash) return;
    const empty = Object.keys(policy.labels).length === 0 && policy.objects.length === 0;
    if (empty && !releasing && !this.applied.has(namespace)) {
      // The common namespace without tenant or isolation: no request at all. A policy applied earlier is
      // released through the finalizer of the Project that needed it (see Controller.finalize).
      this.applied.set(namespace, hash);
      return;
    }
    const current = await client.get(RESOURCES.Namespace, '', namespace);
    if (!current) return;
    const owned = labelsOwnedBy(current, NAMESPACE_FIELD_MANAGER);
    if (empty && owned.size === 0) {
      this.applied.set(namespace, hash);
      return;
    }
    const labels = labelsToApply(policy.labels, current.metadata.labels ?? {}, owned);
    const skipped = Object.keys(policy.labels).filter((k) => !(k in labels));
    if (skipped.length > 0)
      log.info('namespace labels set by someone else are left as they are', { namespace, labels: skipped });
    // An apply with fewer labels releases the ones this manager no longer lists: the API server removes
    // them when no other manager owns them.
    await client.apply(
      RESOURCES.Namespace,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
      NAMESPACE_FIELD_MANAGER,
    );
    for (const object of policy.objects) {
      const resource = RESOURCES[object.kind as 'ResourceQuota' | 'LimitRange' | 'NetworkPolicy'];
      await client.apply(resource, object, NAMESPACE_FIELD_MANAGER);
    }
    log.info('namespace policy applied', {
      namespace,
      labels: Object.keys(labels).length,
      objects: policy.objects.map((o) => `${o.kind}/${o.metadata.name}`),
      podSecurityEnforce: policy.podSecurity?.enforce,
      podSecurityReason: policy.podSecurity?.reason,
    });
    this.applied.set(namespace, hash);
  }
}
