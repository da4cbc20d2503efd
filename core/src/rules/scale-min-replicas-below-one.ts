import { defineRule } from './rule';

export const scaleMinReplicasBelowOne = defineRule({
  code: 'scale-min-replicas-below-one',
  severity: 'error',
  description: 'scale.min_replicas must be >= 1.',
  check(spec, report) {
    const min = spec.scale?.min_replicas;
    if (min !== undefined && min < 1)
      report({ path: 'scale.min_replicas', message: 'scale.min_replicas must be >= 1' });
  },
});
