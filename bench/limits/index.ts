/**
 * `limits`: throughput at Kinesis's real per-shard limits. The emulator runs with `--shard-limits`
 * (writes 1,000 records/s and 1 MiB/s per shard), in front of kinesalite; the AWS SDK writes through
 * `startShardLimitedKinesis`, the Kinesis protocol with the very same limiter, to the same kinesalite.
 * Records/s of 100-byte records into a 1-shard and a 4-shard stream, each contender in turn; then PUT
 * payload units per million records, plain vs aggregated (computed from the codec's output sizes).
 *
 * Phase 2 rows (`put-records --aggregate`, tail reads against the 2 MiB/s read limit) are in the table
 * as "phase 2": the harness has their place, no figure is made up for them.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeRecords } from '../ingest/input.ts';
import { createStream, kproxyEnv, startEngines } from '../lib/engines.ts';
import { header, type RunInfo } from '../lib/machine.ts';
import { ensureWorkDir, kproxyBin } from '../lib/paths.ts';
import { expectSuccess, runNode, type Server, startServer } from '../lib/processes.ts';
import { int, table } from '../lib/stats.ts';
import { PAYLOAD_UNIT_BYTES, payloadUnits } from './payload-units.ts';

const CONCURRENCY = 4;
const DATA_BYTES = 100;
const SHARD_COUNTS = [1, 4] as const;
/** Enough attempts that every record gets in at the limit: a figure for a partial run would mean nothing. */
const MAX_ATTEMPTS = 1000;

interface Measured {
  readonly recordsPerSecond: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Entries sent again after a refusal. */
  readonly resent: number;
}

type Contender = 'kproxy' | 'sdk';

async function startSetup() {
  const engines = await startEngines(['--shard-limits']);
  let front: Server;
  try {
    front = await startServer(['--import', 'tsx', 'limits/limited-engine.ts', engines.engineUrl]);
  } catch (error) {
    await engines.stop();
    throw error;
  }
  return {
    ...engines,
    limitedKinesisUrl: front.url,
    stop: async () => {
      await front.stop();
      await engines.stop();
    },
  };
}

async function putWithKproxy(emulatorUrl: string, stream: string, file: string): Promise<Measured> {
  const put = expectSuccess(
    'kproxy put-records',
    await runNode(
      [
        kproxyBin,
        'put-records',
        stream,
        file,
        '--output',
        'json',
        '--concurrency',
        String(CONCURRENCY),
        '--max-attempts',
        String(MAX_ATTEMPTS),
      ],
      { env: kproxyEnv(emulatorUrl) },
    ),
  );
  const summary = JSON.parse(put.stdout) as {
    succeeded: number;
    failed: number;
    retries: number;
    seconds: number;
  };
  return {
    recordsPerSecond: summary.succeeded / summary.seconds,
    succeeded: summary.succeeded,
    failed: summary.failed,
    resent: summary.retries,
  };
}

async function putWithSdk(kinesisUrl: string, stream: string, file: string): Promise<Measured> {
  const sdk = expectSuccess(
    'sdk writer',
    await runNode([
      '--import',
      'tsx',
      'ingest/sdk-writer.ts',
      kinesisUrl,
      stream,
      file,
      String(CONCURRENCY),
      String(MAX_ATTEMPTS),
    ]),
  );
  const result = JSON.parse(sdk.stdout) as {
    succeeded: number;
    failed: number;
    resent: number;
    seconds: number;
  };
  return {
    recordsPerSecond: result.succeeded / result.seconds,
    succeeded: result.succeeded,
    failed: result.failed,
    resent: result.resent,
  };
}

