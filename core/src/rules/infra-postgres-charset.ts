import { defineRule } from './rule';

const ALLOWED = /^[A-Za-z0-9._-]+$/;

export const infraPostgresCharset = defineRule({
  code: 'infra-postgres-charset',
  severity: 'error',
  description: 'infrastructure.postgres tier and version use only [A-Za-z0-9._-] and are not blank.',
  check(spec, report) {
    const pg = spec.infrastructure?.postgres;
    if (!pg) return;
    for (const key of ['tier', 'version'] as const) {
      const value = pg[key];
      if (value !== undefined && !ALLOWED.test(value)) {
        report({
          path: `infrastructure.postgres.${key}`,
          message: `infrastructure.postgres.${key} must contain only ASCII letters, digits, dots, underscores, and hyphens`,
        });
      }
    }
  },
});
