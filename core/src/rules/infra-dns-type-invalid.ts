import { DNS_RECORD_TYPES } from '../crd/schema';
import { defineRule } from './rule';

export const infraDnsTypeInvalid = defineRule({
  code: 'infra-dns-type-invalid',
  severity: 'error',
  description: 'DNS record type is exactly A, CNAME or TXT.',
  check(spec, report) {
    (spec.infrastructure?.dns ?? []).forEach((record, i) => {
      if (!(DNS_RECORD_TYPES as readonly string[]).includes(record.type)) {
        report({
          path: `infrastructure.dns[${i}].type`,
          message: 'infrastructure.dns[].type must be one of ["A", "CNAME", "TXT"]',
        });
      }
    });
  },
});
