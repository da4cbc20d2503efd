import { testRule } from '../../test/rule-tester';
import { workerConcurrencyNotPositive } from './worker-concurrency-not-positive';

testRule(workerConcurrencyNotPositive, {
  valid: [{}, { worker: {} }, { worker: { concurrency: 4 } }],
  invalid: [
    {
      spec: { worker: { concurrency: 0 } },
      errors: [{ path: 'worker.concurrency', message: 'worker.concurrency must be > 0' }],
    },
    {
      spec: { worker: { concurrency: -2 } },
      errors: [{ path: 'worker.concurrency', message: 'worker.concurrency must be > 0' }],
    },
  ],
});
