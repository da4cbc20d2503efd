import { testRule } from '../../test/rule-tester';
import { healthIntervalNotPositive } from './health-interval-not-positive';

testRule(healthIntervalNotPositive, {
  valid: [{}, { health: { interval_seconds: 10 } }],
  invalid: [
    {
      spec: { health: { interval_seconds: 0 } },
      errors: [{ path: 'health.interval_seconds', message: 'health.interval_seconds must be > 0' }],
    },
  ],
});
