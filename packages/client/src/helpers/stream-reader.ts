/**
 * `readStream`: one async iterator over every shard of a stream.
 *
 * The reader keeps one `ShardCursor` per shard (`shard-cursor.ts`: the state machine of reading one
 * shard), starts their steps, and hands out what they read, in the order the reads came back. It decides
 * which shards are read and where each starts (`read-position.ts`, `shard-start.ts`), hands the
 * children of a closed shard over once it is read to its end (so the records of a key stay in order
 * across a reshard), looks for new shards while following, and retries through outages: while
 * following, a step that fails with an error that can pass (connection refused, timeouts, 5xx,
 * throttling) is retried with backoff for as long as it takes, reported through `onError` and
 * `onRecover`. Pacing (5 reads and 2 MB per second per shard) is in `read-pacing.ts`.
 */
import { LIMITS } from '@kproxy/contract';
import { abortReason } from '../core/clock.ts';
import type { RequestContext } from '../core/request.ts';
import { withRetries } from '../core/retry.ts';
import type { ReceivedRecord } from '../data/received-record.ts';
import { InputError } from '../errors/InputError.ts';
import type { Shard } from '../resources/streams.ts';
import { checkLimit, checkShardId, checkStreamName } from '../validate/input.ts';
import { positionAfter } from './deaggregate.ts';
import {
  checkFrom,
  type IteratorStart,
  type ReadFrom,
  type ReadPosition,
  type SavedStart,
  type ShardPosition,
} from './read-position.ts';
import { ReaderIo } from './reader-io.ts';
import { type CursorStart, ShardCursor } from './shard-cursor.ts';
import type { ShardDiscovery } from './shard-discovery.ts';
import { parentsOf, planStart, type Scope } from './shard-start.ts';

export type { ReadFrom } from './read-position.ts';

/**
 * A record and the shard it came from. A user record of a KPL aggregated record (read with
 * de-aggregation on, the default) has the aggregated record's `sequenceNumber`, arrival time and shard,
 * its own `partitionKey`, `data` and `explicitHashKey`, and its index in the aggregate,
 * `subSequenceNumber`; a plain record has neither of the last two.
 */
export type StreamRecord = ReceivedRecord & {
  shardId: string;
  /** Index of this user record in its aggregated record; absent for a plain record. */
  subSequenceNumber?: number | undefined;
  /** The explicit hash key the producer gave this user record, when it gave one. */
  explicitHashKey?: string | undefined;
};

/** The records of one read of one shard, as `reader.batches()` hands them out. */
export interface StreamBatch {
  readonly shardId: string;
  /** One or more records, in shard order. */
  readonly records: readonly StreamRecord[];
  /**
   * The reader's position once the first `count` records of this batch are handled (all by default;
   * 0: none of them), for saving a checkpoint part-way through a batch.
   */
  position(count?: number): ReadPosition;
}

/** What `onError` is told about a failure that will be retried. */
export interface ReadFailure {
  /** The shard whose read failed; undefined when listing the stream's shards failed. */
  shardId: string | undefined;
  /** Failures in this outage (1 for the first); it lasts until every failing step has worked again. */
  failures: number;
  /** When the first of them happened. */
  since: Date;
  /** The wait before this step is tried again. */
  retryInMs: number;
}

