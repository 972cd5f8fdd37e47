/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `BENCH_CPU_PROF=dir pnpm bench cpu`): self time per
 * package / file and the heaviest functions, so a flame graph's story fits in a report.
 *
 *   node --import tsx tools/profile-summary.ts FILE.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

// `node --cpu-prof` also profiles helper threads (tsx's loader): pass the main thread's file (….0.001.cpuprofile).
const [file, top = '25'] = process.argv.slice(2);
if (!file || !/^\d+$/.test(top)) throw new Error('usage: profile-summary.ts FILE.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native / V8 builtins)';
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  const own = /packages\/([^/]+)\/src\/(.*)$/.exec(url);
  if (own) return `@kproxy/${own[1]} ${own[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\/.*\/bench\//, 'bench/');
}

const sum = (key: (n: Node) => string) => {
  const totals = new Map<string, number>();
  for (const [id, us] of self) {
    const k = key(byId.get(id)!);
    totals.set(k, (totals.get(k) ?? 0) + us);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
};
const print = (title: string, rows: [string, number][]) => {
  console.log(`\n${title}`);
  for (const [k, us] of rows) console.log(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
print(
  'self time by file',
  sum((n) => area(n.callFrame.url, n.callFrame.functionName)),
);
print(
  'self time by function',
  sum(
    (n) =>
      `${n.callFrame.functionName || '(anonymous)'}  ${area(n.callFrame.url, '')}:${n.callFrame.lineNumber + 1}`,
  ),
);
