import { defineProject } from 'vitest/config';

// Type tests (`types.test.ts`) use expectTypeOf; `tsc -p tsconfig.json` at the root checks them.
export default defineProject({
  test: { name: 'client', include: ['test/**/*.test.ts'] },
});
