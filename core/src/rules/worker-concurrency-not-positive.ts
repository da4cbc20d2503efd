import { defineRule } from './rule';

export const workerConcurrencyNotPositive = defineRule({
  code: 'worker-concurrency-not-positive',
  severity: 'error',
  description: 'worker.concurrency must be > 0 when set.',
  check(spec, report) {
    const c = spec.worker?.concurrency;
    if (c !== undefined && c <= 0)
      report({ path: 'worker.concurrency', message: 'worker.concurrency must be > 0' });
  },
});
