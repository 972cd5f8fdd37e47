/**
 * Builds the `kproxy` bundle once, before any e2e test file runs: several files spawn the built bin, and
 * a rebuild (which empties `dist/`) while another file is spawning it would fail that spawn.
 */
import { buildCli } from './kproxy.ts';

export default async function setup(): Promise<void> {
  await buildCli();
  process.env.KPROXY_E2E_CLI_BUILT = '1';
}
