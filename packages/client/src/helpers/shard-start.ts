/**
 * Where reading starts: which shards a reader reads and where each one begins, decided once before
 * the first record is handed out. Some starts need the API to be found: the shard a sequence number
 * belongs to, and the record before the last N of a shard.
 */
import { isNotFoundError, isValidationError } from '../errors/guards.ts';
import { InputError } from '../errors/InputError.ts';
import type { Shard } from '../resources/streams.ts';
import { userRecordCount } from './deaggregate.ts';
import { pauseAfterRead } from './read-pacing.ts';
import {
  compareDecimal,
  type IteratorStart,
  type ReadFrom,
  type ReadPosition,
  type SavedStart,
  type ShardPosition,
} from './read-position.ts';
import type { ReaderIo } from './reader-io.ts';
import type { CursorStart } from './shard-cursor.ts';

/** Which shards a reader reads besides those it starts with. */
export type Scope =
  /** Every shard, and new ones as they appear. */
  | { kind: 'stream' }
  /** The shards of `shardIds` only. */
  | { kind: 'listed' }
  /** One shard and its descendants (a sequence-number start); grows as children are found. */
  | { kind: 'lineage'; shards: Set<string> };

export interface StartPlan {
  /** How the reader started, as its position records it. */
  savedStart: SavedStart;
  scope: Scope;
  /** Shards not to read: read to their end already, or closed before a last-N start. */
  finished: Set<string>;
  /** Per shard, the record after which reading begins (a resumed position, a last-N start). */
  handedOut: Map<string, ShardPosition>;
  /** The shards to read, in the stream's order, with their parents among the shards given. */
  shards: { shardId: string; parents: string[]; start: CursorStart }[];
}

const TRIM_HORIZON: CursorStart = { first: { type: 'TRIM_HORIZON' }, renew: { type: 'TRIM_HORIZON' } };

/**
 * Decides the scope and where each of `shards` (the stream's, or those of `shardIds` when `listed`)
 * starts:
 * - a position resumes each shard after its last record and the others as the position's reader started;
 * - `latest` starts open shards at the tip (a new iterator after one expired starts at `startedAt`);
 * - a sequence number starts the shard that holds it (found with `findShardOf`) there, and its
 *   descendants at their oldest record; no other shard is read;
 * - the last N start each open shard after the record before its last N (`startOfLastRecords`);
 *   closed shards are not read.
 */
export async function planStart(
  io: ReaderIo,
  options: {
    from: ReadFrom;
    shards: readonly Shard[];
    listed: boolean;
    startedAt: Date;
    /** The reader hands out user records: the last N count them. */
    deaggregate: boolean;
  },
): Promise<StartPlan> {
  const { from, shards, listed, startedAt } = options;
  const position = typeof from === 'object' && 'position' in from ? from.position : undefined;
  let start: SavedStart =
    typeof from === 'object' && 'position' in from
      ? (from.position.start ?? 'trim-horizon')
      : savedStartOf(from, startedAt);
  const known = new Set(shards.map((s) => s.shardId));
  const finished = new Set((position?.finished ?? []).filter((id) => known.has(id)));

  // A sequence number starts the shard that holds it; its descendants follow, other shards are not read.
  let lineage: Set<string> | undefined;
  let found: { shardId: string; iterator?: string } | undefined;
  if (typeof start === 'object' && 'sequenceNumber' in start) {
    const field = position ? 'from.position.start.sequenceNumber' : 'from.sequenceNumber';
    if (start.shardId === undefined) found = await findShardOf(io, shards, start.sequenceNumber, field);
    const root = start.shardId ?? found!.shardId;
    start = { sequenceNumber: start.sequenceNumber, shardId: root };
    lineage = lineageOf(root, shards);
  }
  const scope: Scope = listed
    ? { kind: 'listed' }
    : lineage
      ? { kind: 'lineage', shards: lineage }
      : { kind: 'stream' };

  const last = typeof from === 'object' && 'last' in from ? from.last : undefined;
  const handedOut = new Map<string, ShardPosition>();
  const planned: StartPlan['shards'] = [];
  for (const shard of shards) {
    const id = shard.shardId;
    if (finished.has(id) || (lineage && !lineage.has(id))) continue;
    const after = position?.shards[id];
    let shardStart: CursorStart;
    if (after !== undefined) {
      handedOut.set(id, after);
      shardStart = resumeAfter(after);
    } else if (last !== undefined) {
      if (shard.sequenceNumberRange.endingSequenceNumber !== undefined) {
        finished.add(id);
        continue;
      }
      shardStart = TRIM_HORIZON;
    } else if (from === 'latest') {
      shardStart = { first: { type: 'LATEST' }, renew: { type: 'AT_TIMESTAMP', timestamp: startedAt } };
    } else if (start === 'trim-horizon') {
      shardStart = TRIM_HORIZON;
    } else if ('timestamp' in start) {
      const at: IteratorStart = { type: 'AT_TIMESTAMP', timestamp: new Date(start.timestamp) };
      shardStart = { first: at, renew: at };
    } else if (id === start.shardId) {
      const at: IteratorStart = { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: start.sequenceNumber };
      shardStart = { first: at, renew: at, iterator: found?.iterator };
    } else {
      // A descendant of the sequence number's shard: all of it comes after.
      shardStart = TRIM_HORIZON;
    }
    const parents = parentsOf(shard).filter((p) => !listed || known.has(p));
    planned.push({ shardId: id, parents, start: shardStart });
  }
  if (last !== undefined) {
    // Where the last `last` records of each shard begin: as if the record before them was handed out.
    await Promise.all(
      planned.map(async (plan) => {
        const before = await startOfLastRecords(io, plan.shardId, last, options.deaggregate);
        if (before !== undefined) {
          handedOut.set(plan.shardId, before);
          plan.start = resumeAfter(before);
        }
      }),
    );
  }
  return { savedStart: start, scope, finished, handedOut, shards: planned };
}

