import { testRule } from '../../test/rule-tester';
import { infraBucketNameInvalid } from './infra-bucket-name-invalid';

const message =
  'infrastructure.buckets[].name must contain only ASCII letters, digits, underscores, and hyphens';

testRule(infraBucketNameInvalid, {
  valid: [{}, { infrastructure: { buckets: [{ name: 'orders-assets' }, { name: 'a_b', public: true }] } }],
  invalid: [
    {
      spec: { infrastructure: { buckets: [{ name: 'ok' }, { name: 'has.dot' }, { name: '' }] } },
      errors: [
        { path: 'infrastructure.buckets[1].name', message },
        { path: 'infrastructure.buckets[2].name', message },
      ],
    },
  ],
});
