import { testRule } from '../../test/rule-tester';
import { infraPostgresCharset } from './infra-postgres-charset';

testRule(infraPostgresCharset, {
  valid: [{}, { infrastructure: { postgres: { tier: 'db-f1-micro', version: '16.2' } } }],
  invalid: [
    {
      spec: { infrastructure: { postgres: { tier: 'db f1', version: '' } } },
      errors: [
        {
          path: 'infrastructure.postgres.tier',
          message:
            'infrastructure.postgres.tier must contain only ASCII letters, digits, dots, underscores, and hyphens',
        },
        {
          path: 'infrastructure.postgres.version',
          message:
            'infrastructure.postgres.version must contain only ASCII letters, digits, dots, underscores, and hyphens',
        },
      ],
    },
  ],
});
