import { defineRule } from './rule';

export const infraDnsHostInvalid = defineRule({
  code: 'infra-dns-host-invalid',
  severity: 'error',
  description: 'DNS record hosts use only [A-Za-z0-9.-] and are not blank.',
  check(spec, report) {
    (spec.infrastructure?.dns ?? []).forEach((record, i) => {
      if (!/^[A-Za-z0-9.-]+$/.test(record.host)) {
        report({
          path: `infrastructure.dns[${i}].host`,
          message: 'infrastructure.dns[].host must contain only ASCII letters, digits, dots, and hyphens',
        });
      }
    });
  },
});
