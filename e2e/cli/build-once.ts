/**
 * vitest globalSetup of the e2e project: builds the `kproxy` bundle once, before any test file runs.
 * Test files that spawn the built bin run in parallel; each building it itself would delete `dist/`
 * under another file's running child. `buildCli()` is a no-op once this has run.
 */
import { BUILT_ENV, buildCli } from './kproxy.ts';

export default async function setup(): Promise<void> {
  await buildCli();
  // Inherited by the test workers, which start after global setup.
  process.env[BUILT_ENV] = '1';
}
