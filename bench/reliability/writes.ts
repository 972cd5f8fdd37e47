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
  FAULT_MIXES,
  interruptScenario,
  type Outcome,
  type Scenario,
} from '../../e2e/writes/scenarios.ts';
import type { RunInfo } from '../lib/machine.ts';
import { ensureWorkDir, kproxyBin } from '../lib/paths.ts';
import { int, median, table } from '../lib/stats.ts';

/**
 * A request timeout well above the emulator's latency, so that timeouts come from the injected late
 * answers, not from a busy machine (the `unanswered` column shows any that do).
 */
const TIMING = { timeoutMs: 10_000, slowResponseMs: 11_500 };

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

function row(writer: string, mix: string, outcome: Outcome): string[] {
  const { audit, reported, counters } = outcome;
  const unanswered = counters.unanswered.requests + counters.hungUpAfterAnswer.requests;
  return [
    writer,
    mix,
    int(audit.input),
    `${int(counters.requests)}: ${faults(outcome)}`,
    int(unanswered),
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
  const scenario = (name: string, n: number, mix: keyof typeof FAULT_MIXES, seed: number): Scenario => ({
    name,
    records: n,
    rates: FAULT_MIXES[mix],
    seed,
    ...TIMING,
  });
  const runs = [
    ['`bulkPut`', '20 %', (e: Emulator) => bulkPutScenario(e, scenario('b20', records, 'twentyPercent', 11))],
    [
      '`put-records`',
      '20 %',
      (e: Emulator) => cliScenario(e, scenario('c20', records, 'twentyPercent', 12), dir),
    ],
    ['`bulkPut`', '55 %', (e: Emulator) => bulkPutScenario(e, scenario('b55', stressRecords, 'stress', 13))],
    [
      '`put-records`',
      '55 %',
      (e: Emulator) => cliScenario(e, scenario('c55', stressRecords, 'stress', 14), dir),
    ],
  ] as const;

  const emulator = await startEmulator(kproxyBin);
  const rows: string[][] = [];
  const exits: number[] = [];
  const interrupted = { fed: 0, lost: 0, unexplained: 0 };
  try {
    for (const [writer, mix, scenarioRun] of runs) rows.push(row(writer, mix, await scenarioRun(emulator)));
    for (let i = 0; i < interrupts; i++) {
      const outcome = await interruptScenario(
        emulator,
        { ...scenario(`i${i}`, 20_000, 'twentyPercent', 20 + i), timeoutMs: 4_000, slowResponseMs: 5_500 },
        dir,
        'SIGINT',
      );
      exits.push(outcome.exitMs);
      interrupted.fed += outcome.fed;
      interrupted.lost += outcome.audit.lost;
      interrupted.unexplained += outcome.audit.duplicates - outcome.audit.explained;
    }
  } finally {
    await emulator.stop();
  }
  const head = [
    'writer',
    'faults',
    'records',
    'requests: faults injected',
    'unanswered',
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

- *unanswered*: forwarded requests whose answer did not reach the writer — the injected resets after
  forwarding and late answers, plus any request the writer gave up on by itself (a timeout on a busy
  machine) or hung up on right after its answer.
- *stored*: input records found in the stream; *reported failed*: in \`--failed-out\` / \`onFailure\`;
  *lost*: neither — the guarantee says 0.
- *duplicates*: copies beyond one over the stream and the failures together; *explained*: those whose
  record was in that many unanswered requests — the only way a record can be stored twice.
- *possible dups reported*: the writer's own count (\`possibleDuplicates\`): records with a send that got
  no answer, whether or not Kinesis stored them (a record stored three times counts once here, twice in
  *duplicates*).

\`put-records\` interrupted by SIGINT while its stdin pipe stays open (20,000 lines fed, 20 % faults, 4 s
timeout), ${interrupts} runs: exit after the signal in ${int(median(exits))} ms median, ${int(Math.max(...exits))} ms at
most (target ≤ 2,000 ms); ${int(interrupted.lost)} of ${int(interrupted.fed)} fed lines lost (neither stored nor in
\`--failed-out\`); ${int(interrupted.unexplained)} unexplained duplicates.`;
}
