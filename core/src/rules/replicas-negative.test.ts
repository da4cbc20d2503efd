import { testRule } from '../../test/rule-tester';
import { replicasNegative } from './replicas-negative';

testRule(replicasNegative, {
  valid: [{}, { replicas: 0 }, { replicas: 3 }],
  invalid: [
    { spec: { replicas: -1 }, errors: [{ path: 'replicas', message: 'spec.replicas must be >= 0' }] },
  ],
});
