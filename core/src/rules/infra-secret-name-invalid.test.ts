import { testRule } from '../../test/rule-tester';
import { infraSecretNameInvalid } from './infra-secret-name-invalid';

testRule(infraSecretNameInvalid, {
  valid: [{}, { infrastructure: { secrets: [{ name: 'STRIPE_KEY' }] } }],
  invalid: [
    {
      spec: { infrastructure: { secrets: [{ name: 'stripe key' }] } },
      errors: [
        {
          path: 'infrastructure.secrets[0].name',
          message:
            'infrastructure.secrets[].name must contain only ASCII letters, digits, underscores, and hyphens',
        },
      ],
    },
  ],
});
