import { defineRule } from './rule';

export const scaleMaxReplicasBelowOne = defineRule({
  code: 'scale-max-replicas-below-one',
  severity: 'error',
  description: 'scale.max_replicas must be >= 1.',
  check(spec, report) {
    const max = spec.scale?.max_replicas;
    if (max !== undefined && max < 1)
      report({ path: 'scale.max_replicas', message: 'scale.max_replicas must be >= 1' });
  },
});
