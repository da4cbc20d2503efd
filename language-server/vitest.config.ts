import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'language-server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Protocol tests talk to the bundled server, so it is built once before them.
    globalSetup: ['test/global-setup.ts'],
  },
});