export function parentsOf(shard: Shard): string[] {
  return [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => p !== undefined);
}

/** A shard and every shard descended from it, among `shards`. */
function lineageOf(root: string, shards: readonly Shard[]): Set<string> {
  const lineage = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const shard of shards) {
      if (!lineage.has(shard.shardId) && parentsOf(shard).some((p) => lineage.has(p))) {
        lineage.add(shard.shardId);
        grew = true;
      }
    }
  }
  return lineage;
}

/** After a record; inside an aggregated record, at it (the cursor skips the user records handed out). */
function resumeAfter(position: ShardPosition): CursorStart {
  const at: IteratorStart =
    typeof position === 'string'
      ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: position }
      : { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: position.sequenceNumber };
  return { first: at, renew: at, after: position };
}

/** How a reader started, as its position records it. */
function savedStartOf(from: Exclude<ReadFrom, { position: ReadPosition }>, startedAt: Date): SavedStart {
  if (from === 'trim-horizon') return 'trim-horizon';
  if (from === 'latest') return { timestamp: startedAt.toISOString() };
  if ('timestamp' in from) return { timestamp: from.timestamp.toISOString() };
  // The last N: where each shard starts is recorded per shard once found; new shards start at their oldest.
  if ('last' in from) return 'trim-horizon';
  return { sequenceNumber: from.sequenceNumber };
}

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
 * The position just before the last `count` records of a shard, or undefined when the shard holds
 * `count` records or fewer (read it from its oldest record). With `deaggregate`, records are user
 * records, so the position may be inside an aggregated record.
 *
 * Kinesis has no offsets: the search reads back in time in windows (the last minute, then the 3
 * minutes before it, …, then the rest of the shard), each ending where the previous one began, until
 * the windows hold more than `count` records or reach the shard's oldest record. Each record is counted
 * once (a GetRecords answer may run into a newer window; those records are not counted again), and only
 * `count + 1` positions are kept.
 */
export async function startOfLastRecords(
  io: ReaderIo,
  shardId: string,
  count: number,
  deaggregate: boolean,
): Promise<ShardPosition | undefined> {
  let oldest: string | undefined;
  await scan(io, shardId, { type: 'TRIM_HORIZON' }, 1, (record) => {
    oldest = record.sequenceNumber;
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
    // The position before the last `count` is the `wanted`-th newest of this window, if it is here.
    const wanted = count + 1 - newer;
    const ring: ShardPosition[] = new Array(wanted);
    let seen = 0;
    let first: string | undefined;
    await scan(io, shardId, start, undefined, ({ sequenceNumber, data }) => {
      if (boundary !== undefined && compareDecimal(sequenceNumber, boundary) >= 0) return false;
      first ??= sequenceNumber;
      // An aggregated record's user records, of which only the newest `wanted` can matter.
      const users = deaggregate ? userRecordCount(data) : 1;
      const skipped = Math.max(0, users - wanted);
      seen += skipped;
      for (let i = skipped; i < users; i++) {
        ring[seen % wanted] = i === users - 1 ? sequenceNumber : { sequenceNumber, subSequenceNumber: i };
        seen++;
      }
      return true;
    });
    if (seen >= wanted) return ring[seen % wanted];
    newer += seen;
    if (first !== undefined) boundary = first;
    if (wholeShard || boundary === oldest) return undefined;
  }
}

/**
 * Reads a shard from `start`, paced like the reader, handing each record to `visit` until it returns
 * false or the read reaches the tip.
 */
async function scan(
  io: ReaderIo,
  shardId: string,
  start: IteratorStart,
  limit: number | undefined,
  visit: (record: { sequenceNumber: string; data: Uint8Array }) => boolean,
): Promise<void> {
  let iterator: string | null = await io.iterator(shardId, start);
  let nextReadAt = 0;
  while (iterator !== null) {
    await io.sleepUntil(nextReadAt);
    const result = await io.records(iterator, limit);
    let bytes = 0;
    for (const record of result.records) {
      bytes += record.data.byteLength;
      if (!visit(record)) return;
    }
    const atTip =
      result.records.length === 0 &&
      (result.millisBehindLatest === undefined || result.millisBehindLatest === 0);
    if (atTip) return;
    iterator = result.nextShardIterator;
    nextReadAt = io.now() + pauseAfterRead(result.records.length, bytes, 0);
  }
}
