import { testRule } from '../../test/rule-tester';
import { scaleMinReplicasBelowOne } from './scale-min-replicas-below-one';

testRule(scaleMinReplicasBelowOne, {
  valid: [{}, { scale: {} }, { scale: { min_replicas: 1 } }],
  invalid: [
    {
      spec: { scale: { min_replicas: 0 } },
      errors: [{ path: 'scale.min_replicas', message: 'scale.min_replicas must be >= 1' }],
    },
  ],
});
