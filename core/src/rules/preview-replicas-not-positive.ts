import { defineRule } from './rule';

export const previewReplicasNotPositive = defineRule({
  code: 'preview-replicas-not-positive',
  severity: 'error',
  description: 'source.preview.overrides.replicas and source.preview.budget.max_replicas must be > 0.',
  check(spec, report) {
    const preview = spec.source?.preview;
    const replicas = preview?.overrides?.replicas;
    if (replicas !== undefined && replicas <= 0) {
      report({
        path: 'source.preview.overrides.replicas',
        message: 'source.preview.overrides.replicas must be > 0',
      });
    }
    const max = preview?.budget?.max_replicas;
    if (max !== undefined && max <= 0) {
      report({
        path: 'source.preview.budget.max_replicas',
        message: 'source.preview.budget.max_replicas must be > 0',
      });
    }
  },
});
