import { defineRule } from './rule';

export const scaleTargetNotPositive = defineRule({
  code: 'scale-target-not-positive',
  severity: 'error',
  description: 'scale.target_value must be > 0.',
  check(spec, report) {
    const t = spec.scale?.target_value;
    if (t !== undefined && t <= 0)
      report({ path: 'scale.target_value', message: 'scale.target_value must be > 0' });
  },
});
