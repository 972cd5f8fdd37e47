/**
 * Bundles a benchmark script of bench/ into one ESM file in bench/.work/ (esbuild, platform node), so
 * that the SDK side starts like the bundled `kproxy` bin does: Node plus one file, no TypeScript
 * compilation at run time. Spawn-to-exit times of both sides then compare.
 */
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { benchDir, ensureWorkDir } from './paths.ts';

export async function bundleScript(entry: string): Promise<string> {
  const outfile = join(ensureWorkDir(), basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    absWorkingDir: benchDir,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}
