import { testRule } from '../../test/rule-tester';
import { tenantOrganizationInvalid } from './tenant-organization-invalid';

const err = (reason: string) => [
  { path: 'tenant.organization', message: `spec.tenant.organization ${reason}` },
];

testRule(tenantOrganizationInvalid, {
  valid: [
    {},
    { tenant: { organization: 'acme' } },
    { tenant: { organization: 'a-1' } },
    { tenant: { organization: 'a'.repeat(63) } },
  ],
  invalid: [
    { spec: { tenant: { organization: '' } }, errors: err('must not be empty') },
    {
      spec: { tenant: { organization: 'a'.repeat(64) } },
      errors: err('must be at most 63 characters, got 64'),
    },
    {
      spec: { tenant: { organization: '-acme' } },
      errors: err('must start with a lowercase alphanumeric character'),
    },
    {
      spec: { tenant: { organization: 'acme-' } },
      errors: err('must end with a lowercase alphanumeric character'),
    },
    {
      spec: { tenant: { organization: 'Acme' } },
      errors: err('must start with a lowercase alphanumeric character'),
    },
    {
      spec: { tenant: { organization: 'ac_me' } },
      errors: err('must contain only lowercase alphanumeric characters and hyphens'),
    },
  ],
});
