import { testRule } from '../../test/rule-tester';
import { healthPortRange } from './health-port-range';

testRule(healthPortRange, {
  valid: [{}, { health: { port: 8000 } }],
  invalid: [
    {
      spec: { health: { port: 0 } },
      errors: [{ path: 'health.port', message: 'health.port must be between 1 and 65535' }],
    },
    {
      spec: { health: { port: 70000 } },
      errors: [{ path: 'health.port', message: 'health.port must be between 1 and 65535' }],
    },
  ],
});
