import { isBlank } from './checks';
import { defineRule } from './rule';

export const sourceRepositoryEmpty = defineRule({
  code: 'source-repository-empty',
  severity: 'error',
  description: 'source.repository must not be empty.',
  check(spec, report) {
    if (spec.source && isBlank(spec.source.repository)) {
      report({ path: 'source.repository', message: 'source.repository must be non-empty' });
    }
  },
});
