/**
 * One shard, read as a state machine. The stream reader owns one cursor per shard, asks it to `work()`
 * (one step: get an iterator, or wait its turn and read) and `take()`s the records it holds. A cursor
 * holds at most one response and reads again only once it was taken: a slow consumer slows the reads.
 *
 *   state        event               next state
 *   blocked      parentsFinished     positioning
 *   positioning  iteratorAcquired    idle
 *   idle         recordsRead         holding
 *   idle         emptyRead           idle; at-tip when not following and the read was at the tip
 *   idle         shardEnded          closed (the last read of a closed shard returned nothing)
 *   idle         iteratorExpired     positioning (a new iterator at the position reached)
 *   holding      taken               idle; closed when that was the shard's last read
 *   closed       childrenHandedOver  finished
 *
 * Failures are not states: an expired iterator is an event, and any other error leaves the state as
 * it was and goes to the reader, which retries the same step (while following) or ends the iteration.
 *
 * What a cursor holds are user records: a KPL aggregated record is de-aggregated as it is read
 * (`deaggregate.ts`), unless de-aggregation is off. Pacing and the position reached (where a new
 * iterator starts) count Kinesis records.
 */
import { isExpiredIteratorError } from '../errors/guards.ts';
import type { ChildShard } from '../resources/records.ts';
import { deaggregate, dropHandedOut } from './deaggregate.ts';
import { FIRST_READ_RECORDS, MIN_READ_INTERVAL_MS, pauseAfterRead, recordsPerRead } from './read-pacing.ts';
import type { IteratorStart, ShardPosition } from './read-position.ts';
import type { ReaderIo } from './reader-io.ts';
import type { StreamRecord } from './stream-reader.ts';

export type ShardState =
  /** Waits for its parents to be read to their end (after a reshard), so keys stay in order. */
  | 'blocked'
  /** Needs an iterator: the first one, or a new one after the last expired. */
  | 'positioning'
  /** Has an iterator; reads when its turn comes. */
  | 'idle'
  /** Holds the records of its last read until the consumer takes them. */
  | 'holding'
  /** Not following, and the last read found the tip: nothing more to read in this run. */
  | 'at-tip'
  /** The shard is closed, read to its end, and every record taken: its children may start. */
  | 'closed'
  /** Closed, and its children handed over to the reader. */
  | 'finished';

export interface CursorOptions {
  follow: boolean;
  pollIntervalMs: number;
  /** Hand out the user records of KPL aggregated records instead of the records themselves. */
  deaggregate: boolean;
}

export interface CursorStart {
  /** Where the first iterator starts when nothing was read yet. */
  first: IteratorStart;
  /**
   * Where a later iterator starts when nothing was read yet (the first one expired): the same as
   * `first`, except that LATEST means "from when the reader started", not "from now".
   */
  renew: IteratorStart;
  /**
   * The last record already handed out (a resumed position): reading continues after it. Inside an
   * aggregated record, `first` is AT its sequence number and the user records handed out are skipped.
   */
  after?: ShardPosition | undefined;
  /** An iterator already obtained for `first` (while finding the shard of a sequence number). */
  iterator?: string | undefined;
}

export class ShardCursor {
  #state: ShardState;
  readonly #start: CursorStart;
  readonly #options: CursorOptions;
  #iterator: string | null | undefined;
  /** Sequence number of the last record read: the position reached, where a new iterator starts. */
  #lastRead: string | undefined;
  /** An iterator was obtained for `first` already: a later one starts at `renew`. */
  #positioned: boolean;
  #nextReadAt = 0;
  /** Records per read for about 2 MB, from the records read last (a few until then). */
  #perRead = FIRST_READ_RECORDS;
  #held: StreamRecord[] = [];
  /** A resumed position inside an aggregated record: its user records up to this one are skipped. */
  #skip: { sequenceNumber: string; subSequenceNumber: number } | undefined;
  /** Named by the last read of a closed shard (absent when the engine does not report them). */
  #children: ChildShard[] | undefined;

  constructor(
    readonly shardId: string,
    /** Parent shards still to be read before this one (none, or unknown to the reader). */
    readonly parents: readonly string[],
    start: CursorStart,
    options: CursorOptions,
    blocked: boolean,
  ) {
    this.#start = start;
    this.#options = options;
    if (typeof start.after === 'string') this.#lastRead = start.after;
    else this.#skip = start.after;
    this.#iterator = start.iterator;
    this.#positioned = start.iterator !== undefined;
    this.#state = blocked ? 'blocked' : start.iterator !== undefined ? 'idle' : 'positioning';
  }

