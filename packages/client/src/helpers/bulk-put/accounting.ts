/**
 * bulkPut's ledger: where every record read ends up. Each record settles exactly once — acknowledged
 * by Kinesis, or failed with its reason — and the counts change only here, before any callback runs.
 * Records travel in entries (one PutRecords entry each): one record, or the user records of a KPL
 * aggregated record, which are acknowledged or failed together. Counts are of records, never entries.
 *
 * A callback that throws (`onFailure`, `onProgress`, `onAcknowledged`, `onSend`) cannot corrupt the counts: the record is already
 * counted, and the error goes to `onCallbackError` (the run stops and bulkPut rejects with it once every
 * record is reported). Later failures are still passed to `onFailure`, each call on its own.
 */
import type { EncodedEntry } from '../../data/entry.ts';
import type { Clock } from '../../types/options.ts';
import type { BulkPutFailureReason, BulkPutProgress, BulkPutResult } from './types.ts';

/**
 * A PutRecords entry on its way: its encoded form, the caller's records it carries (one, or the user
 * records of an aggregated record), and what happened to it so far.
 */
export interface PendingEntry<T> extends EncodedEntry {
  records: readonly T[];
  /** Sends so far. */
  attempts: number;
  /** When it was first sent (clock time; NaN before): its time budget, the record TTL, counts from it. */
  firstSentAt: number;
  /** A send got no definite answer: Kinesis may have stored it. */
  possiblyWritten: boolean;
  /** Acknowledged or reported failed: nothing more may happen to it. */
  settled: boolean;
  /** Why its last send failed, when it did. */
  lastFailure: Omit<BulkPutFailureReason, 'possiblyWritten'> | undefined;
  /** An aggregated record: the shard it was packed for (Kinesis putting it elsewhere means a reshard). */
  shardId?: string | undefined;
}

/** A new entry for `records`, encoded as `encoded`. */
export function pendingEntry<T>(
  encoded: EncodedEntry,
  records: readonly T[],
  shardId?: string,
): PendingEntry<T> {
  return {
    json: encoded.json,
    recordBytes: encoded.recordBytes,
    bodyBytes: encoded.bodyBytes,
    records,
    attempts: 0,
    firstSentAt: Number.NaN,
    possiblyWritten: false,
    settled: false,
    lastFailure: undefined,
    shardId,
  };
}

