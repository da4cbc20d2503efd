import { testRule } from '../../test/rule-tester';
import { serviceAccountNameBlank } from './service-account-name-blank';

testRule(serviceAccountNameBlank, {
  valid: [{}, { serviceAccount: { create: true } }, { serviceAccount: { create: true, name: 'orders-app' } }],
  invalid: [
    {
      spec: { serviceAccount: { create: true, name: ' ' } },
      errors: [{ path: 'serviceAccount.name', message: 'serviceAccount.name must be non-empty when set' }],
    },
  ],
});
