import { isCidr } from './checks';
import { defineRule } from './rule';

export const isolationCidrInvalid = defineRule({
  code: 'isolation-cidr-invalid',
  severity: 'error',
  description: 'isolation.network egress/DNS allow-lists must hold valid CIDRs (ip/prefix).',
  check(spec, report) {
    const network = spec.isolation?.network;
    if (!network) return;
    for (const key of ['egress_allow_cidrs', 'dns_allow_cidrs'] as const) {
      (network[key] ?? []).forEach((value, i) => {
        if (!isCidr(value)) {
          report({
            path: `isolation.network.${key}[${i}]`,
            message: `isolation.network.${key}[${i}] is not valid CIDR: ${value}`,
          });
        }
      });
    }
  },
});
