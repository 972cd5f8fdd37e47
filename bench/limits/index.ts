/**
 * `limits`: throughput at Kinesis's real per-shard limits, in one run side by side. The emulator runs
 * with `--shard-limits` (writes 1,000 records/s and 1 MiB/s, reads 5 calls/s and 2 MiB/s per shard) in
 * front of kinesalite; the AWS SDK talks to `startShardLimitedKinesis`, the Kinesis protocol with the
 * very same limiter, in front of the same kinesalite.
 *
 * - writes (`writes.ts`): records/s of 100-byte records into a 1-shard and a 4-shard stream —
 *   `put-records`, `put-records --aggregate`, the SDK's PutRecords loop;
 * - reads (`reads.ts`): a backlog of aggregated records read to its end by `kproxy tail` and by the
 *   SDK's GetRecords loop, as a share of the 2 MiB/s read limit;
 * - PUT payload units per million records, plain vs aggregated: computed from the codec's sizes
 *   (`payload-units.ts`), and measured (the Kinesis records the aggregated runs stored).
 */
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { writeRecords } from '../ingest/input.ts';
import { bundleScript } from '../lib/bundle-script.ts';
import { createStream, startEngines } from '../lib/engines.ts';
import { header, type RunInfo } from '../lib/machine.ts';
import { ensureWorkDir } from '../lib/paths.ts';
import { type Server, startServer } from '../lib/processes.ts';
import { int, table } from '../lib/stats.ts';
import { PAYLOAD_UNIT_BYTES, payloadUnits } from './payload-units.ts';
import { type Backlog, fillBacklog, type ReadMeasure, readWithSdk, tailWithKproxy } from './reads.ts';
import { CONCURRENCY, MAX_ATTEMPTS, putWithKproxy, putWithSdk, type WriteMeasure } from './writes.ts';

const DATA_BYTES = 100;
const SHARD_COUNTS = [1, 4] as const;
/** User record sizes of the read backlog: the write benchmark's, and 1 KB. */
const READ_RECORD_BYTES = [100, 1000] as const;
const AGGREGATE_BYTES = 25_000;
const MiB = 1024 * 1024;

type Writer = 'plain' | 'aggregate' | 'sdk';
const WRITERS: readonly Writer[] = ['plain', 'aggregate', 'sdk'];

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
type Setup = Awaited<ReturnType<typeof startSetup>>;

/** About 10 s (quick: 3 s) at the limit per run, each writer at its own limit. */
function recordsFor(writer: Writer, shards: number, quick: boolean): number {
  const seconds = quick ? 3 : 10;
  // Aggregated, a shard takes ~8,800 records of 100 bytes a second (1 MiB/s), not 1,000.
  return (writer === 'aggregate' ? 9_000 : 1_000) * seconds * shards;
}

async function measureWrites(setup: Setup, run: RunInfo) {
  const dir = ensureWorkDir();
  const results = new Map<string, WriteMeasure>();
  for (const shards of SHARD_COUNTS) {
    for (const writer of WRITERS) {
      const records = recordsFor(writer, shards, run.quick);
      const file = join(dir, `limits-${writer}-${shards}.jsonl`);
      await writeRecords(file, { records }, DATA_BYTES);
      const stream = `limits-${writer}-${shards}`;
      await createStream(setup.engineUrl, stream, shards);
      try {
        const measured =
          writer === 'sdk'
            ? await putWithSdk(setup.limitedKinesisUrl, stream, file)
            : await putWithKproxy(setup.emulatorUrl, stream, file, writer === 'aggregate');
        if (measured.failed > 0 || measured.succeeded !== records) {
          throw new Error(
            `${writer} on ${shards} shard(s): ${measured.succeeded} written, ${measured.failed} failed`,
          );
        }
        results.set(`${writer}/${shards}`, measured);
        console.error(
          `  limits ${writer}, ${shards} shard(s): ${int(measured.recordsPerSecond)} records/s, ${int(measured.resent)} re-sent`,
        );
      } finally {
        rmSync(file, { force: true });
      }
    }
  }
  return results;
}

async function measureReads(setup: Setup, run: RunInfo) {
  const reader = await bundleScript('limits/sdk-reader.ts');
  const results = new Map<string, { backlog: Backlog; kproxy: ReadMeasure; sdk: ReadMeasure }>();
  try {
    for (const shards of SHARD_COUNTS) {
      for (const size of READ_RECORD_BYTES) {
        // About 12 s (quick: 4 s) at 2 MiB/s per shard; both readers read the same backlog.
        const bytesPerShard = (run.quick ? 8 : 24) * MiB;
        const stream = `reads-${shards}-${size}`;
        const backlog = await fillBacklog(setup.engineUrl, stream, shards, bytesPerShard, size);
        const kproxy = await tailWithKproxy(setup.emulatorUrl, backlog);
        // The shard's read budget is back to full within a second or two.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const sdk = await readWithSdk(reader, setup.limitedKinesisUrl, backlog);
        results.set(`${shards}/${size}`, { backlog, kproxy, sdk });
        console.error(
          `  limits reads, ${shards} shard(s), ${size}-byte records: kproxy ${(kproxy.share * 100).toFixed(0)} %, sdk ${(sdk.share * 100).toFixed(0)} % of 2 MiB/s`,
        );
      }
    }
  } finally {
    rmSync(reader, { force: true });
  }
  return results;
}

