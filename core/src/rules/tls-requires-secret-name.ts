import { defineRule } from './rule';

export const tlsRequiresSecretName = defineRule({
  code: 'tls-requires-secret-name',
  severity: 'error',
  description: 'services.tls.enabled needs services.tls.secret_name.',
  check(spec, report) {
    const tls = spec.services?.tls;
    if (tls?.enabled === true && (tls.secret_name === undefined || tls.secret_name === '')) {
      report({
        path: 'services.tls.secret_name',
        message: 'services.tls.secret_name is required when services.tls.enabled is true',
        anchors: ['services.tls.enabled'],
      });
    }
  },
});
