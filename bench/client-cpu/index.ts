/**
 * 1. Client CPU per putRecords of 500 small records, against a canned-success HTTP sink in another
 * process: @kproxy/client vs the AWS SDK's PutRecordsCommand vs the floor. Contenders run one after
 * the other, each in a fresh process, twice in turn (A B C A B C) so that a drift in machine load
 * touches all of them; the figure is the median over all measured rounds.
 *
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of every worker there (open in Chrome DevTools).
 */
import { header, type RunInfo } from '../lib/machine.ts';
import { expectSuccess, runNode, startServer } from '../lib/processes.ts';
import { fixed, median, ratio, table } from '../lib/stats.ts';
import type { ContenderName } from './contenders.ts';

const LABELS: Record<ContenderName, string> = {
  kproxy: '`@kproxy/client` `putRecords` (SigV4)',
  sdk: '`@aws-sdk/client-kinesis` `PutRecordsCommand` (NodeHttpHandler)',
  floor: 'floor: JSON + base64 + SHA-256/HMAC (node:crypto) + fetch',
  floorHttp: 'floor over node:http (keep-alive agent) instead of fetch',
};

export async function clientCpu(run: RunInfo): Promise<string> {
  const [warmup, rounds, calls, passes] = run.quick ? [100, 4, 100, 2] : [300, 8, 250, 3];
  const sink = await startServer(['--import', 'tsx', 'client-cpu/sink.ts']);
  const cpu: Record<ContenderName, number[]> = { kproxy: [], sdk: [], floor: [], floorHttp: [] };
  const wall: Record<ContenderName, number[]> = { kproxy: [], sdk: [], floor: [], floorHttp: [] };
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
    : [];
  try {
    for (let pass = 0; pass < passes; pass++) {
      for (const name of Object.keys(cpu) as ContenderName[]) {
        const args = ['client-cpu/worker.ts', name, sink.url, warmup, rounds, calls].map(String);
        const done = expectSuccess(
          `cpu worker ${name}`,
          await runNode([...profile, '--import', 'tsx', ...args]),
        );
        const result = JSON.parse(done.stdout) as { cpuMsPerCall: number[]; wallMsPerCall: number[] };
        cpu[name].push(...result.cpuMsPerCall);
        wall[name].push(...result.wallMsPerCall);
        console.error(`  client-cpu ${name}: ${fixed(median(result.cpuMsPerCall), 3)} ms CPU/call`);
      }
    }
  } finally {
    await sink.stop();
  }
  const m = (name: ContenderName) => median(cpu[name]);
  const rows = (Object.keys(cpu) as ContenderName[]).map((name) => [
    LABELS[name],
    fixed(m(name), 3),
    fixed(median(wall[name]), 3),
    fixed(m(name) / m('floor')),
    fixed(m(name) / m('sdk')),
  ]);
  return `## 1. Client CPU per \`putRecords\` (500 records)

${header(run)}

Client-process CPU (user + system, \`process.cpuUsage()\`) per call of 500 records of ~60 bytes, sent one
after another to a node:http sink on 127.0.0.1 (another process) that answers a canned PutRecords
success. Each contender runs in a fresh process: ${warmup} warm-up calls, then ${rounds} rounds of ${calls}
calls, ${passes} passes in turn; median of the ${rounds * passes} rounds.

${table(['contender', 'CPU ms / call', 'wall ms / call', '× floor', '× SDK'], rows)}

- kproxy vs floor: ${ratio(m('kproxy') / m('floor'), { max: 1.5 })}
- kproxy vs SDK: ${ratio(m('kproxy') / m('sdk'), { max: 0.7 })}
- the fetch floor itself vs SDK: ${fixed(m('floor') / m('sdk'))}×; the node:http floor vs SDK: ${fixed(m('floorHttp') / m('sdk'))}×
`;
}
