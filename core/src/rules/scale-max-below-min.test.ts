import { testRule } from '../../test/rule-tester';
import { scaleMaxBelowMin } from './scale-max-below-min';

testRule(scaleMaxBelowMin, {
  valid: [
    {},
    { scale: { min_replicas: 2, max_replicas: 2 } },
    { scale: { min_replicas: 2, max_replicas: 6 } },
    { scale: { min_replicas: 9 } },
    { scale: { max_replicas: 1 } },
  ],
  invalid: [
    {
      spec: { scale: { min_replicas: 4, max_replicas: 2 } },
      errors: [{ path: 'scale.max_replicas', message: 'scale.max_replicas must be >= scale.min_replicas' }],
    },
  ],
});
