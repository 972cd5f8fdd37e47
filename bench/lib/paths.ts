import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoDir = dirname(benchDir);
/** The built `kproxy` bin, as users run it. */
export const kproxyBin = join(repoDir, 'packages/cli/dist/kproxy.js');
/** Scratch space for generated inputs (gitignored); callers delete what they create. */
export const workDir = join(benchDir, '.work');

export function ensureWorkDir(): string {
  mkdirSync(workDir, { recursive: true });
  return workDir;
}
