import { testRule } from '../../test/rule-tester';
import { infraDnsHostInvalid } from './infra-dns-host-invalid';

testRule(infraDnsHostInvalid, {
  valid: [{}, { infrastructure: { dns: [{ host: 'orders.example.com', type: 'A' }] } }],
  invalid: [
    {
      spec: { infrastructure: { dns: [{ host: '*.example.com', type: 'A' }] } },
      errors: [
        {
          path: 'infrastructure.dns[0].host',
          message: 'infrastructure.dns[].host must contain only ASCII letters, digits, dots, and hyphens',
        },
      ],
    },
  ],
});
