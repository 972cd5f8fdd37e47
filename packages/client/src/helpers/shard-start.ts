/**
 * Starts that need the API to be found: the shard a sequence number belongs to, and the record before
 * the last N of a shard. Both run before the reader hands out its first record.
 */
import { isNotFoundError, isValidationError } from '../errors/guards.ts';
import { InputError } from '../errors/InputError.ts';
import type { Shard } from '../resources/streams.ts';
import { pauseAfterRead } from './read-pacing.ts';
import { compareDecimal, type IteratorStart } from './read-position.ts';
import type { ReaderIo } from './reader-io.ts';

/** Whether a shard's sequence number range can hold `sequenceNumber`. */
function mayHold(shard: Shard, sequenceNumber: string): boolean {
  const { startingSequenceNumber, endingSequenceNumber } = shard.sequenceNumberRange;
  return (
    compareDecimal(startingSequenceNumber, sequenceNumber) <= 0 &&
    (endingSequenceNumber === undefined || compareDecimal(sequenceNumber, endingSequenceNumber) <= 0)
  );
}

/**
 * The shard that holds a sequence number, among `shards`. A sequence number lies in the range of its
 * own shard, but the ranges of shards open at the same time overlap, so when several could hold it
 * each is asked for an iterator AT it: Kinesis refuses a sequence number that another shard issued
 * (InvalidArgumentException "It encodes shardId-…"; some engines answer ResourceNotFoundException).
 * The iterator of the shard that accepted it is returned for use.
 *
 * @throws InputError with `candidates` when no shard, or more than one, accepts it.
 */
export async function findShardOf(
  io: ReaderIo,
  shards: readonly Shard[],
  sequenceNumber: string,
  field: string,
): Promise<{ shardId: string; iterator?: string }> {
  const candidates = shards.filter((shard) => mayHold(shard, sequenceNumber)).map((s) => s.shardId);
  if (candidates.length === 1) return { shardId: candidates[0]! };
  const accepted: { shardId: string; iterator: string }[] = [];
  for (const shardId of candidates) {
    try {
      const iterator = await io.iterator(shardId, { type: 'AT_SEQUENCE_NUMBER', sequenceNumber });
      accepted.push({ shardId, iterator });
    } catch (error) {
      if (!isValidationError(error) && !isNotFoundError(error)) throw error;
    }
  }
  if (accepted.length === 1) return accepted[0]!;
  const tried = candidates.length > 0 ? ` (${candidates.join(', ')})` : '';
  throw new InputError(
    field,
    accepted.length === 0
      ? `is not in any shard of stream ${io.streamName}${tried}: it may be older than the stream's retention, or from another stream`
      : `may belong to any of ${accepted.length} shards open at that point (${accepted.map((a) => a.shardId).join(', ')})`,
    accepted.length === 0 ? undefined : 'Pass shardIds: [the shard the record came from]',
    { candidates: accepted.length === 0 ? candidates : accepted.map((a) => a.shardId) },
  );
}

/** The first window the search for the last records looks at; each next one is 4 times longer. */
const FIRST_WINDOW_MS = 60_000;
/** Kinesis keeps records at most 365 days: a longer window is the whole shard. */
const LONGEST_WINDOW_MS = 365 * 24 * 3_600_000;

/**
 * The sequence number of the record just before the last `count` records of a shard, or undefined when
 * the shard holds `count` records or fewer (read it from its oldest record).
 *
 * Kinesis has no offsets: the search reads back in time in windows (the last minute, then the 3
 * minutes before it, …, then the rest of the shard), each ending where the previous one began, until
 * the windows hold more than `count` records or reach the shard's oldest record. Each record is counted
 * once (a GetRecords answer may run into a newer window; those records are not counted again), and only
 * `count + 1` sequence numbers are kept.
 */
export async function startOfLastRecords(
  io: ReaderIo,
  shardId: string,
  count: number,
): Promise<string | undefined> {
  let oldest: string | undefined;
  await scan(io, shardId, { type: 'TRIM_HORIZON' }, 1, (sequenceNumber) => {
    oldest = sequenceNumber;
    return false;
  });
  if (oldest === undefined) return undefined;

  const searchedAt = io.now();
  /** Records in the windows read so far; all are newer than `boundary`. */
  let newer = 0;
  /** The oldest record of the windows read so far: the next window stops before it. */
  let boundary: string | undefined;
  for (let windowMs = FIRST_WINDOW_MS; ; windowMs *= 4) {
    const wholeShard = windowMs > LONGEST_WINDOW_MS;
    const start: IteratorStart = wholeShard
      ? { type: 'TRIM_HORIZON' }
      : { type: 'AT_TIMESTAMP', timestamp: new Date(searchedAt - windowMs) };
    // The record before the last `count` is the `wanted`-th newest of this window, if it is here.
    const wanted = count + 1 - newer;
    const ring: string[] = new Array(wanted);
    let seen = 0;
    let first: string | undefined;
    await scan(io, shardId, start, undefined, (sequenceNumber) => {
      if (boundary !== undefined && compareDecimal(sequenceNumber, boundary) >= 0) return false;
      first ??= sequenceNumber;
      ring[seen % wanted] = sequenceNumber;
      seen++;
      return true;
    });
    if (seen >= wanted) return ring[seen % wanted];
    newer += seen;
    if (first !== undefined) boundary = first;
    if (wholeShard || boundary === oldest) return undefined;
  }
}

/**
 * Reads a shard from `start`, paced like the reader, handing each sequence number to `visit` until it
 * returns false or the read reaches the tip.
 */
async function scan(
  io: ReaderIo,
  shardId: string,
  start: IteratorStart,
  limit: number | undefined,
  visit: (sequenceNumber: string) => boolean,
): Promise<void> {
  let iterator: string | null = await io.iterator(shardId, start);
  let nextReadAt = 0;
  while (iterator !== null) {
    await io.sleepUntil(nextReadAt);
    const result = await io.records(iterator, limit);
    let bytes = 0;
    for (const record of result.records) {
      bytes += record.data.byteLength;
      if (!visit(record.sequenceNumber)) return;
    }
    const atTip =
      result.records.length === 0 &&
      (result.millisBehindLatest === undefined || result.millisBehindLatest === 0);
    if (atTip) return;
    iterator = result.nextShardIterator;
    nextReadAt = io.now() + pauseAfterRead(result.records.length, bytes, 0);
  }
}
