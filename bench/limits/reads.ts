/**
 * Reads at the per-shard read limits (5 GetRecords calls and 2 MiB per second): a backlog of KPL
 * aggregated records (what `put-records --aggregate` writes: 25,000-byte records of small user
 * records) is put straight into kinesalite, then read to its end by `kproxy tail` through the emulator
 * with `--shard-limits`, and by an AWS SDK GetRecords loop through the same limiter
 * (`startShardLimitedKinesis`). The figure is the Kinesis data read per second per shard, as a share of
 * the 2 MiB/s limit.
 */
import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { ShardAggregator } from '@kproxy/client';
import { createStream, kproxyEnv, sdkClient } from '../lib/engines.ts';
import { kproxyBin } from '../lib/paths.ts';
import { expectSuccess, runNode } from '../lib/processes.ts';
import { evenShards, userRecords } from './payload-units.ts';

/** What put-records --aggregate packs by default: one PUT payload unit. */
const AGGREGATE_BYTES = 25_000;
/** The per-shard read limit of `--shard-limits` (Kinesis's). */
export const READ_LIMIT_BYTES_PER_SECOND = 2 * 1024 * 1024;

export interface Backlog {
  readonly stream: string;
  readonly shards: number;
  readonly userRecords: number;
  readonly kinesisRecords: number;
  /** Data bytes of the Kinesis records (what the read limit counts). */
  readonly dataBytes: number;
}

/**
 * Puts about `bytesPerShard` of aggregated records of `userBytes`-byte user records on each shard of a
 * new stream, straight into the engine (no limits): the backlog both readers read.
 */
export async function fillBacklog(
  engineUrl: string,
  stream: string,
  shards: number,
  bytesPerShard: number,
  userBytes: number,
): Promise<Backlog> {
  await createStream(engineUrl, stream, shards);
  const aggregator = new ShardAggregator(evenShards(shards), { maxRecordBytes: AGGREGATE_BYTES });
  const client = sdkClient(engineUrl);
  let pending: PutRecordsRequestEntry[] = [];
  let pendingBytes = 0;
  let kinesisRecords = 0;
  let dataBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const result = await client.send(new PutRecordsCommand({ StreamName: stream, Records: pending }));
    if (result.FailedRecordCount) throw new Error('backlog: some records were not written');
    pending = [];
    pendingBytes = 0;
  };
  const add = async (record: {
    partitionKey: string;
    explicitHashKey: string | undefined;
    data: Uint8Array;
  }) => {
    if (pending.length === 500 || pendingBytes + record.data.length > 4 * 1024 * 1024) await flush();
    pending.push({
      Data: record.data,
      PartitionKey: record.partitionKey,
      ...(record.explicitHashKey !== undefined ? { ExplicitHashKey: record.explicitHashKey } : {}),
    });
    pendingBytes += record.data.length;
    kinesisRecords++;
    dataBytes += record.data.length;
  };
  // Mean bytes of a user record in an aggregate, a little more than its data (its key, its framing).
  const count = Math.ceil((bytesPerShard * shards) / (userBytes + 19));
  for (const user of userRecords(count, userBytes)) {
    const completed = aggregator.add(user);
    if (completed) await add(completed);
  }
  for (const last of aggregator.flush()) await add(last);
  await flush();
  client.destroy();
  return { stream, shards, userRecords: count, kinesisRecords, dataBytes };
}

export interface ReadMeasure {
  readonly seconds: number;
  /** Data read per second per shard, as a share of the 2 MiB/s limit. */
  readonly share: number;
  /** Records printed per second (user records for kproxy tail, Kinesis records for the SDK loop). */
  readonly linesPerSecond: number;
  /** Reads the limiter refused (the SDK loop's count; kproxy's reader is not refused when alone). */
  readonly throttled?: number;
}

const shareOf = (backlog: Backlog, seconds: number) =>
  backlog.dataBytes / seconds / backlog.shards / READ_LIMIT_BYTES_PER_SECOND;

/** `kproxy tail NAME --no-follow --count N --format json` to the end of the backlog, spawn to exit. */
export async function tailWithKproxy(emulatorUrl: string, backlog: Backlog): Promise<ReadMeasure> {
  let lines = 0;
  const tail = expectSuccess(
    'kproxy tail',
    await runNode(
      [
        kproxyBin,
        'tail',
        backlog.stream,
        '--no-follow',
        '--count',
        String(backlog.userRecords),
        '--format',
        'json',
      ],
      { env: kproxyEnv(emulatorUrl), onLine: () => void lines++ },
    ),
  );
  if (lines !== backlog.userRecords)
    throw new Error(`kproxy tail printed ${lines} of ${backlog.userRecords} user records`);
  const seconds = tail.wallMs / 1000;
  return { seconds, share: shareOf(backlog, seconds), linesPerSecond: lines / seconds };
}

/** The SDK loop (`sdk-reader.ts`, bundled) through the limiter, spawn to exit. */
export async function readWithSdk(
  reader: string,
  kinesisUrl: string,
  backlog: Backlog,
): Promise<ReadMeasure> {
  let lines = 0;
  const sdk = expectSuccess(
    'sdk reader',
    await runNode([reader, kinesisUrl, backlog.stream, String(backlog.dataBytes)], {
      onLine: () => void lines++,
    }),
  );
  if (lines !== backlog.kinesisRecords)
    throw new Error(`the SDK loop printed ${lines} of ${backlog.kinesisRecords} records`);
  const seconds = sdk.wallMs / 1000;
  return {
    seconds,
    share: shareOf(backlog, seconds),
    linesPerSecond: lines / seconds,
    throttled: Number(/THROTTLED=(\d+)/.exec(sdk.stderr)?.[1] ?? 0),
  };
}
