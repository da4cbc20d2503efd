import { defineRule } from './rule';

export const infraBucketNameInvalid = defineRule({
  code: 'infra-bucket-name-invalid',
  severity: 'error',
  description: 'Bucket names use only [A-Za-z0-9_-] and are not blank.',
  check(spec, report) {
    (spec.infrastructure?.buckets ?? []).forEach((bucket, i) => {
      if (!/^[A-Za-z0-9_-]+$/.test(bucket.name)) {
        report({
          path: `infrastructure.buckets[${i}].name`,
          message:
            'infrastructure.buckets[].name must contain only ASCII letters, digits, underscores, and hyphens',
        });
      }
    });
  },
});
