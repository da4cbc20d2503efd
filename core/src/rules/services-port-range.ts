import { isPort } from './checks';
import { defineRule } from './rule';

export const servicesPortRange = defineRule({
  code: 'services-port-range',
  severity: 'error',
  description: 'services.port and services.target_port must be TCP ports (1..65535).',
  check(spec, report) {
    for (const key of ['port', 'target_port'] as const) {
      const port = spec.services?.[key];
      if (port !== undefined && !isPort(port)) {
        report({ path: `services.${key}`, message: `services.${key} must be between 1 and 65535` });
      }
    }
  },
});
