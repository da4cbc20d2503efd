import { dns1123LabelProblem } from './checks';
import { defineRule } from './rule';

export const tenantOrganizationInvalid = defineRule({
  code: 'tenant-organization-invalid',
  severity: 'error',
  description: 'spec.tenant.organization must be a DNS-1123 label.',
  check(spec, report) {
    if (!spec.tenant) return;
    const problem = dns1123LabelProblem(spec.tenant.organization);
    if (problem) report({ path: 'tenant.organization', message: `spec.tenant.organization ${problem}` });
  },
});
