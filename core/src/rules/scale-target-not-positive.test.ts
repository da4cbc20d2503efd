import { testRule } from '../../test/rule-tester';
import { scaleTargetNotPositive } from './scale-target-not-positive';

testRule(scaleTargetNotPositive, {
  valid: [{}, { scale: { target_value: 70 } }],
  invalid: [
    {
      spec: { scale: { target_value: 0 } },
      errors: [{ path: 'scale.target_value', message: 'scale.target_value must be > 0' }],
    },
  ],
});
