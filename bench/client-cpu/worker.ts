/**
 * One contender in a process of its own: warms up, then measures the CPU time of this process
 * (`process.cpuUsage()`, user + system) over rounds of sequential calls. Prints one JSON line.
 *
 *   node --import tsx client-cpu/worker.ts <kproxy|sdk|floor> <sinkUrl> <warmup> <rounds> <callsPerRound>
 */
import { type BenchRecord, type ContenderName, contenders } from './contenders.ts';

const [name, sink, warmup, rounds, calls] = process.argv.slice(2) as [
  ContenderName,
  string,
  string,
  string,
  string,
];

// 500 small records: ~60 bytes of JSON text each, distinct partition keys.
const records: BenchRecord[] = Array.from({ length: 500 }, (_, i) => ({
  data: JSON.stringify({ event: 'page-view', user: `user-${i % 50}`, n: i }),
  partitionKey: `key-${i}`,
}));

const send = await contenders[name](sink, records);
for (let i = 0; i < Number(warmup); i++) await send();

const cpuMsPerCall: number[] = [];
const wallMsPerCall: number[] = [];
for (let round = 0; round < Number(rounds); round++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < Number(calls); i++) await send();
  const used = process.cpuUsage(cpu);
  wallMsPerCall.push((performance.now() - started) / Number(calls));
  cpuMsPerCall.push((used.user + used.system) / 1000 / Number(calls));
}
console.log(JSON.stringify({ name, cpuMsPerCall, wallMsPerCall }));
process.exit(0);
