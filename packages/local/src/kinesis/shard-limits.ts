/**
 * Per-shard throughput limits in front of a Kinesis engine that has none (kinesalite and kinesis-local
 * never throttle): wraps the emulator's Kinesis caller and answers as Kinesis does when a shard is over
 * its limits.
 *
 * - PutRecords: entries are admitted in request order, each against its own shard's buckets; refused
 *   entries are not sent to the engine (so they are not written) and come back in their place with
 *   `ErrorCode: ProvisionedThroughputExceededException`, counted in `FailedRecordCount`; the others are
 *   written. All refused: HTTP 200 with every entry failed, as Kinesis answers.
 * - PutRecord and GetRecords: the whole call is refused with a `ProvisionedThroughputExceededException`
 *   body (HTTP 400 from Kinesis; the integration response turns it into the deployed API's status).
 * - GetRecords: 5 calls/s, and the bytes returned are paid after the call (see `ReadBuckets`); an
 *   answer holds at most 10 MiB of data, as Kinesis's does (the engine's longer answer is cut, and its
 *   next iterator starts after the last record kept). The shard of an iterator is known from the
 *   GetShardIterator/GetRecords answers that handed it out; an iterator this process did not see
 *   (issued before a restart) is not limited.
 *
 * A request the engine will refuse anyway (malformed, unknown stream) passes through untouched so the
 * engine's own error comes back; the limits apply only to requests that could succeed.
 */
import { EXPLICIT_HASH_KEY_PATTERN, LIMITS } from '@kproxy/contract';
import type { KinesisCaller, KinesisResponse } from './call.ts';
import { type Clock, monotonicClock, ReadBuckets, WriteBuckets } from './shard-limits-bucket.ts';
import type { ShardLimits } from './shard-limits-options.ts';
import { hashKeyOf, listOpenShards, type OpenShard, shardFor } from './shard-limits-routing.ts';

const THROTTLED = 'ProvisionedThroughputExceededException';
/** The most data one GetRecords answer holds. */
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
const MAX_HASH_KEY = 2n ** 128n - 1n;
/** Actions after which a stream's shard map may have changed. */
const RESHAPING_ACTIONS = new Set([
  'CreateStream',
  'DeleteStream',
  'UpdateShardCount',
  'SplitShard',
  'MergeShards',
]);

interface StreamRef {
  StreamName?: string;
  StreamARN?: string;
}

interface RecordEntry {
  Data?: unknown;
  PartitionKey?: unknown;
  ExplicitHashKey?: unknown;
}