export class Ledger<T> {
  readonly #progress: BulkPutProgress = {
    read: 0,
    sent: 0,
    succeeded: 0,
    failed: 0,
    retried: 0,
    inFlight: 0,
    possibleDuplicates: 0,
  };
  readonly #failures: NonNullable<BulkPutResult<T>['failures']> = [];
  readonly #onFailure: ((record: T, reason: BulkPutFailureReason) => void) | undefined;
  readonly #onProgress: ((progress: BulkPutProgress) => void) | undefined;
  readonly #onAcknowledged: ((record: T) => void) | undefined;
  readonly #onSend: ((records: readonly T[]) => void) | undefined;
  readonly #onCallbackError: (error: unknown) => void;
  readonly #clock: Clock;
  readonly #read: () => number;
  #batches = 0;
  /** Entries acknowledged: Kinesis records stored. */
  #kinesisRecords = 0;
  /** When Kinesis last accepted a record, or when the first request was sent (clock time). */
  #lastAcceptedAt = Number.NaN;
  /** The result handed out, kept up to date for a record a stopped source yields late. */
  #result: BulkPutResult<T> | undefined;

  constructor(options: {
    clock: Clock;
    /** Records read from the source so far. */
    read: () => number;
    onFailure: ((record: T, reason: BulkPutFailureReason) => void) | undefined;
    onProgress: ((progress: BulkPutProgress) => void) | undefined;
    onAcknowledged?: ((record: T) => void) | undefined;
    onSend?: ((records: readonly T[]) => void) | undefined;
    onCallbackError: (error: unknown) => void;
  }) {
    this.#clock = options.clock;
    this.#read = options.read;
    this.#onFailure = options.onFailure;
    this.#onProgress = options.onProgress;
    this.#onAcknowledged = options.onAcknowledged;
    this.#onSend = options.onSend;
    this.#onCallbackError = options.onCallbackError;
  }

  /** When Kinesis last accepted a record, or when the first request was sent (clock time). */
  get lastAcceptedAt(): number {
    return this.#lastAcceptedAt;
  }

  /** A request with these entries is about to be sent. */
  sending(entries: readonly PendingEntry<T>[]): void {
    const now = this.#clock.now();
    this.#batches++;
    this.#progress.inFlight++;
    if (Number.isNaN(this.#lastAcceptedAt)) this.#lastAcceptedAt = now;
    for (const entry of entries) {
      if (entry.attempts++ === 0) {
        entry.firstSentAt = now;
        this.#progress.sent += entry.records.length;
      } else this.#progress.retried += entry.records.length;
    }
    if (this.#onSend)
      this.#call(
        this.#onSend,
        entries.flatMap((e) => e.records),
      );
  }

  /** The request's answer (or failure) is in. */
  answered(): void {
    this.#progress.inFlight--;
  }

  acknowledge(entry: PendingEntry<T>): void {
    this.#settle(entry);
    const count = entry.records.length;
    this.#progress.succeeded += count;
    this.#kinesisRecords++;
    if (entry.possiblyWritten) this.#progress.possibleDuplicates += count;
    this.#lastAcceptedAt = this.#clock.now();
    if (this.#onAcknowledged) for (const record of entry.records) this.#call(this.#onAcknowledged, record);
  }

  /** Every record of the entry failed, for one reason. */
  fail(entry: PendingEntry<T>, reason: Omit<BulkPutFailureReason, 'possiblyWritten'>): void {
    this.#settle(entry);
    if (entry.possiblyWritten) this.#progress.possibleDuplicates += entry.records.length;
    for (const record of entry.records) {
      this.#report(record, { ...reason, possiblyWritten: entry.possiblyWritten });
    }
  }

  /** A record the client refused to send (counted as read and failed). */
  invalid(record: T, reason: Omit<BulkPutFailureReason, 'possiblyWritten'>): void {
    this.unsent(record, reason);
    this.progress();
  }

  /** A record read but never in an entry sent (the run stopped while it waited to be aggregated). */
  unsent(record: T, reason: Omit<BulkPutFailureReason, 'possiblyWritten'>): void {
    this.#report(record, { ...reason, possiblyWritten: false });
  }

  /** Calls `onProgress` with a copy of the counts. */
  progress(): void {
    if (!this.#onProgress) return;
    try {
      this.#onProgress({ ...this.#progress, read: this.#read() });
    } catch (error) {
      this.#onCallbackError(error);
    }
  }

  /** The final counts; failures are attached when no `onFailure` was given. */
  result(): BulkPutResult<T> {
    const p = this.#progress;
    this.#result = {
      read: this.#read(),
      succeeded: p.succeeded,
      failed: p.failed,
      possibleDuplicates: p.possibleDuplicates,
      kinesisRecords: this.#kinesisRecords,
      batches: this.#batches,
      retries: p.retried,
    };
    if (!this.#onFailure) this.#result.failures = this.#failures;
    return this.#result;
  }

  /**
   * A record a stopped source yielded after the run ended: reported failed (`NotSent`) all the same,
   * and counted in the result already handed out.
   */
  late(record: T, reason: Omit<BulkPutFailureReason, 'possiblyWritten'>): void {
    this.#report(record, { ...reason, possiblyWritten: false });
    if (this.#result) {
      this.#result.read++;
      this.#result.failed++;
    }
  }

  /** A caller's callback: its error stops the run instead of escaping into the pipeline. */
  #call<A>(callback: (arg: A) => void, arg: A): void {
    try {
      callback(arg);
    } catch (error) {
      this.#onCallbackError(error);
    }
  }

  #settle(entry: PendingEntry<T>): void {
    if (entry.settled) throw new Error('bulkPut: a record was settled twice (a bug in kproxy)');
    entry.settled = true;
  }

  #report(record: T, reason: BulkPutFailureReason): void {
    this.#progress.failed++;
    if (!this.#onFailure) {
      this.#failures.push({ record, ...reason });
      return;
    }
    try {
      this.#onFailure(record, reason);
    } catch (error) {
      this.#onCallbackError(error);
    }
  }
}
