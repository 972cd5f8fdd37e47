/**
 * `readStream`: one async iterator over every shard of a stream.
 *
 * Each shard has a cursor with at most one GetRecords call under way and one response buffered, so
 * memory stays bounded and a slow consumer slows the reads. A shard is read no more than 5 times a
 * second and at 2 MB per second (a 4 MB read waits 2 s), and waits `pollIntervalMs` after an empty read. Child shards of a reshard are
 * read only once all their parents are read to the end, so records of a partition key come in order.
 * An expired iterator is replaced by one after the last record read.
 */
import { LIMITS } from '@kproxy/contract';
import { abortReason } from '../core/clock.ts';
import type { RequestContext } from '../core/request.ts';
import type { ReceivedRecord } from '../data/received-record.ts';
import { isExpiredIteratorError } from '../errors/guards.ts';
import { InputError } from '../errors/InputError.ts';
import { type ChildShard, getRecords, getShardIterator } from '../resources/records.ts';
import { describeStream, type Shard } from '../resources/streams.ts';
import { checkLimit, checkSequenceNumber, checkShardId, checkStreamName } from '../validate/input.ts';
import {
  checkPosition,
  compareDecimal,
  type IteratorStart,
  type ReadPosition,
  type SavedStart,
} from './read-position.ts';

/** A record and the shard it came from. */
export type StreamRecord = ReceivedRecord & { shardId: string };

export type ReadFrom =
  | 'trim-horizon'
  | 'latest'
  | { sequenceNumber: string }
  | { timestamp: Date }
  | { position: ReadPosition };

export interface ReadStreamParams {
  streamName: string;
  /**
   * Where to start: the oldest record kept (`trim-horizon`), new records only (`latest`), a record's
   * sequence number (its shard starts there, later shards from their start; with several shards open at
   * that point, name the record's shard in `shardIds`), a time, or a position saved from
   * `reader.position()` (resumes right after the last record yielded).
   * @default 'trim-horizon'
   */
  from?: ReadFrom | undefined;
  /**
   * Keep waiting for new records (and new shards) at the end of the stream. With `false` the reader
   * ends when every shard is read up to its tip and closed shards to their end.
   * @default true
   */
  follow?: boolean | undefined;
  /** Read only these shards (their children are not followed, no new shards are discovered). */
  shardIds?: string[] | undefined;
  /** Stop after this many records. */
  limit?: number | undefined;
  /** Records per GetRecords call (1–10000). @default 10000 */
  recordsPerRead?: number | undefined;
  /** Wait before reading a shard again after an empty read, in ms. @default 1000 */
  pollIntervalMs?: number | undefined;
  /** While following, look for new shards this often, in ms. @default 60000 */
  discoveryIntervalMs?: number | undefined;
  /** Stops the reader; iteration rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** The fastest a shard is read: 5 GetRecords per second. */
const MIN_READ_INTERVAL_MS = 1000 / LIMITS.getRecordsPerShardPerSecond;
/**
 * The pause before a shard's next read: Kinesis serves each shard 5 reads and 2 MB per second, and a
 * read over that budget (up to 10 MB) is paid for by the next seconds, or the next read is throttled.
 */
const pauseAfterRead = (bytes: number): number =>
  Math.max(MIN_READ_INTERVAL_MS, (bytes / LIMITS.readBytesPerShardPerSecond) * 1000);

interface Cursor {
  shardId: string;
  parents: string[];
  /** Where the first iterator starts when nothing was read from the shard yet. */
  start: IteratorStart;
  /** Sequence number of the last record read (all of them are yielded before the next read). */
  lastSequence: string | undefined;
  /** undefined: to be acquired; null: the shard is closed and read to its end. */
  iterator: string | null | undefined;
  nextReadAt: number;
  buffer: StreamRecord[];
  reading: Promise<void> | undefined;
  error: unknown;
  /** The last read reached the tip of an open shard. */
  caughtUp: boolean;
  children: ChildShard[] | undefined;
  state: 'waiting' | 'active' | 'finished';
}

export class StreamReader implements AsyncIterable<StreamRecord> {
  readonly #context: RequestContext;
  readonly #streamName: string;
  readonly #from: ReadFrom;
  readonly #follow: boolean;
  readonly #shardIds: string[] | undefined;
  readonly #limit: number | undefined;
  readonly #recordsPerRead: number | undefined;
  readonly #pollIntervalMs: number;
  readonly #discoveryIntervalMs: number;
  readonly #stop = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#stop.abort(abortReason(this.#callerSignal!));
  readonly #cursors = new Map<string, Cursor>();
  readonly #finished = new Set<string>();
  readonly #yielded = new Map<string, string>();
  #savedStart: SavedStart = 'trim-horizon';
  #closed = false;
  #wake: (() => void) | undefined;
  #started = false;
  #count = 0;
  #nextDiscoveryAt = 0;

