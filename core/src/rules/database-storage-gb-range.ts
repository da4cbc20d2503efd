import { defineRule } from './rule';

export const databaseStorageGbRange = defineRule({
  code: 'database-storage-gb-range',
  severity: 'error',
  description: 'database.storage_gb must be between 1 and 100.',
  check(spec, report) {
    const gb = spec.database?.storage_gb;
    if (gb === undefined) return;
    if (gb <= 0) report({ path: 'database.storage_gb', message: 'database.storage_gb must be > 0' });
    else if (gb > 100) report({ path: 'database.storage_gb', message: 'database.storage_gb must be <= 100' });
  },
});
