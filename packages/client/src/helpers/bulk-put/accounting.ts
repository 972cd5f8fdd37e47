/**
 * bulkPut's ledger: where every record read ends up. Each record settles exactly once — acknowledged
 * by Kinesis, or failed with its reason — and the counts change only here, before any callback runs.
 *
 * A callback that throws (`onFailure`, `onProgress`, `onAcknowledged`, `onSend`) cannot corrupt the counts: the record is already
 * counted, and the error goes to `onCallbackError` (the run stops and bulkPut rejects with it once every
 * record is reported). Later failures are still passed to `onFailure`, each call on its own.
 */
import type { EncodedEntry, PutRecordInput } from '../../data/entry.ts';
import type { Clock } from '../../types/options.ts';
import type { BulkPutFailureReason, BulkPutProgress, BulkPutResult } from './types.ts';

/** A record on its way: the caller's object, its encoded entry, and what happened to it so far. */
export interface PendingRecord<T> extends EncodedEntry {
  record: T;
  /** Sends so far. */
  attempts: number;
  /** A send got no definite answer: Kinesis may have stored the record. */
  possiblyWritten: boolean;
  /** Acknowledged or reported failed: nothing more may happen to it. */
  settled: boolean;
  /** Why its last send failed, when it did. */
  lastFailure: Omit<BulkPutFailureReason, 'possiblyWritten'> | undefined;
}

export class Ledger<T extends PutRecordInput> {
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

  /** A request with these records is about to be sent. */
  sending(records: readonly PendingRecord<T>[]): void {
    this.#batches++;
    this.#progress.inFlight++;
    if (Number.isNaN(this.#lastAcceptedAt)) this.#lastAcceptedAt = this.#clock.now();
    for (const record of records) {
      if (record.attempts++ === 0) this.#progress.sent++;
      else this.#progress.retried++;
    }
    if (this.#onSend)
      this.#call(
        this.#onSend,
        records.map((r) => r.record),
      );
  }

  /** The request's answer (or failure) is in. */
  answered(): void {
    this.#progress.inFlight--;
  }

  acknowledge(record: PendingRecord<T>): void {
    this.#settle(record);
    this.#progress.succeeded++;
    if (record.possiblyWritten) this.#progress.possibleDuplicates++;
    this.#lastAcceptedAt = this.#clock.now();
    if (this.#onAcknowledged) this.#call(this.#onAcknowledged, record.record);
  }

  fail(record: PendingRecord<T>, reason: Omit<BulkPutFailureReason, 'possiblyWritten'>): void {
    this.#settle(record);
    if (record.possiblyWritten) this.#progress.possibleDuplicates++;
    this.#report(record.record, { ...reason, possiblyWritten: record.possiblyWritten });
  }

  /** A record the client refused to send (counted as read and failed). */
  invalid(record: T, reason: Omit<BulkPutFailureReason, 'possiblyWritten'>): void {
    this.#report(record, { ...reason, possiblyWritten: false });
    this.progress();
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

  #settle(record: PendingRecord<T>): void {
    if (record.settled) throw new Error('bulkPut: a record was settled twice (a bug in kproxy)');
    record.settled = true;
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
