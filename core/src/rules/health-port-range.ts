import { isPort } from './checks';
import { defineRule } from './rule';

export const healthPortRange = defineRule({
  code: 'health-port-range',
  severity: 'error',
  description: 'health.port must be a TCP port (1..65535).',
  check(spec, report) {
    const port = spec.health?.port;
    if (port !== undefined && !isPort(port)) {
      report({ path: 'health.port', message: 'health.port must be between 1 and 65535' });
    }
  },
});
