import { defineRule } from './rule';

export const infraBackupRetentionNotPositive = defineRule({
  code: 'infra-backup-retention-not-positive',
  severity: 'error',
  description: 'infrastructure.postgres.backup_retention_days must be > 0.',
  check(spec, report) {
    const days = spec.infrastructure?.postgres?.backup_retention_days;
    if (days !== undefined && days <= 0) {
      report({
        path: 'infrastructure.postgres.backup_retention_days',
        message: 'infrastructure.postgres.backup_retention_days must be > 0',
      });
    }
  },
});
