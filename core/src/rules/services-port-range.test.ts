import { testRule } from '../../test/rule-tester';
import { servicesPortRange } from './services-port-range';

testRule(servicesPortRange, {
  valid: [{}, { services: { port: 80, target_port: 8000 } }],
  invalid: [
    {
      spec: { services: { port: 0, target_port: 65536 } },
      errors: [
        { path: 'services.port', message: 'services.port must be between 1 and 65535' },
        { path: 'services.target_port', message: 'services.target_port must be between 1 and 65535' },
      ],
    },
  ],
});
