import { defineRule } from './rule';

export const replicasNegative = defineRule({
  code: 'replicas-negative',
  severity: 'error',
  description: 'spec.replicas must not be negative.',
  check(spec, report) {
    if (spec.replicas !== undefined && spec.replicas < 0) {
      report({ path: 'replicas', message: 'spec.replicas must be >= 0' });
    }
  },
});