interface PutResultEntry {
  SequenceNumber?: string;
  ShardId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

interface StreamState {
  /** The open shards, fetched once and shared by concurrent requests; cleared when it may be stale. */
  shards: Promise<OpenShard[] | undefined> | undefined;
  readonly writes: Map<string, WriteBuckets>;
  readonly reads: Map<string, ReadBuckets>;
}

interface IteratorHome {
  readonly stream: string;
  readonly shardId: string;
  readonly seenAt: number;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function streamOf(request: Record<string, unknown>): { key: string; ref: StreamRef } | undefined {
  if (typeof request.StreamName === 'string')
    return { key: request.StreamName, ref: { StreamName: request.StreamName } };
  if (typeof request.StreamARN === 'string')
    return { key: request.StreamARN, ref: { StreamARN: request.StreamARN } };
  return undefined;
}

/** Stream name and account for the error message (`arn:aws:kinesis:region:account:stream/name`). */
function describeStream(key: string): { name: string; account: string } {
  const arn = /^arn:[^:]+:kinesis:[^:]*:(\d+):stream\/(.+)$/.exec(key);
  return arn ? { name: arn[2]!, account: arn[1]! } : { name: key, account: '000000000000' };
}

function rateExceeded(stream: string, shardId: string): string {
  const { name, account } = describeStream(stream);
  return `Rate exceeded for shard ${shardId} in stream ${name} under account ${account}.`;
}

function throttledResponse(stream: string, shardId: string): KinesisResponse {
  return { status: 400, body: JSON.stringify({ __type: THROTTLED, message: rateExceeded(stream, shardId) }) };
}

/** Data + partition key bytes of an entry the engine will accept; undefined for one it will refuse. */
function entrySize(entry: RecordEntry): number | undefined {
  const { Data, PartitionKey, ExplicitHashKey } = entry;
  if (typeof Data !== 'string' || typeof PartitionKey !== 'string') return undefined;
  const keyLength = [...PartitionKey].length;
  if (keyLength < LIMITS.partitionKeyMinLength || keyLength > LIMITS.partitionKeyMaxLength) return undefined;
  if (ExplicitHashKey !== undefined) {
    if (typeof ExplicitHashKey !== 'string' || !EXPLICIT_HASH_KEY_PATTERN.test(ExplicitHashKey))
      return undefined;
    if (BigInt(ExplicitHashKey) > MAX_HASH_KEY) return undefined;
  }
  const size = Buffer.byteLength(Data, 'base64') + Buffer.byteLength(PartitionKey, 'utf8');
  return size <= LIMITS.maxRecordBytes ? size : undefined;
}

/** Bytes of data in a GetRecords answer (what the read limit counts). */
function dataBytes(records: unknown): number {
  if (!Array.isArray(records)) return 0;
  let bytes = 0;
  for (const record of records as Array<{ Data?: unknown }>) {
    if (typeof record.Data === 'string') bytes += Buffer.byteLength(record.Data, 'base64');
  }
  return bytes;
}

export interface ShardLimiterOptions {
  /** Milliseconds, monotonic; tests pass a fake one. */
  readonly clock?: Clock;
}

/** Wraps `callKinesis` so that every call goes through the per-shard limits. */
export function limitShards(
  callKinesis: KinesisCaller,
  limits: ShardLimits,
  options: ShardLimiterOptions = {},
): KinesisCaller {
  const clock = options.clock ?? monotonicClock;
  const streams = new Map<string, StreamState>();
  /** Iterator → its shard, for the iterators handed out in the last 5 minutes (they expire after). */
  const iterators = new Map<string, IteratorHome>();

  function state(stream: string): StreamState {
    let s = streams.get(stream);
    if (!s) {
      s = { shards: undefined, writes: new Map(), reads: new Map() };
      streams.set(stream, s);
    }
    return s;
  }

  async function shardsOf(stream: string, ref: StreamRef): Promise<OpenShard[] | undefined> {
    const s = state(stream);
    if (!s.shards) {
      const fetching = listOpenShards(callKinesis, ref).then((shards) => {
        // Not cached when the engine refused (the stream may exist a moment later).
        if (!shards && s.shards === fetching) s.shards = undefined;
        return shards;
      });
      s.shards = fetching;
    }
    return s.shards;
  }

  function writeBuckets(stream: string, shardId: string): WriteBuckets {
    const { writes } = state(stream);
    let buckets = writes.get(shardId);
    if (!buckets) {
      buckets = new WriteBuckets(limits.writes!.recordsPerSecond, limits.writes!.bytesPerSecond, clock);
      writes.set(shardId, buckets);
    }
    return buckets;
  }

  function readBuckets(stream: string, shardId: string): ReadBuckets {
    const { reads } = state(stream);
    let buckets = reads.get(shardId);
    if (!buckets) {
      buckets = new ReadBuckets(limits.reads!.callsPerSecond, limits.reads!.bytesPerSecond, clock);
      reads.set(shardId, buckets);
    }
    return buckets;
  }

  /** The engine put a record on another shard than computed: the cached map is stale (a reshard). */
  function checkRouting(stream: string, expected: readonly string[], results: readonly PutResultEntry[]) {
    const s = streams.get(stream);
    if (!s) return;
    if (results.some((r, i) => r.ShardId !== undefined && r.ShardId !== expected[i])) s.shards = undefined;
  }

  function rememberIterator(iterator: unknown, stream: string, shardId: string) {
    if (typeof iterator !== 'string') return;
    const now = clock();
    iterators.set(iterator, { stream, shardId, seenAt: now });
    // Map order is insertion order: drop from the front what has expired.
    for (const [key, home] of iterators) {
      if (now - home.seenAt <= LIMITS.shardIteratorTtlMs) break;
      iterators.delete(key);
    }
  }

  /** Routes the entries; undefined when the request must go to the engine as it is. */
  async function route(stream: string, ref: StreamRef, entries: readonly RecordEntry[]) {
    const sizes: number[] = [];
    for (const entry of entries) {
      const size = entrySize(entry);
      if (size === undefined) return undefined;
      sizes.push(size);
    }
    if (sizes.reduce((a, b) => a + b, 0) > LIMITS.maxBatchBytes) return undefined;
    const shards = await shardsOf(stream, ref);
    if (!shards) return undefined;
    const shardIds: string[] = [];
    for (const entry of entries) {
      const shard = shardFor(
        shards,
        hashKeyOf(entry.PartitionKey as string, entry.ExplicitHashKey as string | undefined),
      );
      if (!shard) return undefined;
      shardIds.push(shard.shardId);
    }
    return { sizes, shardIds };
  }

  async function putRecord(body: string): Promise<KinesisResponse> {
    const request = parse(body);
    const stream = request && streamOf(request);
    const routed = stream && (await route(stream.key, stream.ref, [request as RecordEntry]));
    if (!routed) return callKinesis('PutRecord', body);
    const shardId = routed.shardIds[0]!;
    if (!writeBuckets(stream.key, shardId).tryAccept(routed.sizes[0]!)) {
      return throttledResponse(stream.key, shardId);
    }
    const response = await callKinesis('PutRecord', body);
    if (response.status === 200) {
      checkRouting(stream.key, routed.shardIds, [parse(response.body) as PutResultEntry]);
    }
    return response;
  }

  async function putRecords(body: string): Promise<KinesisResponse> {
    const request = parse(body);
    const stream = request && streamOf(request);
    const entries = request?.Records;
    const valid =
      Array.isArray(entries) && entries.length >= 1 && entries.length <= LIMITS.maxRecordsPerBatch;
    const routed = stream && valid && (await route(stream.key, stream.ref, entries as RecordEntry[]));
    if (!routed) return callKinesis('PutRecords', body);

    const admitted = routed.shardIds.map((shardId, i) =>
      writeBuckets(stream.key, shardId).tryAccept(routed.sizes[i]!),
    );
    const refused = admitted.filter((ok) => !ok).length;
    const refusal = (i: number): PutResultEntry => ({
      ErrorCode: THROTTLED,
      ErrorMessage: rateExceeded(stream.key, routed.shardIds[i]!),
    });
    if (refused === entries.length) {
      return {
        status: 200,
        body: JSON.stringify({ FailedRecordCount: refused, Records: admitted.map((_, i) => refusal(i)) }),
      };
    }

    const forwarded =
      refused === 0 ? body : JSON.stringify({ ...request, Records: entries.filter((_, i) => admitted[i]) });
    const response = await callKinesis('PutRecords', forwarded);
    if (response.status !== 200) return response;
    const answer = parse(response.body) as
      | { FailedRecordCount?: number; Records?: PutResultEntry[] }
      | undefined;
    if (!answer || !Array.isArray(answer.Records)) return response;
    checkRouting(
      stream.key,
      routed.shardIds.filter((_, i) => admitted[i]),
      answer.Records,
    );
    if (refused === 0) return response;

    // The engine's answers for the admitted entries, with the refusals back in their request positions.
    const written = answer.Records[Symbol.iterator]();
    const records = admitted.map((ok, i) => (ok ? written.next().value : refusal(i)));
    return {
      status: 200,
      body: JSON.stringify({
        ...answer,
        FailedRecordCount: (answer.FailedRecordCount ?? 0) + refused,
        Records: records,
      }),
    };
  }

  async function getShardIterator(body: string): Promise<KinesisResponse> {
    const response = await callKinesis('GetShardIterator', body);
    const request = parse(body);
    const stream = request && streamOf(request);
    if (response.status === 200 && stream && typeof request.ShardId === 'string') {
      rememberIterator(parse(response.body)?.ShardIterator, stream.key, request.ShardId);
    }
    return response;
  }

  async function getRecords(body: string): Promise<KinesisResponse> {
    const iterator = parse(body)?.ShardIterator;
    const home = typeof iterator === 'string' ? iterators.get(iterator) : undefined;
    if (!home) return callKinesis('GetRecords', body);
    const buckets = readBuckets(home.stream, home.shardId);
    if (!buckets.tryAdmit()) return throttledResponse(home.stream, home.shardId);
    let response = await callKinesis('GetRecords', body);
    if (response.status === 200) {
      let answer = parse(response.body);
      const cut = answer && (await cutAt10MiB(answer, home));
      if (cut) {
        answer = cut;
        response = { status: 200, body: JSON.stringify(cut) };
      }
      buckets.charge(dataBytes(answer?.Records));
      rememberIterator(answer?.NextShardIterator, home.stream, home.shardId);
    }
    return response;
  }

  /**
   * An answer over 10 MiB of data, cut to the records that fit (at least one), its next iterator after
   * the last one kept; undefined when it fits (or the engine will not hand out that iterator).
   */
  async function cutAt10MiB(answer: Record<string, unknown>, home: IteratorHome) {
    const records = answer.Records;
    if (!Array.isArray(records) || dataBytes(records) <= MAX_GET_RECORDS_BYTES) return undefined;
    let kept = 0;
    let bytes = 0;
    for (const record of records as Array<{ Data?: unknown }>) {
      const size = typeof record.Data === 'string' ? Buffer.byteLength(record.Data, 'base64') : 0;
      if (kept > 0 && bytes + size > MAX_GET_RECORDS_BYTES) break;
      bytes += size;
      kept++;
    }
    const last = (records[kept - 1] as { SequenceNumber?: unknown }).SequenceNumber;
    const stream = home.stream.startsWith('arn:') ? { StreamARN: home.stream } : { StreamName: home.stream };
    const next = await callKinesis(
      'GetShardIterator',
      JSON.stringify({
        ...stream,
        ShardId: home.shardId,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: last,
      }),
    );
    const iterator = next.status === 200 ? parse(next.body)?.ShardIterator : undefined;
    if (typeof iterator !== 'string') return undefined;
    return { ...answer, Records: records.slice(0, kept), NextShardIterator: iterator };
  }

  return async function callWithShardLimits(action: string, body: string): Promise<KinesisResponse> {
    if (limits.writes && action === 'PutRecord') return putRecord(body);
    if (limits.writes && action === 'PutRecords') return putRecords(body);
    if (limits.reads && action === 'GetShardIterator') return getShardIterator(body);
    if (limits.reads && action === 'GetRecords') return getRecords(body);
    if (RESHAPING_ACTIONS.has(action)) {
      const request = parse(body);
      const stream = request && streamOf(request);
      const response = await callKinesis(action, body);
      if (stream) streams.delete(stream.key);
      return response;
    }
    return callKinesis(action, body);
  };
}
