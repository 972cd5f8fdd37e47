import { defineProject } from 'vitest/config';

export default defineProject({
  // Compiling the Java renderer (first run, or after it changed) takes a few seconds.
  test: { name: 'conformance', include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
