import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The tests run the bundled binary; build it once per run if it is missing or older than its sources.
    globalSetup: ['test/global-setup.ts'],
  },
});
