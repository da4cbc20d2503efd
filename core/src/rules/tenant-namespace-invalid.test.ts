import { expect, it } from 'vitest';
import { testRule } from '../../test/rule-tester';
import { tenantNamespace, tenantNamespaceInvalid } from './tenant-namespace-invalid';

const org = 'o'.repeat(40);
const team = 't'.repeat(20);

testRule(tenantNamespaceInvalid, {
  valid: [
    {},
    { tenant: { organization: 'acme', team: 'web' } },
    { tenant: { organization: 'a'.repeat(56) } },
  ],
  invalid: [
    {
      spec: { tenant: { organization: org, team } },
      errors: [
        {
          path: 'tenant',
          message: `spec.tenant namespace must be at most 63 characters, got 68 (tenant-${org}-${team})`,
        },
      ],
    },
    {
      spec: { tenant: { organization: 'a'.repeat(57) } },
      errors: [
        {
          path: 'tenant',
          message: `spec.tenant namespace must be at most 63 characters, got 64 (tenant-${'a'.repeat(57)})`,
        },
      ],
    },
  ],
});

it('composes tenant-<org>[-<team>]', () => {
  expect(tenantNamespace({ organization: 'acme' })).toBe('tenant-acme');
  expect(tenantNamespace({ organization: 'acme', team: 'web' })).toBe('tenant-acme-web');
});
