import { testRule } from '../../test/rule-tester';
import { infraBackupRetentionNotPositive } from './infra-backup-retention-not-positive';

testRule(infraBackupRetentionNotPositive, {
  valid: [{}, { infrastructure: { postgres: { backup_retention_days: 7 } } }],
  invalid: [
    {
      spec: { infrastructure: { postgres: { backup_retention_days: 0 } } },
      errors: [
        {
          path: 'infrastructure.postgres.backup_retention_days',
          message: 'infrastructure.postgres.backup_retention_days must be > 0',
        },
      ],
    },
  ],
});
