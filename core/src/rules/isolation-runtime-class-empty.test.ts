import { testRule } from '../../test/rule-tester';
import { isolationRuntimeClassEmpty } from './isolation-runtime-class-empty';

testRule(isolationRuntimeClassEmpty, {
  valid: [{}, { isolation: {} }, { isolation: { runtime_class_override: 'gvisor' } }],
  invalid: [
    {
      spec: { isolation: { runtime_class_override: '' } },
      errors: [
        {
          path: 'isolation.runtime_class_override',
          message: 'isolation.runtime_class_override must be non-empty when specified',
        },
      ],
    },
  ],
});
