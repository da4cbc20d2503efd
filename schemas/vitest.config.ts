import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'schemas',
    include: ['*.test.ts'],
    // crd.cluster.test.ts needs the shared test cluster (started or reused once per run).
    globalSetup: ['../test/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
