/** Where a `StreamReader` is, in a form that survives `JSON.stringify`, and where shards start. */
import { InputError } from '../errors/InputError.ts';
import { checkLimit, checkSequenceNumber, checkShardId } from '../validate/input.ts';

/** Where a reader starts (see `ReadStreamParams.from`). */
export type ReadFrom =
  | 'trim-horizon'
  | 'latest'
  | { sequenceNumber: string }
  | { timestamp: Date }
  | { last: number }
  | { position: ReadPosition };

/**
 * How shards without a recorded sequence number start: how the reader that saved it was started. A
 * sequence number start reads the shard that holds it (`shardId`, once known) and that shard's children.
 */
export type SavedStart =
  | 'trim-horizon'
  | { timestamp: string }
  | { sequenceNumber: string; shardId?: string | undefined };

/**
 * Where one shard was left: the sequence number of the last record handed out, or, part-way through a
 * KPL aggregated record, its sequence number and the sub-sequence number of the last user record
 * handed out (resuming reads that record again and skips its user records up to that one).
 */
export type ShardPosition = string | { sequenceNumber: string; subSequenceNumber: number };

/**
 * A reader's position, JSON-serializable. Pass it back as `from: { position }` to resume exactly after
 * the last record the previous reader yielded.
 */
export interface ReadPosition {
  /** Per shard: the last record yielded (see `ShardPosition`). */
  shards: Record<string, ShardPosition>;
  /** Closed shards read to their end. */
  finished: string[];
  /** Where shards not listed start. @default 'trim-horizon' */
  start?: SavedStart;
}

/** Where one shard's first iterator starts. */
export type IteratorStart =
  | { type: 'TRIM_HORIZON' | 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestamp: Date }
  | { type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

/** Compares decimal strings without leading zeros (sequence numbers exceed Number's precision). */
export function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Checks a position that came from outside (a file, a flag) before it is trusted. */
export function checkPosition(value: unknown, field = 'from.position'): ReadPosition {
  if (typeof value !== 'object' || value === null) {
    throw new InputError(field, 'must be an object saved from reader.position()');
  }
  const { shards, finished, start } = value as Partial<ReadPosition>;
  if (typeof shards !== 'object' || shards === null || !Array.isArray(finished)) {
    throw new InputError(
      field,
      'must have `shards` (an object) and `finished` (an array)',
      'Pass what reader.position() returned',
    );
  }
  for (const [shardId, position] of Object.entries(shards)) {
    checkShardId(shardId, `${field}.shards key`);
    checkShardPosition(position, `${field}.shards[${JSON.stringify(shardId)}]`);
  }
  finished.forEach((shardId, i) => {
    checkShardId(shardId, `${field}.finished[${i}]`);
  });
  if (start !== undefined && start !== 'trim-horizon') {
    if (typeof start === 'object' && start !== null && 'timestamp' in start) {
      if (Number.isNaN(Date.parse(start.timestamp)))
        throw new InputError(`${field}.start.timestamp`, 'is not a date');
    } else if (typeof start === 'object' && start !== null && 'sequenceNumber' in start) {
      checkSequenceNumber(start.sequenceNumber, `${field}.start.sequenceNumber`);
      if (start.shardId !== undefined) checkShardId(start.shardId, `${field}.start.shardId`);
    } else {
      throw new InputError(`${field}.start`, 'is not a start saved by reader.position()');
    }
  }
  const copied = Object.fromEntries(
    Object.entries(shards).map(([id, p]) => [id, typeof p === 'string' ? p : { ...p }]),
  );
  return { shards: copied, finished: [...finished], ...(start !== undefined ? { start } : {}) };
}

function checkShardPosition(value: unknown, field: string): void {
  if (typeof value === 'object' && value !== null) {
    const { sequenceNumber, subSequenceNumber } = value as Record<string, unknown>;
    checkSequenceNumber(sequenceNumber, `${field}.sequenceNumber`);
    if (!Number.isSafeInteger(subSequenceNumber) || (subSequenceNumber as number) < 0) {
      throw new InputError(`${field}.subSequenceNumber`, 'must be an integer of 0 or more');
    }
    return;
  }
  checkSequenceNumber(value, field);
}

/** Checks a `from` parameter before anything is sent; a position is copied as `checkPosition` does. */
export function checkFrom(from: ReadFrom): ReadFrom {
  if (from === 'trim-horizon' || from === 'latest') return from;
  if (typeof from === 'object' && from !== null) {
    if ('position' in from) return { position: checkPosition(from.position) };
    if ('sequenceNumber' in from) {
      checkSequenceNumber(from.sequenceNumber, 'from.sequenceNumber');
      return from;
    }
    if ('timestamp' in from) {
      if (!(from.timestamp instanceof Date) || Number.isNaN(from.timestamp.getTime())) {
        throw new InputError('from.timestamp', 'must be a valid Date');
      }
      return from;
    }
    if ('last' in from) {
      checkLimit(from.last, 'from.last', Number.MAX_SAFE_INTEGER);
      return from;
    }
  }
  throw new InputError(
    'from',
    `must be 'trim-horizon', 'latest', { sequenceNumber }, { timestamp }, { last } or { position } (got ${JSON.stringify(from)})`,
  );
}