export async function limits(run: RunInfo): Promise<string> {
  // About 10 s (quick: 3 s) at the limit per run; the first second is the buckets' initial burst.
  const recordsFor = (shards: number) => (run.quick ? 3_000 : 10_000) * shards;
  const dir = ensureWorkDir();
  const files = new Map<number, string>();
  for (const shards of SHARD_COUNTS) {
    const file = join(dir, `limits-${shards}.jsonl`);
    await writeRecords(file, { records: recordsFor(shards) }, DATA_BYTES);
    files.set(shards, file);
  }
  const results = new Map<string, Measured>();
  const setup = await startSetup();
  try {
    for (const shards of SHARD_COUNTS) {
      for (const who of ['kproxy', 'sdk'] as Contender[]) {
        const stream = `limits-${who}-${shards}`;
        await createStream(setup.engineUrl, stream, shards);
        const file = files.get(shards)!;
        const measured =
          who === 'kproxy'
            ? await putWithKproxy(setup.emulatorUrl, stream, file)
            : await putWithSdk(setup.limitedKinesisUrl, stream, file);
        if (measured.failed > 0 || measured.succeeded !== recordsFor(shards)) {
          throw new Error(
            `${who} on ${shards} shard(s): ${measured.succeeded} written, ${measured.failed} failed`,
          );
        }
        results.set(`${who}/${shards}`, measured);
        console.error(`  limits ${who}, ${shards} shard(s): ${int(measured.recordsPerSecond)} records/s`);
      }
    }
  } finally {
    await setup.stop();
    for (const file of files.values()) rmSync(file, { force: true });
  }

  const cell = (who: Contender, shards: number) => {
    const m = results.get(`${who}/${shards}`)!;
    return `${int(m.recordsPerSecond)} (${Math.round((m.recordsPerSecond / (1000 * shards)) * 100)} %)`;
  };
  const resent = (who: Contender) =>
    SHARD_COUNTS.map((s) => int(results.get(`${who}/${s}`)!.resent)).join(' / ');
  const writeRows = [
    [
      '`kproxy put-records FILE` → emulator `--shard-limits` → kinesalite',
      cell('kproxy', 1),
      cell('kproxy', 4),
      resent('kproxy'),
    ],
    ['`kproxy put-records --aggregate`', 'phase 2', 'phase 2', 'phase 2'],
    [
      '`@aws-sdk/client-kinesis` PutRecords loop → same limiter → kinesalite',
      cell('sdk', 1),
      cell('sdk', 4),
      resent('sdk'),
    ],
  ];
  const readRows = [
    ['`kproxy tail --no-follow`', 'phase 2', 'phase 2'],
    ['`@aws-sdk/client-kinesis` GetRecords loop → same limiter', 'phase 2', 'phase 2'],
  ];

  const sample = run.quick ? 100_000 : 1_000_000;
  // N records per shard after a burst of 1,000: at most N / (N - 1,000) of the rate over the run.
  const perShard = recordsFor(1);
  const burstCeiling = Math.round((100 * perShard) / (perShard - 1000));
  const unitRows = [1, 4].flatMap((shards) =>
    payloadUnits(sample, DATA_BYTES, shards, [1024 * 1024, PAYLOAD_UNIT_BYTES]).map((row) => [
      `${shards} shard${shards > 1 ? 's' : ''}: ${row.label}`,
      int(row.kinesisRecords),
      int(row.units),
      row.bytesPerUserRecord.toFixed(1),
      int(row.shardBound),
    ]),
  );

  return `## 6. Throughput at the shard limits

${header(run)}

Records of ${DATA_BYTES} bytes of data (partition key \`key-<n>\`, JSON Lines) into a 1-shard and a 4-shard stream
(${int(recordsFor(1))} and ${int(recordsFor(4))} records), PutRecords of 500 with ${CONCURRENCY} requests in flight, every
refused record re-sent after a backoff until all are in (\`--max-attempts ${MAX_ATTEMPTS}\`). Both contenders face
the same limiter (\`--shard-limits\`: 1,000 records/s and 1 MiB/s per shard; the buckets start full, so the first
second is a burst and a run can reach ${burstCeiling} % of the limit): kproxy through the emulator, the SDK through \`startShardLimitedKinesis\` (the Kinesis protocol
with the emulator's limiter), both ending in one kinesalite. Figures: records/s from each side's own timing,
and in brackets the share of the shards' 1,000 records/s.

${table(['writer', '1 shard: records/s', '4 shards: records/s', 'records re-sent (1 / 4 shards)'], writeRows)}

Reads against the 2 MiB/s and 5 calls/s per-shard read limit:

${table(['reader', '1 shard: share of 2 MiB/s', '4 shards: share of 2 MiB/s'], readRows)}

PUT payload units (${PAYLOAD_UNIT_BYTES / 1024} KiB chunks of each Kinesis record's data plus partition key) per million of
these records, computed from the sizes \`@kproxy/client\`'s codec writes (${int(sample)} records${run.quick ? ', scaled' : ''};
nothing sent). "per-shard bound" is what one shard takes per second at 1 MiB/s and 1,000 Kinesis records/s —
computed from the sizes, not measured:

${table(['records', 'Kinesis records', 'PUT payload units', 'bytes per user record', 'per-shard bound (user records/s)'], unitRows)}
`;
}
