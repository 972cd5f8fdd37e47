import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'infra',
    include: ['test/**/*.test.ts'],
    // Synthesizing a stack takes a second or two on a shared core; the real `cdk synth` longer.
    testTimeout: 60_000,
  },
});
