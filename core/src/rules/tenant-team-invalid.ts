import { dns1123LabelProblem } from './checks';
import { defineRule } from './rule';

export const tenantTeamInvalid = defineRule({
  code: 'tenant-team-invalid',
  severity: 'error',
  description: 'spec.tenant.team must be a DNS-1123 label when set.',
  check(spec, report) {
    if (spec.tenant?.team === undefined) return;
    const problem = dns1123LabelProblem(spec.tenant.team);
    if (problem) report({ path: 'tenant.team', message: `spec.tenant.team ${problem}` });
  },
});