  constructor(context: RequestContext, params: ReadStreamParams) {
    checkStreamName(params.streamName);
    for (const [i, id] of (params.shardIds ?? []).entries()) checkShardId(id, `shardIds[${i}]`);
    if (params.limit !== undefined) checkLimit(params.limit, 'limit', Number.MAX_SAFE_INTEGER);
    if (params.recordsPerRead !== undefined)
      checkLimit(params.recordsPerRead, 'recordsPerRead', LIMITS.maxGetRecordsLimit);
    const from = params.from ?? 'trim-horizon';
    if (typeof from === 'object' && 'sequenceNumber' in from)
      checkSequenceNumber(from.sequenceNumber, 'from.sequenceNumber');
    if (
      typeof from === 'object' &&
      'timestamp' in from &&
      (!(from.timestamp instanceof Date) || Number.isNaN(from.timestamp.getTime()))
    ) {
      throw new InputError('from.timestamp', 'must be a valid Date');
    }
    if (typeof from === 'string' && from !== 'trim-horizon' && from !== 'latest') {
      throw new InputError(
        'from',
        `must be 'trim-horizon', 'latest', { sequenceNumber }, { timestamp } or { position } (got ${JSON.stringify(from)})`,
      );
    }
    this.#context = context;
    this.#streamName = params.streamName;
    this.#from =
      typeof from === 'object' && 'position' in from ? { position: checkPosition(from.position) } : from;
    this.#follow = params.follow ?? true;
    this.#shardIds = params.shardIds;
    this.#limit = params.limit;
    this.#recordsPerRead = params.recordsPerRead;
    this.#pollIntervalMs = params.pollIntervalMs ?? 1000;
    this.#discoveryIntervalMs = params.discoveryIntervalMs ?? 60_000;
    this.#callerSignal = params.signal;
    // The same function `close()` removes: a long-lived signal must not keep every reader alive.
    params.signal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /**
   * Where the reader is: per shard the last record yielded to the caller, and the shards finished.
   * JSON-serializable; `readStream({ from: { position } })` resumes right after it.
   */
  position(): ReadPosition {
    return {
      shards: Object.fromEntries(this.#yielded),
      finished: [...this.#finished],
      start: typeof this.#savedStart === 'string' ? this.#savedStart : { ...this.#savedStart },
    };
  }

  /** Stops reading: calls under way are aborted and iteration ends (without an error). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
    this.#stop.abort(new DOMException('The reader was closed', 'AbortError'));
    this.#wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamRecord> {
    if (this.#started)
      throw new TypeError('A StreamReader can be iterated only once; create another with readStream()');
    this.#started = true;
    return this.#run();
  }

  async *#run(): AsyncGenerator<StreamRecord, void, undefined> {
    try {
      await this.#discover(true);
      for (;;) {
        if (this.#closed) return;
        this.#throwIfAborted();
        const ready = this.#nextBuffered();
        if (ready) {
          while (ready.buffer.length > 0) {
            const record = ready.buffer.shift()!;
            // Recorded before yielding: once the caller holds a record, the position is past it.
            this.#yielded.set(ready.shardId, record.sequenceNumber);
            this.#count++;
            yield record;
            if (this.#closed) return;
            if (this.#limit !== undefined && this.#count >= this.#limit) return;
          }
          if (ready.iterator === null) await this.#finish(ready);
          continue;
        }
        const failed = [...this.#cursors.values()].find((c) => c.error !== undefined);
        if (failed) throw failed.error;
        for (const cursor of this.#cursors.values()) {
          if (
            cursor.state === 'active' &&
            !cursor.reading &&
            cursor.iterator !== null &&
            (this.#follow || !cursor.caughtUp)
          ) {
            cursor.reading = this.#read(cursor);
          }
        }
        const reading = [...this.#cursors.values()].flatMap((c) => (c.reading ? [c.reading] : []));
        if (reading.length === 0) {
          if (!this.#follow) return;
          // Following with nothing to read (every shard closed, or none yet): look for new shards.
          await this.#context.clock.sleep(
            Math.max(0, this.#nextDiscoveryAt - this.#context.clock.now()),
            this.#stop.signal,
          );
          await this.#discover(false);
          continue;
        }
        await Promise.race([...reading, new Promise<void>((resolve) => (this.#wake = resolve))]);
        if (this.#follow && !this.#shardIds && this.#context.clock.now() >= this.#nextDiscoveryAt) {
          await this.#discover(false);
        }
      }
    } catch (error) {
      if (this.#closed && !this.#callerSignal?.aborted) return;
      throw error;
    } finally {
      this.close();
    }
  }

  #throwIfAborted(): void {
    if (this.#callerSignal?.aborted) throw abortReason(this.#callerSignal);
  }

  /** A cursor with records to yield; round-robin is not needed as each buffer is one read. */
  #nextBuffered(): Cursor | undefined {
    for (const cursor of this.#cursors.values()) {
      if (
        cursor.buffer.length > 0 ||
        (cursor.iterator === null && cursor.state === 'active' && !cursor.reading)
      ) {
        return cursor;
      }
    }
    return undefined;
  }

  /** Reads all shards of the stream (first call) or adds the ones not known yet (later calls). */
  async #discover(initial: boolean): Promise<void> {
    this.#nextDiscoveryAt = this.#context.clock.now() + this.#discoveryIntervalMs;
    if (!initial && this.#shardIds) return;
    const shards: Shard[] = [];
    for await (const shard of describeStream(
      this.#context,
      { streamName: this.#streamName },
      { signal: this.#stop.signal },
    )) {
      shards.push(shard);
    }
    let selected = shards;
    if (this.#shardIds) {
      const byId = new Map(shards.map((s) => [s.shardId, s]));
      selected = this.#shardIds.map((id, i) => {
        const shard = byId.get(id);
        if (!shard)
          throw new InputError(`shardIds[${i}]`, `is not a shard of stream ${this.#streamName} (${id})`);
        return shard;
      });
    }
    if (initial) this.#initialize(selected);
    else {
      for (const shard of selected) {
        if (!this.#cursors.has(shard.shardId)) {
          this.#addCursor(shard.shardId, parentsOf(shard), this.#laterShardStart());
        }
      }
    }
    this.#activate();
  }

  #initialize(shards: Shard[]): void {
    const from = this.#from;
    const position = typeof from === 'object' && 'position' in from ? from.position : undefined;
    const startedAt = new Date(this.#context.clock.now());
    let start: SavedStart;
    if (position) start = position.start ?? 'trim-horizon';
    else if (from === 'latest') start = { timestamp: startedAt.toISOString() };
    else if (from === 'trim-horizon') start = 'trim-horizon';
    else if ('timestamp' in from) start = { timestamp: from.timestamp.toISOString() };
    else start = { sequenceNumber: (from as { sequenceNumber: string }).sequenceNumber };
    this.#savedStart = start;

    const known = new Set(shards.map((s) => s.shardId));
    for (const shardId of position?.finished ?? []) if (known.has(shardId)) this.#finished.add(shardId);
    for (const shard of shards) {
      if (this.#finished.has(shard.shardId)) continue;
      const resumeAfter = position?.shards[shard.shardId];
      let first: IteratorStart;
      if (resumeAfter !== undefined) {
        this.#yielded.set(shard.shardId, resumeAfter);
        first = { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: resumeAfter };
      } else if (from === 'latest') {
        // Shards that can be read now start at the tip; children of open parents start at the time the
        // reader started, so nothing written after that is missed when they become readable.
        first = { type: 'LATEST' };
      } else if (start === 'trim-horizon') first = { type: 'TRIM_HORIZON' };
      else if ('timestamp' in start) first = { type: 'AT_TIMESTAMP', timestamp: new Date(start.timestamp) };
      else {
        const range = shard.sequenceNumberRange;
        const ending = range.endingSequenceNumber;
        if (ending !== undefined && compareDecimal(ending, start.sequenceNumber) < 0) {
          // The shard closed before the sequence number: nothing in it comes after.
          this.#finished.add(shard.shardId);
          continue;
        }
        first =
          compareDecimal(range.startingSequenceNumber, start.sequenceNumber) <= 0
            ? { type: 'AT_SEQUENCE_NUMBER', sequenceNumber: start.sequenceNumber }
            : { type: 'TRIM_HORIZON' };
      }
      this.#addCursor(
        shard.shardId,
        this.#shardIds ? parentsOf(shard).filter((p) => known.has(p)) : parentsOf(shard),
        first,
      );
    }
    const atSequence = [...this.#cursors.values()].filter((c) => c.start.type === 'AT_SEQUENCE_NUMBER');
    if (atSequence.length > 1) {
      // A sequence number belongs to one shard; Kinesis refuses it for any other.
      throw new InputError(
        'from.sequenceNumber',
        `may belong to any of ${atSequence.length} shards open at that point (${atSequence.map((c) => c.shardId).join(', ')})`,
        'Pass shardIds: [the shard the record came from]',
      );
    }
    if (from === 'latest') {
      // A shard that must wait for its parents starts at the reader's start time, not at the tip.
      for (const cursor of this.#cursors.values()) {
        if (!this.#parentsDone(cursor)) cursor.start = { type: 'AT_TIMESTAMP', timestamp: startedAt };
      }
    }
  }

  /**
   * Where a shard found after the start begins: at the reader's start time when it started from a time
   * (or `latest`), since the shard may be older than that; else at its oldest record.
   */
  #laterShardStart(): IteratorStart {
    const start = this.#savedStart;
    return typeof start === 'object' && 'timestamp' in start
      ? { type: 'AT_TIMESTAMP', timestamp: new Date(start.timestamp) }
      : { type: 'TRIM_HORIZON' };
  }

  #addCursor(shardId: string, parents: string[], start: IteratorStart): void {
    this.#cursors.set(shardId, {
      shardId,
      parents,
      start,
      lastSequence: undefined,
      iterator: undefined,
      nextReadAt: 0,
      buffer: [],
      reading: undefined,
      error: undefined,
      caughtUp: false,
      children: undefined,
      state: 'waiting',
    });
  }

