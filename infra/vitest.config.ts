import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'infra',
    include: ['test/**/*.test.ts'],
    // Synthesizing a stack (in tests or in beforeAll hooks) takes a second or two, much longer when the
    // cores are shared with other test projects; the real `cdk synth` longer still.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
