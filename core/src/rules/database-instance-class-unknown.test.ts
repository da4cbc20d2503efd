import { testRule } from '../../test/rule-tester';
import { databaseInstanceClassUnknown } from './database-instance-class-unknown';

const db = (instance_class: string) => ({ database: { engine: 'postgresql' as const, instance_class } });
const message =
  'database.instance_class must be one of: db.t3.micro, db.t3.small, db.t3.medium, db.t3.large, db.r5.large, db-f1-micro, db-g1-small, db-custom-1-3840, db-custom-2-8192';

testRule(databaseInstanceClassUnknown, {
  valid: [{}, db('db.t3.micro'), db('db-custom-2-8192')],
  invalid: [
    { spec: db('db.t3.huge'), errors: [{ path: 'database.instance_class', message }] },
    { spec: db(''), errors: [{ path: 'database.instance_class', message }] },
  ],
});
