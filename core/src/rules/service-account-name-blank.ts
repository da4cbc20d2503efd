import { isSetButBlank } from './checks';
import { defineRule } from './rule';

export const serviceAccountNameBlank = defineRule({
  code: 'service-account-name-blank',
  severity: 'error',
  description: 'serviceAccount.name must not be blank when set.',
  check(spec, report) {
    if (isSetButBlank(spec.serviceAccount?.name)) {
      report({ path: 'serviceAccount.name', message: 'serviceAccount.name must be non-empty when set' });
    }
  },
});
