import { defineProject } from 'vitest/config';

// The operator chart: helm lint/template with the real helm, and RBAC + install checks against the shared
// simulated cluster (started or reused once per run by the globalSetup).
export default defineProject({
  test: {
    name: 'charts',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['../test/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