export interface ReadStreamParams {
  streamName: string;
  /**
   * Where to start:
   * - `trim-horizon`: the oldest record kept;
   * - `latest`: records written from now on;
   * - `{ sequenceNumber }`: that record, in the shard that holds it, then that shard's children after a
   *   reshard (other shards are not read: a sequence number is a place in one shard; use
   *   `{ timestamp }` for the whole stream). When more than one shard may hold it, an `InputError`
   *   lists them in `candidates`: name the record's shard in `shardIds`;
   * - `{ timestamp }`: records that arrived from that time on;
   * - `{ last: n }`: the last `n` records of each open shard, then new ones (closed shards are skipped);
   * - `{ position }`: a position saved from `reader.position()`; resumes right after the last record
   *   handed out.
   * @default 'trim-horizon'
   */
  from?: ReadFrom | undefined;
  /**
   * Keep waiting for new records (and new shards) at the end of the stream, through outages. With
   * `false` the reader ends when every shard is read up to its tip and closed shards to their end, and
   * an error ends it.
   * @default true
   */
  follow?: boolean | undefined;
  /** Read only these shards (their children are not followed, no new shards are discovered). */
  shardIds?: string[] | undefined;
  /** Stop after this many records (user records, when de-aggregating). */
  limit?: number | undefined;
  /**
   * Hand out the user records of KPL aggregated records (what the KPL and `bulkPut({ aggregate: true })`
   * write), each with its partition key and `subSequenceNumber`; positions then resume inside an
   * aggregated record. A record that merely starts with the KPL magic bytes but fails its checksum is
   * handed out as it is. `false`: every Kinesis record as it is stored.
   * @default true
   */
  deaggregate?: boolean | undefined;
  /** Records per GetRecords call (1–10000). @default 10000 */
  recordsPerRead?: number | undefined;
  /** Wait before reading a shard again after an empty read, in ms. @default 1000 */
  pollIntervalMs?: number | undefined;
  /** While following, look for new shards this often, in ms. @default 60000 */
  discoveryIntervalMs?: number | undefined;
  /** Stops the reader; iteration rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * While following: a read failed (after the request's own retries) with an error that can pass, and
   * will be tried again after `retryInMs`. Called for every failure; `failures === 1` starts an outage.
   * A hook that throws ends the iteration with its error.
   */
  onError?: ((error: unknown, failure: ReadFailure) => void) | undefined;
  /** While following: reading works again after failures reported to `onError`. */
  onRecover?: ((recovery: { failures: number; downMs: number }) => void) | undefined;
  /**
   * Told after each listing of the stream's shards how it was made: ListShards, or DescribeStream where
   * the API lacks the `/shards` route (a deployment made from the seeds), with the reason.
   */
  onShardDiscovery?: ((discovery: ShardDiscovery) => void) | undefined;
}

export class StreamReader implements AsyncIterable<StreamRecord> {
  readonly #context: RequestContext;
  readonly #streamName: string;
  readonly #from: ReadFrom;
  readonly #follow: boolean;
  readonly #shardIds: string[] | undefined;
  readonly #limit: number | undefined;
  readonly #deaggregate: boolean;
  readonly #recordsPerRead: number | undefined;
  readonly #pollIntervalMs: number;
  readonly #discoveryIntervalMs: number;
  readonly #onError: ReadStreamParams['onError'];
  readonly #onRecover: ReadStreamParams['onRecover'];
  readonly #stop = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = () => this.#stop.abort(abortReason(this.#callerSignal!));
  readonly #io: ReaderIo;

  readonly #cursors = new Map<string, ShardCursor>();
  /** The step each cursor is doing, if any. */
  readonly #busy = new Map<ShardCursor, Promise<void>>();
  /** Cursors holding records, in the order their reads came back. */
  readonly #holding: ShardCursor[] = [];
  readonly #finished = new Set<string>();
  /** Per shard, the last record handed out: the position. */
  readonly #handedOut = new Map<string, ShardPosition>();
  #savedStart: SavedStart = 'trim-horizon';
  #scope: Scope = { kind: 'stream' };
  #startedAt = new Date(0);
  #failure: { error: unknown } | undefined;
  #outage: { since: number; failures: number; failing: Set<string> } | undefined;
  #closed = false;
  #wake: (() => void) | undefined;
  #iterated = false;
  #starting: Promise<void> | undefined;
  #count = 0;
  #nextDiscoveryAt = 0;

