import { testRule } from '../../test/rule-tester';
import { infraSecretDescriptionInvalid } from './infra-secret-description-invalid';

const message =
  'infrastructure.secrets[].description must not contain HCL metacharacters or control characters';

testRule(infraSecretDescriptionInvalid, {
  valid: [
    {},
    { infrastructure: { secrets: [{ name: 'a', description: 'Application-managed secret reference' }] } },
  ],
  invalid: [
    {
      spec: {
        infrastructure: {
          secrets: [
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${...} is the invalid input under test
            { name: 'a', description: 'uses ${var}' },
            { name: 'b', description: 'line\nbreak' },
            { name: 'c', description: 'quote "x"' },
          ],
        },
      },
      errors: [
        { path: 'infrastructure.secrets[0].description', message },
        { path: 'infrastructure.secrets[1].description', message },
        { path: 'infrastructure.secrets[2].description', message },
      ],
    },
  ],
});
