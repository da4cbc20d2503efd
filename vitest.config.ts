import { defineConfig } from 'vitest/config';

// One vitest run covers every package; each package is a project so its own setup stays local.
export default defineConfig({
  test: {
    projects: ['core', 'schemas', 'cli', 'language-server', 'operator', 'charts', 'test'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