  constructor(context: RequestContext, params: ReadStreamParams) {
    checkStreamName(params.streamName);
    for (const [i, id] of (params.shardIds ?? []).entries()) checkShardId(id, `shardIds[${i}]`);
    if (params.limit !== undefined) checkLimit(params.limit, 'limit', Number.MAX_SAFE_INTEGER);
    if (params.recordsPerRead !== undefined)
      checkLimit(params.recordsPerRead, 'recordsPerRead', LIMITS.maxGetRecordsLimit);
    this.#context = context;
    this.#streamName = params.streamName;
    this.#from = checkFrom(params.from ?? 'trim-horizon');
    this.#follow = params.follow ?? true;
    this.#shardIds = params.shardIds;
    this.#limit = params.limit;
    this.#deaggregate = params.deaggregate ?? true;
    this.#recordsPerRead = params.recordsPerRead;
    this.#pollIntervalMs = params.pollIntervalMs ?? 1000;
    this.#discoveryIntervalMs = params.discoveryIntervalMs ?? 60_000;
    this.#onError = params.onError;
    this.#onRecover = params.onRecover;
    this.#callerSignal = params.signal;
    this.#io = new ReaderIo(context, params.streamName, this.#stop.signal, params.onShardDiscovery);
    // The same function `close()` removes: a long-lived signal must not keep every reader alive.
    params.signal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /**
   * Where the reader is: per shard the last record handed out, and the shards finished.
   * JSON-serializable; `readStream({ from: { position } })` resumes right after it.
   */
  position(): ReadPosition {
    return {
      shards: Object.fromEntries(
        [...this.#handedOut].map(([id, p]) => [id, typeof p === 'string' ? p : { ...p }]),
      ),
      finished: [...this.#finished],
      start: typeof this.#savedStart === 'string' ? this.#savedStart : { ...this.#savedStart },
    };
  }

  /**
   * Lists the shards and decides where each one starts (a sequence number's shard, the last N records).
   * Iteration does this by itself; await it first to read `position()` before the first record, e.g. to
   * save a checkpoint that is right even if nothing is read before a crash.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** Stops reading: calls under way are aborted and iteration ends (without an error). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
    this.#stop.abort(new DOMException('The reader was closed', 'AbortError'));
    this.#wake?.();
  }

  /** The records one by one; the position moves past each record as it is handed out. */
  [Symbol.asyncIterator](): AsyncIterator<StreamRecord> {
    this.#claim();
    return this.#records();
  }

  /**
   * The records as they were read: each batch is one shard's GetRecords answer (cut at `limit`), and
   * the reader's position moves past the whole batch as it is handed out; `batch.position(n)` is the
   * position once only its first `n` records are handled. For consumers that write or acknowledge
   * records in groups, e.g. to save a checkpoint once per batch. A reader is iterated once, either way.
   */
  batches(): AsyncIterable<StreamBatch> {
    return {
      [Symbol.asyncIterator]: () => {
        this.#claim();
        return this.#batchesHandedOut();
      },
    };
  }

  #claim(): void {
    if (this.#iterated)
      throw new TypeError('A StreamReader can be iterated only once; create another with readStream()');
    this.#iterated = true;
  }

  async *#records(): AsyncGenerator<StreamRecord, void, undefined> {
    for await (const batch of this.#run()) {
      for (const record of batch) {
        // Recorded before yielding: once the caller holds a record, the position is past it.
        this.#handedOut.set(record.shardId, positionAfter(record));
        yield record;
        if (this.#closed) return;
      }
    }
  }

  async *#batchesHandedOut(): AsyncGenerator<StreamBatch, void, undefined> {
    for await (const records of this.#run()) {
      const before = this.position();
      const shardId = records[0]!.shardId;
      this.#handedOut.set(shardId, positionAfter(records.at(-1)!));
      yield {
        shardId,
        records,
        position(count = records.length) {
          if (!Number.isInteger(count) || count < 0 || count > records.length) {
            throw new RangeError(`count must be 0 to ${records.length}, got ${count}`);
          }
          const shards = { ...before.shards };
          if (count > 0) shards[shardId] = positionAfter(records[count - 1]!);
          return { ...before, shards, finished: [...before.finished] };
        },
      };
    }
  }

  /** Non-empty batches, cut at the limit; ends at the end (not following), at the limit, or on close. */
  async *#run(): AsyncGenerator<StreamRecord[], void, undefined> {
    try {
      await this.start();
      for (;;) {
        let batch = await this.#nextBatch();
        if (batch === undefined) return;
        if (this.#limit !== undefined) batch = batch.slice(0, this.#limit - this.#count);
        this.#count += batch.length;
        yield batch;
        if (this.#closed) return;
        if (this.#limit !== undefined && this.#count >= this.#limit) return;
      }
    } catch (error) {
      if (this.#closed && !this.#callerSignal?.aborted) return;
      throw error;
    } finally {
      this.close();
    }
  }

  /** The next records read, or undefined when there is nothing more to read. */
  async #nextBatch(): Promise<StreamRecord[] | undefined> {
    for (;;) {
      if (this.#closed) return undefined;
      if (this.#callerSignal?.aborted) throw abortReason(this.#callerSignal);
      const holding = this.#holding.shift();
      if (holding) return holding.take();
      const closed = [...this.#cursors.values()].find((c) => c.state === 'closed');
      if (closed) {
        await this.#handOver(closed);
        continue;
      }
      if (this.#failure) throw this.#failure.error;
      for (const cursor of this.#cursors.values()) {
        if (cursor.canWork && !this.#busy.has(cursor)) this.#busy.set(cursor, this.#work(cursor));
      }
      if (this.#busy.size === 0) {
        if (!this.#follow) return undefined;
        // Following with nothing to read (every shard closed, or none yet): look for new shards.
        await this.#io.sleepUntil(this.#nextDiscoveryAt);
        await this.#discover();
        continue;
      }
      await Promise.race([...this.#busy.values(), new Promise<void>((resolve) => (this.#wake = resolve))]);
      if (this.#follow && this.#scope.kind !== 'listed' && this.#io.now() >= this.#nextDiscoveryAt) {
        await this.#discover();
      }
    }
  }

  /** One step of a cursor, retried through outages while following; a failure is kept for the loop. */
  #work(cursor: ShardCursor): Promise<void> {
    const limit =
      this.#limit !== undefined
        ? Math.min(this.#recordsPerRead ?? LIMITS.maxGetRecordsLimit, Math.max(1, this.#limit - this.#count))
        : this.#recordsPerRead;
    return this.#retrying(cursor.shardId, () => cursor.work(this.#io, limit))
      .then(
        () => {
          if (cursor.state === 'holding') this.#holding.push(cursor);
        },
        (error: unknown) => {
          if (!this.#stop.signal.aborted) this.#failure ??= { error };
        },
      )
      .finally(() => this.#busy.delete(cursor));
  }

  /**
   * Runs a step; while following, retries it for as long as its error can pass, with backoff, telling
   * `onError` each time and `onRecover` when a step works again.
   */
  #retrying<T>(shardId: string | undefined, step: () => Promise<T>): Promise<T> {
    const { clock } = this.#context;
    // An outage lasts until every step that failed in it has worked again.
    const key = shardId ?? '';
    return withRetries(
      async () => {
        const result = await step();
        const outage = this.#outage;
        if (outage?.failing.delete(key) && outage.failing.size === 0) {
          this.#outage = undefined;
          this.#onRecover?.({ failures: outage.failures, downMs: clock.now() - outage.since });
        }
        return result;
      },
      {
        maxRetries: this.#follow ? Number.POSITIVE_INFINITY : 0,
        clock,
        signal: this.#stop.signal,
        onRetry: ({ error, delayMs }) => {
          this.#outage ??= { since: clock.now(), failures: 0, failing: new Set() };
          this.#outage.failing.add(key);
          this.#outage.failures++;
          this.#onError?.(error, {
            shardId,
            failures: this.#outage.failures,
            since: new Date(this.#outage.since),
            retryInMs: delayMs,
          });
        },
      },
    );
  }

  // --- which shards, from where --------------------------------------------------------------------

  async #start(): Promise<void> {
    this.#startedAt = new Date(this.#io.now());
    this.#nextDiscoveryAt = this.#io.now() + this.#discoveryIntervalMs;
    const shards = await this.#retrying(undefined, () => this.#io.shards());
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
    await this.#retrying(undefined, () => this.#plan(selected));
  }

  /** Decides the scope and where each shard starts (see `planStart`), and creates the cursors. */
  async #plan(shards: Shard[]): Promise<void> {
    const plan = await planStart(this.#io, {
      from: this.#from,
      shards,
      listed: this.#shardIds !== undefined,
      startedAt: this.#startedAt,
      deaggregate: this.#deaggregate,
    });
    this.#savedStart = plan.savedStart;
    this.#scope = plan.scope;
    for (const id of plan.finished) this.#finished.add(id);
    for (const [id, sequenceNumber] of plan.handedOut) this.#handedOut.set(id, sequenceNumber);
    for (const { shardId, parents, start } of plan.shards)
      this.#addCursor(shardId, parents, start, plan.shards);
  }

  /**
   * Where a shard found after the start begins: at the reader's start time when it started from a time
   * (or `latest`), since the shard may be older than that; else at its oldest record.
   */
  #laterShardStart(): CursorStart {
    const start = this.#savedStart;
    const at: IteratorStart =
      typeof start === 'object' && 'timestamp' in start
        ? { type: 'AT_TIMESTAMP', timestamp: new Date(start.timestamp) }
        : { type: 'TRIM_HORIZON' };
    return { first: at, renew: at };
  }

  /** Whether a shard found after the start is read: per the scope, by its parents. */
  #inScope(shardId: string, parents: readonly string[]): boolean {
    if (this.#cursors.has(shardId) || this.#finished.has(shardId)) return false;
    const scope = this.#scope;
    if (scope.kind === 'listed') return false;
    if (scope.kind === 'lineage') {
      if (!parents.some((p) => scope.shards.has(p))) return false;
      scope.shards.add(shardId);
    }
    return true;
  }

  #addCursor(
    shardId: string,
    parents: readonly string[],
    start: CursorStart,
    planned: readonly { shardId: string }[] = [],
  ): void {
    const pending = (p: string) =>
      !this.#finished.has(p) && (this.#cursors.has(p) || planned.some((x) => x.shardId === p));
    const blocked = parents.some(pending);
    // `latest`: a shard that must wait for its parents starts at the reader's start time, not at the
    // tip, so nothing written after the start is missed when it becomes readable.
    if (blocked && start.first.type === 'LATEST') start = { first: start.renew, renew: start.renew };
    const options = {
      follow: this.#follow,
      pollIntervalMs: this.#pollIntervalMs,
      deaggregate: this.#deaggregate,
    };
    this.#cursors.set(shardId, new ShardCursor(shardId, parents, start, options, blocked));
  }

  /** Parents are done when read to their end, or unknown (expired from the stream, or out of scope). */
  #unblock(): void {
    for (const cursor of this.#cursors.values()) {
      if (cursor.state !== 'blocked') continue;
      if (cursor.parents.every((p) => this.#finished.has(p) || !this.#cursors.has(p))) {
        cursor.parentsFinished();
      }
    }
  }

  /** A closed shard was read to its end and every record handed out: its children may start. */
  async #handOver(cursor: ShardCursor): Promise<void> {
    cursor.childrenHandedOver();
    this.#finished.add(cursor.shardId);
    this.#handedOut.delete(cursor.shardId);
    if (this.#scope.kind !== 'listed') {
      const children = cursor.children;
      // A parent the reader has not seen (made after its last listing, e.g. by a split of a shard still
      // being read) must be found before the child starts, or the child would not wait for it.
      const unknown = (parent: string) => !this.#finished.has(parent) && !this.#cursors.has(parent);
      if (children && children.length > 0 && !children.some((c) => c.parentShards.some(unknown))) {
        for (const child of children) {
          if (this.#inScope(child.shardId, child.parentShards)) {
            this.#addCursor(child.shardId, child.parentShards, this.#laterShardStart());
          }
        }
      } else {
        // The response did not name the children, or named a parent not known yet: ask the stream.
        await this.#discover();
      }
    }
    this.#unblock();
  }

  /** Adds the shards not known yet (while following, and when a closed shard names no children). */
  async #discover(): Promise<void> {
    this.#nextDiscoveryAt = this.#io.now() + this.#discoveryIntervalMs;
    if (this.#scope.kind === 'listed') return;
    const shards = await this.#retrying(undefined, () => this.#io.shards());
    // All new shards first, then their cursors: a child listed with its parent waits for it.
    const found = shards.filter((shard) => this.#inScope(shard.shardId, parentsOf(shard)));
    for (const shard of found) {
      this.#addCursor(shard.shardId, parentsOf(shard), this.#laterShardStart(), found);
    }
    this.#unblock();
  }
}
