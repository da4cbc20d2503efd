import { defineRule } from './rule';

export const infraSecretNameInvalid = defineRule({
  code: 'infra-secret-name-invalid',
  severity: 'error',
  description: 'Secret names use only [A-Za-z0-9_-] and are not blank.',
  check(spec, report) {
    (spec.infrastructure?.secrets ?? []).forEach((secret, i) => {
      if (!/^[A-Za-z0-9_-]+$/.test(secret.name)) {
        report({
          path: `infrastructure.secrets[${i}].name`,
          message:
            'infrastructure.secrets[].name must contain only ASCII letters, digits, underscores, and hyphens',
        });
      }
    });
  },
});
