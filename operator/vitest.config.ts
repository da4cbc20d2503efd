import { defineProject } from 'vitest/config';

// Unit tests in src/; integration tests (test/*.int.test.ts) start the simulated cluster themselves
// (see test/harness.ts) and run one operator process at a time, so they are generous with time.
export default defineProject({
  test: {
    name: 'operator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
