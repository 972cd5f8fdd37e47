import { defineConfig } from 'vitest/config';

// One test command for the whole workspace: every package keeps its own tests and config.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', '*/vitest.config.ts'],
  },
});
