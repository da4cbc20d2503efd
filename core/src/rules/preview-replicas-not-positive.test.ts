import { testRule } from '../../test/rule-tester';
import { previewReplicasNotPositive } from './preview-replicas-not-positive';

const repository = 'r';

testRule(previewReplicasNotPositive, {
  valid: [
    {},
    { source: { repository, preview: { overrides: { replicas: 1 }, budget: { max_replicas: 2 } } } },
  ],
  invalid: [
    {
      spec: { source: { repository, preview: { overrides: { replicas: 0 }, budget: { max_replicas: -1 } } } },
      errors: [
        {
          path: 'source.preview.overrides.replicas',
          message: 'source.preview.overrides.replicas must be > 0',
        },
        {
          path: 'source.preview.budget.max_replicas',
          message: 'source.preview.budget.max_replicas must be > 0',
        },
      ],
    },
  ],
});
