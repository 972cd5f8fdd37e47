/**
 * `pnpm bench [--quick] [name…]`: runs the benchmarks (all, or the named ones) one after another and
 * rewrites their sections of bench/RESULTS.md. Names: cpu, bundle, start, ingest, tail.
 */
import { existsSync } from 'node:fs';
import { clientCpu } from './client-cpu/index.ts';
import type { RunInfo } from './lib/machine.ts';
import { kproxyBin } from './lib/paths.ts';
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

if (!existsSync(kproxyBin) && selected.some((n) => ['start', 'ingest', 'tail'].includes(n))) {
  console.error('The kproxy bin is not built: run `pnpm --filter @kproxy/cli build` first.');
  process.exit(1);
}

const started = performance.now();
for (const name of selected) {
  const t0 = performance.now();
  console.error(`bench ${name}${quick ? ' (quick)' : ''}…`);
  const bench = await BENCHES[name]!();
  writeSection(name, await bench({ quick, command }));
  console.error(`bench ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
console.error(
  `all done in ${((performance.now() - started) / 1000).toFixed(1)} s; tables in bench/RESULTS.md`,
);
