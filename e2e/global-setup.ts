/**
 * Builds the `kproxy` bin once for the whole e2e project, before any test file runs: test files run in
 * parallel, and two builds at once would delete each other's output under a running test.
 */
import type { TestProject } from 'vitest/node';
import { buildCliNow } from './cli/kproxy.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    kproxyCliBuilt: boolean;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  await buildCliNow();
  project.provide('kproxyCliBuilt', true);
}