  get state(): ShardState {
    return this.#state;
  }

  /** Whether `work()` has a step to do: get an iterator, or read. */
  get canWork(): boolean {
    return this.#state === 'positioning' || this.#state === 'idle';
  }

  /** The children named by the shard's last read, once it is closed. */
  get children(): ChildShard[] | undefined {
    return this.#children;
  }

  // --- transitions --------------------------------------------------------------------------------

  /** parentsFinished: blocked → positioning. */
  parentsFinished(): void {
    if (this.#state === 'blocked') this.#state = 'positioning';
  }

  /** childrenHandedOver: closed → finished. */
  childrenHandedOver(): void {
    this.#expect('closed');
    this.#state = 'finished';
  }

  /** taken: holding → idle, or → closed when that was the shard's last read. */
  take(): StreamRecord[] {
    this.#expect('holding');
    const records = this.#held;
    this.#held = [];
    this.#state = this.#iterator === null ? 'closed' : 'idle';
    return records;
  }

  /**
   * One step. positioning: iteratorAcquired → idle. idle: wait the shard's turn, then recordsRead →
   * holding, emptyRead → idle or at-tip, shardEnded → closed, iteratorExpired → positioning. Any
   * other failure is thrown with the state unchanged, so the same step can be retried.
   */
  async work(io: ReaderIo, limit: number | undefined): Promise<void> {
    if (this.#state === 'positioning') {
      this.#iterator = await io.iterator(this.shardId, this.#resumeAt());
      this.#positioned = true;
      this.#state = 'idle';
      return;
    }
    this.#expect('idle');
    await io.sleepUntil(this.#nextReadAt);
    // The pause after a read counts from when it was asked for: Kinesis's limits are rates.
    const askedAt = io.now();
    let result: Awaited<ReturnType<ReaderIo['records']>>;
    try {
      result = await io.records(this.#iterator!, Math.min(limit ?? this.#perRead, this.#perRead));
    } catch (error) {
      if (!isExpiredIteratorError(error)) throw error;
      // Iterators live 5 minutes (an idle shard, an outage): a new one at the position reached. The
      // failed call counts against the shard's reads per second, so the next read waits its turn.
      this.#iterator = undefined;
      this.#nextReadAt = io.now() + MIN_READ_INTERVAL_MS;
      this.#state = 'positioning';
      return;
    }
    const read = result.records as StreamRecord[];
    let bytes = 0;
    for (const record of read) {
      record.shardId = this.shardId;
      bytes += record.data.byteLength;
    }
    if (read.length > 0) {
      this.#lastRead = read.at(-1)!.sequenceNumber;
      this.#perRead = recordsPerRead(read.length, bytes)!;
    }
    this.#iterator = result.nextShardIterator;
    this.#nextReadAt = askedAt + pauseAfterRead(read.length, bytes, this.#options.pollIntervalMs);
    if (result.nextShardIterator === null) this.#children = result.childShards;
    const records = this.#userRecords(read);
    // Only an empty read at the tip is the end of an open shard: some engines (kinesalite) report
    // MillisBehindLatest 0 on every read, and a full read may stop short of the tip anyway.
    const atTip =
      read.length === 0 && (result.millisBehindLatest === undefined || result.millisBehindLatest === 0);
    if (records.length > 0) {
      this.#held = records;
      this.#state = 'holding';
    } else if (result.nextShardIterator === null) this.#state = 'closed';
    else if (atTip && !this.#options.follow) this.#state = 'at-tip';
    else this.#state = 'idle';
  }

  /**
   * What a read hands out: user records of aggregated records (unless de-aggregation is off), without
   * those a resumed position inside an aggregate handed out already. The first read that returns
   * anything starts at that aggregate (AT its sequence number), so the skip applies to it alone.
   */
  #userRecords(read: StreamRecord[]): StreamRecord[] {
    let records = this.#options.deaggregate ? deaggregate(read) : read;
    if (this.#skip && read.length > 0) {
      records = dropHandedOut(records, this.#skip);
      this.#skip = undefined;
    }
    return records;
  }

  /** Where a new iterator starts: after the last record read, else where the shard starts. */
  #resumeAt(): IteratorStart {
    if (this.#lastRead !== undefined)
      return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.#lastRead };
    return this.#positioned ? this.#start.renew : this.#start.first;
  }

  #expect(state: ShardState): void {
    if (this.#state !== state) throw new Error(`shard ${this.shardId}: ${this.#state}, expected ${state}`);
  }
}
