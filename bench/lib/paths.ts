import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoDir = dirname(benchDir);
/** Scratch space for generated inputs (gitignored); callers delete what they create. */
export const workDir = join(benchDir, '.work');
/** The built `kproxy` bin, as users run it (`pnpm --filter @kproxy/cli build`). */
export const builtBinDir = join(repoDir, 'packages/cli/dist');
/**
 * The bin the benchmarks run: a copy of `builtBinDir` taken when the run starts (see run.ts), so that a
 * rebuild during a run cannot pull the files from under it. Its one external import (kinesalite, for
 * `kproxy local`) resolves from bench/node_modules.
 */
export const kproxyBin = join(workDir, 'kproxy-dist/kproxy.js');

export function ensureWorkDir(): string {
  mkdirSync(workDir, { recursive: true });
  return workDir;
}
