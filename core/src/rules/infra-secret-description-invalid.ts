import { defineRule } from './rule';

// Control characters or HCL metacharacters would break out of the generated Terraform string.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f"\\{}$]/;

export const infraSecretDescriptionInvalid = defineRule({
  code: 'infra-secret-description-invalid',
  severity: 'error',
  description: 'Secret descriptions must not contain control characters or any of " \\ { } $.',
  check(spec, report) {
    (spec.infrastructure?.secrets ?? []).forEach((secret, i) => {
      if (secret.description !== undefined && FORBIDDEN.test(secret.description)) {
        report({
          path: `infrastructure.secrets[${i}].description`,
          message:
            'infrastructure.secrets[].description must not contain HCL metacharacters or control characters',
        });
      }
    });
  },
});
