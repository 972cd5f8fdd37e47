/**
 * bulkPut, stage 3 (send): one batch, sent until each of its records is acknowledged or finally
 * failed. One PutRecords request per attempt; only the records that failed are sent again, after
 * backoff, by the client's one retry loop (`withRetries`), within the batch's time budget: the record
 * TTL, counted from the batch's first send.
 *
 * Every decision comes from the contract's error table: whether a whole-request error or a per-record
 * `ErrorCode` is worth retrying (`classifyError`, `classifyKinesisError`), and whether it stops the run
 * (`fatal`). Whether a failed request may still have stored its records comes from
 * `mayHaveTakenEffect`; such records are marked `possiblyWritten` and counted as possible duplicates.
 */
import { classifyKinesisError } from '@kproxy/contract';
import type { RequestContext } from '../../core/request.ts';
import { withRetries } from '../../core/retry.ts';
import type { PutRecordInput } from '../../data/entry.ts';
import { classifyError, mayHaveTakenEffect } from '../../errors/classification.ts';
import { isApiError, isKproxyError } from '../../errors/guards.ts';
import { sendEntries } from '../../resources/records.ts';
import type { Ledger, PendingRecord } from './accounting.ts';
import { messageOf, type RunControl, type Stop } from './stop.ts';
import type { BulkPutFailureReason } from './types.ts';

type Failure = Omit<BulkPutFailureReason, 'possiblyWritten'>;

/** Kinesis refused some entries with a retryable code: the attempt failed for those records only. */
class EntriesRefused extends Error {
  override readonly name = 'EntriesRefused';
}

const ABORTED_IN_FLIGHT: Failure = {
  errorCode: 'Aborted',
  errorMessage: 'its request was in flight when the run was aborted; Kinesis may have stored it',
};

/** A request error as a failure reason: its Kinesis type or error name, and its message without it. */
export function failureOf(error: unknown): Failure {
  const errorCode = isApiError(error)
    ? (error.kinesisType ?? error.name)
    : isKproxyError(error)
      ? error.name
      : error instanceof Error
        ? error.name
        : 'Error';
  const message = messageOf(error);
  // An ApiError's message starts with its Kinesis type; the code says it already.
  const prefix = `${errorCode}: `;
  return { errorCode, errorMessage: message.startsWith(prefix) ? message.slice(prefix.length) : message };
}

const withNote = (failure: Failure, note: string): Failure => ({
  errorCode: failure.errorCode,
  errorMessage: `${failure.errorMessage} (${note})`,
});

export class BatchSender<T extends PutRecordInput> {
  readonly #context: RequestContext;
  readonly #streamName: string;
  readonly #recordTtlMs: number;
  readonly #maxAttempts: number;
  readonly #ledger: Ledger<T>;
  readonly #run: RunControl;

  constructor(
    context: RequestContext,
    options: {
      streamName: string;
      recordTtlMs: number;
      maxAttempts: number;
      ledger: Ledger<T>;
      run: RunControl;
    },
  ) {
    this.#context = context;
    this.#streamName = options.streamName;
    this.#recordTtlMs = options.recordTtlMs;
    this.#maxAttempts = options.maxAttempts;
    this.#ledger = options.ledger;
    this.#run = options.run;
  }

  /** Sends `batch` until every record in it is settled. Never rejects. */
  async send(batch: PendingRecord<T>[]): Promise<void> {
    const { clock } = this.#context;
    const firstSentAt = clock.now();
    let pending = batch;
    try {
      await withRetries(
        async () => {
          pending = await this.#attempt(pending);
          if (pending.length > 0) throw new EntriesRefused(`${pending.length} entries refused`);
        },
        {
          clock,
          signal: this.#run.signal,
          deadline: firstSentAt + this.#recordTtlMs,
          maxRetries: this.#maxAttempts - 1,
          retryable: (error) => error instanceof EntriesRefused || classifyError(error).retryable,
        },
      );
    } catch (error) {
      // Kinesis answered for some of the batch: the endpoint works (the rest hit a hot shard, say).
      this.#giveUp(pending, error, pending.length < batch.length);
    }
  }

  /** One request; settles what got a definite answer and returns the records to send again. */
  async #attempt(records: PendingRecord<T>[]): Promise<PendingRecord<T>[]> {
    const ledger = this.#ledger;
    const callerSignal = this.#run.callerSignal;
    ledger.sending(records);
    let outcomes: Awaited<ReturnType<typeof sendEntries>>['records'];
    try {
      const result = await sendEntries(
        this.#context,
        this.#streamName,
        records.map((r) => r.json),
        // Attempts are counted here, per record; the request is not retried underneath.
        { signal: callerSignal, maxRetries: 0 },
      );
      outcomes = result.records;
    } catch (error) {
      ledger.answered();
      const aborted = callerSignal?.aborted === true;
      const possiblyWritten = aborted || mayHaveTakenEffect(error);
      const failure = aborted ? ABORTED_IN_FLIGHT : failureOf(error);
      for (const record of records) {
        if (possiblyWritten) record.possiblyWritten = true;
        record.lastFailure = failure;
      }
      if (!aborted && classifyError(error).fatal)
        this.#run.halt({ kind: 'fatal', reason: failure, cause: error });
      ledger.progress();
      throw error;
    }
    ledger.answered();
    const retry: PendingRecord<T>[] = [];
    outcomes.forEach((outcome, i) => {
      const record = records[i]!;
      if (outcome.errorCode === undefined) {
        ledger.acknowledge(record);
        return;
      }
      const failure = { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
      const classification = classifyKinesisError(outcome.errorCode, outcome.errorMessage);
      if (classification.retryable) {
        record.lastFailure = failure;
        retry.push(record);
        return;
      }
      ledger.fail(record, failure);
      if (classification.fatal) this.#run.halt({ kind: 'fatal', reason: failure, cause: undefined });
    });
    ledger.progress();
    return retry;
  }

  /** The records still pending when the retry loop ended: each fails with its last reason, annotated. */
  #giveUp(pending: PendingRecord<T>[], error: unknown, partlyAnswered: boolean): void {
    const { clock } = this.#context;
    const stop = this.#run.stopped;
    const cutShort = stop !== undefined && error === stop;
    const spent = !cutShort && (error instanceof EntriesRefused || classifyError(error).retryable);
    for (const record of pending) {
      const last = record.lastFailure ?? failureOf(error);
      let failure = last;
      if (cutShort && last.errorCode !== ABORTED_IN_FLIGHT.errorCode) {
        failure = withNote(last, `not retried: the run stopped (${(stop as Stop).reason.errorCode})`);
      } else if (spent) {
        const seconds = Math.round((this.#recordTtlMs / 1000) * 10) / 10;
        failure = withNote(
          last,
          record.attempts >= this.#maxAttempts
            ? `gave up after ${record.attempts} attempts`
            : `gave up after ${record.attempts} attempts in ${seconds} s, the record TTL`,
        );
      }
      this.#ledger.fail(record, failure);
    }
    this.#ledger.progress();
    // Retryable errors for a whole TTL, and not one record accepted meanwhile: the endpoint is unusable.
    const silentFor = clock.now() - this.#ledger.lastAcceptedAt;
    if (spent && !partlyAnswered && pending.length > 0 && silentFor >= this.#recordTtlMs) {
      const last = pending[0]!.lastFailure ?? failureOf(error);
      this.#run.halt({
        kind: 'unusable',
        reason: {
          errorCode: last.errorCode,
          errorMessage: `no record was accepted for ${this.#recordTtlMs / 1000} s; the last error: ${last.errorMessage}`,
        },
        cause: error,
      });
    }
  }
}
