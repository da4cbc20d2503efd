import { testRule } from '../../test/rule-tester';
import { tenantTeamInvalid } from './tenant-team-invalid';

testRule(tenantTeamInvalid, {
  valid: [{ tenant: { organization: 'acme' } }, { tenant: { organization: 'acme', team: 'web' } }],
  invalid: [
    {
      spec: { tenant: { organization: 'acme', team: '' } },
      errors: [{ path: 'tenant.team', message: 'spec.tenant.team must not be empty' }],
    },
    {
      spec: { tenant: { organization: 'acme', team: 'Web' } },
      errors: [
        {
          path: 'tenant.team',
          message: 'spec.tenant.team must start with a lowercase alphanumeric character',
        },
      ],
    },
  ],
});
