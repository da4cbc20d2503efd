import { INSTANCE_CLASSES } from '../crd/schema';
import { defineRule } from './rule';

export const databaseInstanceClassUnknown = defineRule({
  code: 'database-instance-class-unknown',
  severity: 'error',
  description: 'database.instance_class must be one of the allowed instance classes.',
  check(spec, report) {
    const cls = spec.database?.instance_class;
    if (cls === undefined || (INSTANCE_CLASSES as readonly string[]).includes(cls)) return;
    report({
      path: 'database.instance_class',
      message: `database.instance_class must be one of: ${INSTANCE_CLASSES.join(', ')}`,
    });
  },
});
