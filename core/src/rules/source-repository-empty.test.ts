import { testRule } from '../../test/rule-tester';
import { sourceRepositoryEmpty } from './source-repository-empty';

testRule(sourceRepositoryEmpty, {
  valid: [{}, { source: { repository: 'https://github.com/acme/orders' } }],
  invalid: [
    {
      spec: { source: { repository: '' } },
      errors: [{ path: 'source.repository', message: 'source.repository must be non-empty' }],
    },
  ],
});
