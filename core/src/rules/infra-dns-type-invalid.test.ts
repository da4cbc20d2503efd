import { testRule } from '../../test/rule-tester';
import { infraDnsTypeInvalid } from './infra-dns-type-invalid';

testRule(infraDnsTypeInvalid, {
  valid: [
    {},
    {
      infrastructure: {
        dns: [
          { host: 'a', type: 'A' },
          { host: 'b', type: 'CNAME' },
          { host: 'c', type: 'TXT' },
        ],
      },
    },
  ],
  invalid: [
    {
      spec: { infrastructure: { dns: [{ host: 'a', type: 'cname' }] } },
      errors: [
        {
          path: 'infrastructure.dns[0].type',
          message: 'infrastructure.dns[].type must be one of ["A", "CNAME", "TXT"]',
        },
      ],
    },
  ],
});
