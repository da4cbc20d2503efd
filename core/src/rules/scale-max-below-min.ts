import { defineRule } from './rule';

export const scaleMaxBelowMin = defineRule({
  code: 'scale-max-below-min',
  severity: 'error',
  description: 'scale.max_replicas must not be below scale.min_replicas.',
  check(spec, report) {
    const min = spec.scale?.min_replicas;
    const max = spec.scale?.max_replicas;
    if (min !== undefined && max !== undefined && max < min) {
      report({ path: 'scale.max_replicas', message: 'scale.max_replicas must be >= scale.min_replicas' });
    }
  },
});
