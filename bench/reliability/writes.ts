/**
 * Bulk writes under faults: `bulkPut` (in this process) and the built `kproxy put-records`, at 20 % faults
 * of every kind and under a stress of resets and timeouts; then `put-records` interrupted with SIGINT while
 * its stdin pipe stays open. For each: faults injected by kind, records lost, duplicates and how many of
 * them the proxy explains (forwarded without the answer reaching the client).
 */
import { type Emulator, startEmulator } from '../../e2e/writes/harness.ts';
import {
  bulkPutScenario,
  cliScenario,
  interruptScenario,
  type Outcome,
  type Scenario,
} from '../../e2e/writes/scenarios.ts';
import type { RunInfo } from '../lib/machine.ts';
import { ensureWorkDir, kproxyBin } from '../lib/paths.ts';
import { int, median, table } from '../lib/stats.ts';

const TWENTY_PERCENT = {
  throttle: 0.04,
  serverError: 0.04,
  resetBeforeForward: 0.03,
  resetAfterForward: 0.03,
  slowResponse: 0.02,
  partialFailure: 0.04,
};
const STRESS = { resetBeforeForward: 0.2, resetAfterForward: 0.2, slowResponse: 0.15 };
const TIMING = { timeoutMs: 4_000, slowResponseMs: 5_500 };

const SHORT: Record<string, string> = {
  throttle: '429',
  serverError: '5xx',
  resetBeforeForward: 'reset before',
  resetAfterForward: 'reset after',
  slowResponse: 'slow',
  partialFailure: 'partial',
};

function faults(outcome: Outcome): string {
  const { faults, failedEntries } = outcome.counters;
  return Object.entries(faults)
    .filter(([, n]) => n > 0)
    .map(
      ([kind, n]) =>
        `${SHORT[kind] ?? kind} ${int(n)}${kind === 'partialFailure' ? ` (${int(failedEntries)} entries)` : ''}`,
    )
    .join(' · ');
}

function row(writer: string, label: string, outcome: Outcome): string[] {
  const { audit, reported, counters } = outcome;
  return [
    writer,
    label,
    int(audit.input),
    `${int(counters.requests)}: ${faults(outcome)}`,
    int(audit.written),
    int(audit.failed),
    `**${int(audit.lost)}**`,
    int(audit.duplicates),
    `${int(audit.explained)} of ${int(audit.duplicates)}`,
    int(reported.possibleDuplicates),
    `${outcome.seconds.toFixed(1)} s`,
  ];
}

export async function bulkWrites(run: RunInfo): Promise<string> {
  const records = run.quick ? 20_000 : 100_000;
  const stressRecords = run.quick ? 5_000 : 20_000;
  const interrupts = run.quick ? 2 : 5;
  const dir = ensureWorkDir();
  const emulator: Emulator = await startEmulator(kproxyBin);
  const rows: string[][] = [];
  const exits: number[] = [];
  let interruptLost = 0;
  let interruptFed = 0;
  let interruptUnexplained = 0;
  const scenario = (name: string, n: number, rates: Scenario['rates'], seed: number): Scenario => ({
    name,
    records: n,
    rates,
    seed,
    ...TIMING,
  });
  try {
    rows.push(
      row(
        '`bulkPut`',
        '20 % faults',
        await bulkPutScenario(emulator, scenario('b20', records, TWENTY_PERCENT, 11)),
      ),
    );
    rows.push(
      row(
        '`put-records`',
        '20 % faults',
        await cliScenario(emulator, scenario('c20', records, TWENTY_PERCENT, 12), dir),
      ),
    );
    rows.push(
      row(
        '`bulkPut`',
        '55 % resets + timeouts',
        await bulkPutScenario(emulator, scenario('b55', stressRecords, STRESS, 13)),
      ),
    );
    rows.push(
      row(
        '`put-records`',
        '55 % resets + timeouts',
        await cliScenario(emulator, scenario('c55', stressRecords, STRESS, 14), dir),
      ),
    );
    for (let i = 0; i < interrupts; i++) {
      const outcome = await interruptScenario(
        emulator,
        scenario(`i${i}`, 20_000, TWENTY_PERCENT, 20 + i),
        dir,
        'SIGINT',
      );
      exits.push(outcome.exitMs);
      interruptLost += outcome.audit.lost;
      interruptFed += outcome.fed;
      interruptUnexplained += outcome.audit.duplicates - outcome.audit.explained;
    }
  } finally {
    await emulator.stop();
  }
  const head = [
    'writer',
    'faults',
    'records',
    'requests: faults injected',
    'stored',
    'reported failed',
    'lost',
    'duplicates',
    'explained',
    'possible dups reported',
    'time',
  ];
  return `### Bulk writes

Fault mix "20 %": 4 % throttled (429), 4 % server errors (500/503), 3 % reset before forwarding, 3 % reset
after forwarding (stored, answer lost), 2 % answered after the client's ${TIMING.timeoutMs / 1000} s timeout,
4 % PutRecords partial failures (entries taken out before forwarding and answered failed). "55 %": 20 %
resets before, 20 % resets after, 15 % late answers. Default settings (concurrency 4, batches of 500,
record TTL 30 s); 4 shards.

${table(head, rows)}

- *stored*: input records found in the stream; *reported failed*: in \`--failed-out\` / \`onFailure\`;
  *lost*: neither — the guarantee says 0.
- *duplicates*: copies beyond one over the stream and the failures together; *explained*: those whose
  record the proxy forwarded that many times without the answer reaching the client (a reset after
  forwarding, an answer later than the timeout, a hang-up right after the answer) — the only way a
  record can be stored twice.
- *possible dups reported*: the writer's own count (\`possibleDuplicates\`): records with a send that got
  no answer, whether or not Kinesis stored them.

\`put-records\` interrupted by SIGINT while its stdin pipe stays open (20,000 lines fed, 20 % faults),
${interrupts} runs: exit after the signal in ${int(median(exits))} ms median, ${int(Math.max(...exits))} ms at most
(target ≤ 2,000 ms); ${int(interruptLost)} of ${int(interruptFed)} fed lines lost (neither stored nor in
\`--failed-out\`); ${int(interruptUnexplained)} unexplained duplicates.`;
}
