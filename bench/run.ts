/**
 * `pnpm bench [--quick] [name…]`: runs the benchmarks (all, or the named ones) one after another and
 * rewrites their sections of bench/RESULTS.md. Names: cpu, bundle, start, ingest, tail, limits. `--quick` (or
 * `pnpm bench:quick`) runs smaller inputs and fewer rounds: under two minutes on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clientCpu } from './client-cpu/index.ts';
import type { RunInfo } from './lib/machine.ts';
import { builtBinDir, kproxyBin, repoDir } from './lib/paths.ts';
import { writeSection } from './lib/results.ts';

type Bench = (run: RunInfo) => Promise<string>;

// The SDK's notice that its 2027 releases will need Node 22 says nothing about these figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const BENCHES: Record<string, () => Promise<Bench>> = {
  cpu: async () => clientCpu,
  bundle: async () => (await import('./bundle/index.ts')).bundleSize,
  start: async () => (await import('./cold-start.ts')).coldStart,
  ingest: async () => (await import('./ingest/index.ts')).bulkIngest,
  tail: async () => (await import('./tail/index.ts')).tail,
  limits: async () => (await import('./limits/index.ts')).limits,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const names = args.filter((a) => !a.startsWith('-'));
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const selected = names.length ? names : Object.keys(BENCHES);
const command = `pnpm bench${quick ? ' --quick' : ''}${names.length ? ` ${names.join(' ')}` : ''}`;

// The CLI benchmarks run the built bin, as users do; build it when a fresh clone has none yet.
const usesBin = selected.some((n) => ['start', 'ingest', 'tail', 'limits'].includes(n));
if (usesBin && !existsSync(join(builtBinDir, 'kproxy.js'))) {
  console.error('building the kproxy bin (pnpm --filter @kproxy/cli build)…');
  const built = spawnSync('pnpm', ['--filter', '@kproxy/cli', 'build'], { cwd: repoDir, stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}
if (usesBin) cpSync(builtBinDir, dirname(kproxyBin), { recursive: true });

const started = performance.now();
try {
  for (const name of selected) {
    const t0 = performance.now();
    console.error(`bench ${name}${quick ? ' (quick)' : ''}…`);
    const bench = await BENCHES[name]!();
    writeSection(name, await bench({ quick, command }));
    console.error(`bench ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
} finally {
  rmSync(dirname(kproxyBin), { recursive: true, force: true });
}
console.error(
  `all done in ${((performance.now() - started) / 1000).toFixed(1)} s; tables in bench/RESULTS.md`,
);
