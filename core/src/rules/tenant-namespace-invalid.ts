import { dns1123LabelProblem } from './checks';
import { defineRule } from './rule';

/** `tenant-<organization>[-<team>]`: the namespace a tenant's Projects must live in (crd.md §3.17). */
export function tenantNamespace(tenant: { organization: string; team?: string | undefined }): string {
  return tenant.team === undefined
    ? `tenant-${tenant.organization}`
    : `tenant-${tenant.organization}-${tenant.team}`;
}

export const tenantNamespaceInvalid = defineRule({
  code: 'tenant-namespace-invalid',
  severity: 'error',
  description: 'The composed tenant namespace must itself be a DNS-1123 label (at most 63 characters).',
  check(spec, report) {
    const tenant = spec.tenant;
    if (!tenant) return;
    // Only meaningful when the parts are valid; otherwise the part rules already explain the problem.
    if (dns1123LabelProblem(tenant.organization)) return;
    if (tenant.team !== undefined && dns1123LabelProblem(tenant.team)) return;
    const namespace = tenantNamespace(tenant);
    const problem = dns1123LabelProblem(namespace);
    if (problem) report({ path: 'tenant', message: `spec.tenant namespace ${problem} (${namespace})` });
  },
});
