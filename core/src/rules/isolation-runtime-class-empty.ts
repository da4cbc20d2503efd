import { isSetButBlank } from './checks';
import { defineRule } from './rule';

export const isolationRuntimeClassEmpty = defineRule({
  code: 'isolation-runtime-class-empty',
  severity: 'error',
  description: 'isolation.runtime_class_override must not be empty when set.',
  check(spec, report) {
    if (isSetButBlank(spec.isolation?.runtime_class_override)) {
      report({
        path: 'isolation.runtime_class_override',
        message: 'isolation.runtime_class_override must be non-empty when specified',
      });
    }
  },
});