export async function limits(run: RunInfo): Promise<string> {
  const setup = await startSetup();
  let writes: Awaited<ReturnType<typeof measureWrites>>;
  let reads: Awaited<ReturnType<typeof measureReads>>;
  try {
    writes = await measureWrites(setup, run);
    reads = await measureReads(setup, run);
  } finally {
    await setup.stop();
  }

  // The sizes the codec writes for these records, for the share of the byte limit and the units table.
  const sample = run.quick ? 100_000 : 1_000_000;
  const units = new Map(
    SHARD_COUNTS.map((s) => [s, payloadUnits(sample, DATA_BYTES, s, [AGGREGATE_BYTES, MiB])]),
  );
  const aggregatedBytesPerRecord = units.get(1)![1]!.bytesPerUserRecord;

  const w = (writer: Writer, shards: number) => writes.get(`${writer}/${shards}`)!;
  const cell = (writer: Writer, shards: number) => {
    const m = w(writer, shards);
    const share =
      writer === 'aggregate'
        ? (m.recordsPerSecond * aggregatedBytesPerRecord) / (MiB * shards)
        : m.recordsPerSecond / (1000 * shards);
    return `${int(m.recordsPerSecond)} (${Math.round(share * 100)} %)`;
  };
  const resent = (writer: Writer) => SHARD_COUNTS.map((s) => int(w(writer, s).resent)).join(' / ');
  const writeRows = [
    ['`kproxy put-records FILE`', cell('plain', 1), cell('plain', 4), resent('plain')],
    [
      '`kproxy put-records FILE --aggregate`',
      cell('aggregate', 1),
      cell('aggregate', 4),
      resent('aggregate'),
    ],
    ['`@aws-sdk/client-kinesis` PutRecords loop', cell('sdk', 1), cell('sdk', 4), resent('sdk')],
  ];
  const gain = (shards: number) =>
    w('aggregate', shards).recordsPerSecond / w('plain', shards).recordsPerSecond;
  const gains = SHARD_COUNTS.map((s) => gain(s));
  const gainLine = `- \`--aggregate\` vs plain: ${gains.map((g, i) => `${g.toFixed(1)}× (${SHARD_COUNTS[i]} shard${SHARD_COUNTS[i] === 1 ? '' : 's'})`).join(', ')} (target ≥ 8×: ${gains.every((g) => g >= 8) ? 'met' : '**missed**'})`;
  // A run in which no record was refused never reached the shards' limits: something else bound it.
  const unthrottled = WRITERS.flatMap((writer) =>
    SHARD_COUNTS.filter((s) => w(writer, s).resent === 0).map(
      (s) => `${writer} on ${s} shard${s > 1 ? 's' : ''}`,
    ),
  );
  const cpuLine = unthrottled.length
    ? `- No record was refused in: ${unthrottled.join(', ')}. That run never reached the shards' limits: the writer's CPU did (parsing, packing and hashing each record, on ${cpus().length} cores shared with the emulator and kinesalite).`
    : '';

  const r = (shards: number, size: number) => reads.get(`${shards}/${size}`)!;
  const backlogOf = (shards: number, size: number) => r(shards, size).backlog;
  const readCell = (who: 'kproxy' | 'sdk', shards: number, size: number) => {
    const m = r(shards, size)[who];
    const extra = who === 'sdk' ? `, ${int(m.throttled ?? 0)} throttled` : '';
    return `${Math.round(m.share * 100)} % (${int(m.linesPerSecond)} lines/s${extra})`;
  };
  const readRows = READ_RECORD_BYTES.flatMap((size) => [
    [
      `\`kproxy tail --no-follow --format json\`, ${size}-byte user records`,
      readCell('kproxy', 1, size),
      readCell('kproxy', 4, size),
    ],
    [
      `\`@aws-sdk/client-kinesis\` GetRecords loop, same backlog (${size}-byte user records)`,
      readCell('sdk', 1, size),
      readCell('sdk', 4, size),
    ],
  ]);
  const kproxyShares = [...reads.values()].map((x) => x.kproxy.share);
  const readLine = `- \`kproxy tail\`: ${Math.round(Math.min(...kproxyShares) * 100)}–${Math.round(Math.max(...kproxyShares) * 100)} % of the read limit (target ≥ 90 %: ${kproxyShares.every((s) => s >= 0.9) ? 'met' : `**missed** in ${kproxyShares.filter((s) => s < 0.9).length} of ${kproxyShares.length} cases`}). kproxy's reader paces itself at 2,000,000 bytes/s per shard (Kinesis's "2 MB"), 95 % of the emulator's 2 MiB/s; at the limit, 4 shards of 100-byte records are ${int((4 * 2_000_000) / (backlogOf(4, 100).dataBytes / backlogOf(4, 100).userRecords))} lines/s to de-aggregate, format and print.`;

  const unitRows = SHARD_COUNTS.flatMap((shards) => [
    ...units
      .get(shards)!
      .map((row) => [
        `${shards} shard${shards > 1 ? 's' : ''}: ${row.label} (computed)`,
        int(row.kinesisRecords),
        int(row.units),
        row.bytesPerUserRecord.toFixed(1),
        int(row.shardBound),
      ]),
    [
      `${shards} shard${shards > 1 ? 's' : ''}: \`put-records --aggregate\` above (measured)`,
      int((w('aggregate', shards).kinesisRecords / w('aggregate', shards).succeeded) * 1_000_000),
      int((w('aggregate', shards).kinesisRecords / w('aggregate', shards).succeeded) * 1_000_000),
      '',
      '',
    ],
  ]);

  return `## 6. Throughput at the shard limits

${header(run)}

One run, every contender in turn against the same limits: the emulator with \`--shard-limits\` (per shard:
writes 1,000 records/s and 1 MiB/s, reads 5 GetRecords/s and 2 MiB/s) in front of kinesalite, and, for the
AWS SDK, \`startShardLimitedKinesis\` (the Kinesis protocol with the emulator's very limiter) in front of the
same kinesalite. The buckets start full: the first second of a run is a burst.

### Writes

Records of ${DATA_BYTES} bytes of data (partition key \`key-<n>\`, JSON Lines) into a 1-shard and a 4-shard stream:
plain and SDK ${int(recordsFor('plain', 1, run.quick))} records per shard, \`--aggregate\` ${int(recordsFor('aggregate', 1, run.quick))} per shard (about
${run.quick ? 3 : 10} s at each one's limit). ${CONCURRENCY} requests in flight, every refused record sent again until it is in
(\`--max-attempts ${MAX_ATTEMPTS}\`; the SDK loop backs off 50 ms doubling to 2 s). Figures: records/s from each
side's own timing; in brackets the share of the shards' limit — 1,000 records/s for plain records, 1 MiB/s
for aggregated ones (${aggregatedBytesPerRecord.toFixed(1)} bytes per record in 25,000-byte aggregated records).

${table(['writer', '1 shard: records/s', '4 shards: records/s', 'records re-sent (1 / 4 shards)'], writeRows)}

${[gainLine, cpuLine].filter(Boolean).join('\n')}

### Reads

A backlog of aggregated records (25,000 bytes each, as \`put-records --aggregate\` writes them) put straight
into kinesalite, about ${run.quick ? 8 : 24} MiB per shard, read to its end by each reader in turn: \`kproxy tail\` through the
emulator (de-aggregating: one JSON line per user record, to a pipe), and an SDK GetRecords loop through the
same limiter (\`Limit\` 10,000, no pause, the SDK's retries plus a backoff on throttling; one JSON line per
Kinesis record, not de-aggregated). Figure: Kinesis data read per second per shard, as a share of 2 MiB/s,
timed from spawn to exit (process start included); in brackets the lines printed per second. A reader can
pass 100 %: the buckets start full, and a read may take up to 10 MiB on credit, paid back by the next
seconds; kproxy's reader never borrows (about 2 MB a read, paced by the bytes read). Backlogs:
${READ_RECORD_BYTES.map((size) => SHARD_COUNTS.map((s) => `${int(backlogOf(s, size).userRecords)} records of ${size} bytes in ${int(backlogOf(s, size).kinesisRecords)} (${s} shard${s > 1 ? 's' : ''})`).join(', ')).join('; ')}.

${table(['reader', '1 shard: share of 2 MiB/s', '4 shards: share of 2 MiB/s'], readRows)}

${readLine}

### PUT payload units

Per million of the records above: computed from the sizes \`@kproxy/client\`'s codec writes (${int(sample)} records${run.quick ? ', scaled' : ''},
nothing sent), and measured from the Kinesis records the \`--aggregate\` runs stored (each at most 25,000 bytes:
one unit of ${PAYLOAD_UNIT_BYTES / 1024} KiB). "per-shard bound" is what one shard takes per second at 1 MiB/s and 1,000
Kinesis records/s, computed from the sizes:

${table(['records', 'Kinesis records', 'PUT payload units', 'bytes per user record', 'per-shard bound (user records/s)'], unitRows)}
`;
}
