import { isBlank } from './checks';
import { defineRule } from './rule';

export const tlsRequiresIngressHost = defineRule({
  code: 'tls-requires-ingress-host',
  severity: 'error',
  description: 'services.tls.enabled needs a non-blank services.ingress_host.',
  check(spec, report) {
    if (spec.services?.tls?.enabled === true && isBlank(spec.services.ingress_host)) {
      report({
        path: 'services.ingress_host',
        message: 'services.tls.enabled requires services.ingress_host',
        anchors: ['services.tls.enabled'],
      });
    }
  },
});
