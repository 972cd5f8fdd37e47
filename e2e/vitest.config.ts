import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    include: ['test/**/*.test.ts', 'cli/**/*.test.ts'],
    // The built `kproxy` bin, once for every file that spawns it.
    globalSetup: ['cli/build-once.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