  /** Parents are done when read to their end, or unknown (expired from the stream, or not selected). */
  #parentsDone(cursor: Cursor): boolean {
    return cursor.parents.every((p) => this.#finished.has(p) || !this.#cursors.has(p));
  }

  #activate(): void {
    for (const cursor of this.#cursors.values()) {
      if (cursor.state === 'waiting' && this.#parentsDone(cursor)) cursor.state = 'active';
    }
  }

  /** A closed shard was read to its end and every record yielded: its children may start. */
  async #finish(cursor: Cursor): Promise<void> {
    cursor.state = 'finished';
    this.#finished.add(cursor.shardId);
    this.#yielded.delete(cursor.shardId);
    if (!this.#shardIds) {
      if (cursor.children && cursor.children.length > 0) {
        for (const child of cursor.children) {
          if (!this.#cursors.has(child.shardId) && !this.#finished.has(child.shardId)) {
            this.#addCursor(child.shardId, child.parentShards, this.#laterShardStart());
          }
        }
      } else {
        // The response did not name the children: ask the stream.
        await this.#discover(false);
      }
    }
    this.#activate();
  }

  /** One GetRecords for a shard, after waiting its turn; errors are kept for the main loop. */
  async #read(cursor: Cursor): Promise<void> {
    const { clock } = this.#context;
    const signal = this.#stop.signal;
    try {
      const wait = cursor.nextReadAt - clock.now();
      if (wait > 0) await clock.sleep(wait, signal);
      if (cursor.iterator === undefined) cursor.iterator = await this.#acquire(cursor);
      const limit =
        this.#limit !== undefined
          ? Math.min(
              this.#recordsPerRead ?? LIMITS.maxGetRecordsLimit,
              Math.max(1, this.#limit - this.#count),
            )
          : this.#recordsPerRead;
      const params = { streamName: this.#streamName, shardIterator: cursor.iterator!, limit };
      let result: Awaited<ReturnType<typeof getRecords>>;
      try {
        result = await getRecords(this.#context, params, { signal });
      } catch (error) {
        if (!isExpiredIteratorError(error)) throw error;
        // Iterators live 5 minutes: get a new one right after the last record read. The failed call
        // counts against the shard's reads per second, so the next one waits its turn.
        await clock.sleep(MIN_READ_INTERVAL_MS, signal);
        cursor.iterator = await this.#acquire(cursor);
        result = await getRecords(this.#context, { ...params, shardIterator: cursor.iterator }, { signal });
      }
      let bytes = 0;
      for (const record of result.records) {
        bytes += record.data.byteLength;
        (record as StreamRecord).shardId = cursor.shardId;
        cursor.buffer.push(record as StreamRecord);
      }
      const last = result.records.at(-1);
      if (last) cursor.lastSequence = last.sequenceNumber;
      cursor.iterator = result.nextShardIterator;
      if (cursor.iterator === null) cursor.children = result.childShards;
      // Only an empty read at the tip is the end of an open shard: some engines (kinesalite) report
      // MillisBehindLatest 0 on every read, and a full read may stop short of the tip anyway.
      cursor.caughtUp =
        cursor.iterator !== null &&
        result.records.length === 0 &&
        (result.millisBehindLatest === undefined || result.millisBehindLatest === 0);
      const pause = result.records.length === 0 ? this.#pollIntervalMs : pauseAfterRead(bytes);
      cursor.nextReadAt = clock.now() + Math.max(pause, MIN_READ_INTERVAL_MS);
    } catch (error) {
      if (!signal.aborted) cursor.error = error;
    } finally {
      cursor.reading = undefined;
    }
  }

  async #acquire(cursor: Cursor): Promise<string> {
    const start: IteratorStart =
      cursor.lastSequence !== undefined
        ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: cursor.lastSequence }
        : cursor.start;
    const { shardIterator } = await getShardIterator(
      this.#context,
      {
        streamName: this.#streamName,
        shardId: cursor.shardId,
        type: start.type,
        startingSequenceNumber: 'sequenceNumber' in start ? start.sequenceNumber : undefined,
        timestamp: 'timestamp' in start ? start.timestamp : undefined,
      },
      { signal: this.#stop.signal },
    );
    return shardIterator;
  }
}

function parentsOf(shard: Shard): string[] {
  return [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => p !== undefined);
}
