import { testRule } from '../../test/rule-tester';
import { isolationCidrInvalid } from './isolation-cidr-invalid';

testRule(isolationCidrInvalid, {
  valid: [
    {},
    { isolation: { network: { egress_allow_cidrs: ['10.0.0.0/8', '0.0.0.0/0', '::/0', '2001:db8::/32'] } } },
    { isolation: { network: { dns_allow_cidrs: ['1.1.1.1/32', '::ffff:1.2.3.4/128'] } } },
  ],
  invalid: [
    {
      spec: {
        isolation: {
          network: { egress_allow_cidrs: ['10.0.0.0/8', '10.0.0.0', '10.0.0.0/33', '300.1.1.1/8'] },
        },
      },
      errors: [
        {
          path: 'isolation.network.egress_allow_cidrs[1]',
          message: 'isolation.network.egress_allow_cidrs[1] is not valid CIDR: 10.0.0.0',
        },
        {
          path: 'isolation.network.egress_allow_cidrs[2]',
          message: 'isolation.network.egress_allow_cidrs[2] is not valid CIDR: 10.0.0.0/33',
        },
        {
          path: 'isolation.network.egress_allow_cidrs[3]',
          message: 'isolation.network.egress_allow_cidrs[3] is not valid CIDR: 300.1.1.1/8',
        },
      ],
    },
    {
      spec: { isolation: { network: { dns_allow_cidrs: ['fe80::/129', 'dns'] } } },
      errors: [
        {
          path: 'isolation.network.dns_allow_cidrs[0]',
          message: 'isolation.network.dns_allow_cidrs[0] is not valid CIDR: fe80::/129',
        },
        {
          path: 'isolation.network.dns_allow_cidrs[1]',
          message: 'isolation.network.dns_allow_cidrs[1] is not valid CIDR: dns',
        },
      ],
    },
  ],
});
