import { defineRule } from './rule';

export const healthIntervalNotPositive = defineRule({
  code: 'health-interval-not-positive',
  severity: 'error',
  description: 'health.interval_seconds must be > 0.',
  check(spec, report) {
    const s = spec.health?.interval_seconds;
    if (s !== undefined && s <= 0) {
      report({ path: 'health.interval_seconds', message: 'health.interval_seconds must be > 0' });
    }
  },
});
