import { testRule } from '../../test/rule-tester';
import { scaleMaxReplicasBelowOne } from './scale-max-replicas-below-one';

testRule(scaleMaxReplicasBelowOne, {
  valid: [{}, { scale: { max_replicas: 1 } }],
  invalid: [
    {
      spec: { scale: { max_replicas: 0 } },
      errors: [{ path: 'scale.max_replicas', message: 'scale.max_replicas must be >= 1' }],
    },
  ],
});
