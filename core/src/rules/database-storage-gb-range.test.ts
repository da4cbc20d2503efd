import { testRule } from '../../test/rule-tester';
import { databaseStorageGbRange } from './database-storage-gb-range';

const db = (storage_gb: number) => ({ database: { engine: 'postgresql' as const, storage_gb } });

testRule(databaseStorageGbRange, {
  valid: [{}, { database: { engine: 'mysql' } }, db(1), db(100)],
  invalid: [
    { spec: db(0), errors: [{ path: 'database.storage_gb', message: 'database.storage_gb must be > 0' }] },
    { spec: db(-5), errors: [{ path: 'database.storage_gb', message: 'database.storage_gb must be > 0' }] },
    {
      spec: db(101),
      errors: [{ path: 'database.storage_gb', message: 'database.storage_gb must be <= 100' }],
    },
  ],
});
