/**
 * bulkPut, stage 4 (send): one batch, sent until each of its entries is acknowledged or finally failed
 * (an entry carries one record, or the records of an aggregated record: they share its fate). One
 * PutRecords request per attempt, by the client's one retry loop (`withRetries`); only the entries
 * that failed are sent again. Each entry has its own time budget, the record TTL, counted from its first
 * send, and at most `maxAttempts` sends.
 *
 * How long to wait before sending again:
 * - entries Kinesis throttled (ProvisionedThroughputExceededException): the stream is at its limits,
 *   not down. Once the pacer (`pacer.ts`) has measured what the stream takes, the next request waits
 *   for its slot at that pace and carries one slice of it, so the shards stay busy;
 * - anything else (and throttling before anything was measured): backoff, as for any request.
 *
 * Every decision comes from the contract's error table: whether a whole-request error or a per-entry
 * `ErrorCode` is worth retrying (`classifyError`, `classifyKinesisError`), whether it is throttling,
 * and whether it stops the run (`fatal`). Whether a failed request may still have stored its entries
 * comes from `mayHaveTakenEffect`; such entries are marked `possiblyWritten` and counted as possible
 * duplicates.
 */
import { classifyKinesisError } from '@kproxy/contract';
import type { RequestContext } from '../../core/request.ts';
import { retryDelay, withRetries } from '../../core/retry.ts';
import { classifyError, mayHaveTakenEffect } from '../../errors/classification.ts';
import { isApiError, isKproxyError } from '../../errors/guards.ts';
import { sendEntries } from '../../resources/records.ts';
import type { Ledger, PendingEntry } from './accounting.ts';
import type { Pacer } from './pacer.ts';
import { messageOf, type RunControl, type Stop } from './stop.ts';
import type { BulkPutFailureReason } from './types.ts';

type Failure = Omit<BulkPutFailureReason, 'possiblyWritten'>;

/** Entries are still pending after an attempt: refused by Kinesis, or not sent yet (a paced batch). */
class EntriesPending extends Error {
  override readonly name = 'EntriesPending';

  constructor(
    readonly count: number,
    /** Every entry refused in the attempt was throttled (or none was refused). */
    readonly throttled: boolean,
  ) {
    super(`${count} entries pending`);
  }
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

export interface SenderOptions<T> {
  streamName: string;
  recordTtlMs: number;
  maxAttempts: number;
  ledger: Ledger<T>;
  run: RunControl;
  pacer: Pacer;
  /** An aggregated record was stored on another shard than the one it was packed for. */
  onShardMoved: () => void;
}

export class BatchSender<T> {
  readonly #context: RequestContext;
  readonly #options: SenderOptions<T>;

  constructor(context: RequestContext, options: SenderOptions<T>) {
    this.#context = context;
    this.#options = options;
  }

  /** Sends `batch` until every entry in it is settled. Never rejects. */
  async send(batch: PendingEntry<T>[]): Promise<void> {
    const { clock } = this.#context;
    const { run, pacer } = this.#options;
    let pending = batch;
    /** Kinesis answered for some entry of the batch: the endpoint works (the rest hit a hot shard, say). */
    let answered = false;
    try {
      await withRetries(
        async () => {
          // Entries whose budget ends before the next slot are failed now rather than sent too late.
          pending = this.#spend(pending, answered, Math.max(clock.now(), pacer.nextSlot()));
          if (pending.length === 0) return;
          const slice = pacer.slice(pending);
          await pacer.admit(slice, run.signal);
          const { refused, throttled, someAnswered } = await this.#attempt(slice);
          answered ||= someAnswered;
          pending = slice === pending ? refused : refused.concat(pending.slice(slice.length));
          if (pending.length > 0) throw new EntriesPending(pending.length, throttled);
        },
        {
          clock,
          signal: run.signal,
          retryable: (error) => error instanceof EntriesPending || classifyError(error).retryable,
          delay: (retry, error) => {
            // Throttled at a measured pace: the pacer spaces the next request (`admit`).
            if (error instanceof EntriesPending && error.throttled && pacer.pace) return 0;
            // No wait past the first end of the pending entries' budgets: they are failed then.
            const wait = retryDelay(retry, error, clock.now());
            return Math.max(0, Math.min(wait, this.#deadlineOf(pending) - clock.now()));
          },
        },
      );
    } catch (error) {
      this.#giveUp(pending, error);
    }
  }

  /** The earliest end of the entries' budgets: TTL after the first send, or now when out of sends. */
  #deadlineOf(entries: readonly PendingEntry<T>[]): number {
    const { maxAttempts, recordTtlMs } = this.#options;
    let deadline = Number.POSITIVE_INFINITY;
    for (const entry of entries) {
      if (entry.attempts >= maxAttempts) return Number.NEGATIVE_INFINITY;
      if (entry.attempts > 0) deadline = Math.min(deadline, entry.firstSentAt + recordTtlMs);
    }
    return deadline;
  }

  /**
   * Fails the entries that may not be sent again — out of sends, or out of time by `at` (when they
   * would be sent) — each with its last failure, and returns the others.
   */
  #spend(pending: PendingEntry<T>[], answered: boolean, at: number): PendingEntry<T>[] {
    const { maxAttempts, recordTtlMs, ledger } = this.#options;
    const spent = pending.filter(
      (e) => e.attempts >= maxAttempts || (e.attempts > 0 && at >= e.firstSentAt + recordTtlMs),
    );
    if (spent.length === 0) return pending;
    const seconds = Math.round((recordTtlMs / 1000) * 10) / 10;
    for (const entry of spent) {
      const last = entry.lastFailure ?? { errorCode: 'Unknown', errorMessage: 'no answer' };
      const note =
        entry.attempts >= maxAttempts
          ? `gave up after ${entry.attempts} attempts`
          : `gave up after ${entry.attempts} attempts in ${seconds} s, the record TTL`;
      ledger.fail(entry, withNote(last, note));
    }
    ledger.progress();
    this.#checkUsable(spent, answered);
    return pending.filter((e) => !e.settled);
  }

  /** One request; settles what got a definite answer and returns the entries to send again. */
  async #attempt(
    entries: readonly PendingEntry<T>[],
  ): Promise<{ refused: PendingEntry<T>[]; throttled: boolean; someAnswered: boolean }> {
    const { ledger, run, pacer } = this.#options;
    const callerSignal = run.callerSignal;
    ledger.sending(entries);
    let outcomes: Awaited<ReturnType<typeof sendEntries>>['records'];
    try {
      const result = await sendEntries(
        this.#context,
        this.#options.streamName,
        entries.map((e) => e.json),
        // Attempts are counted here, per entry; the request is not retried underneath.
        { signal: callerSignal, maxRetries: 0 },
      );
      outcomes = result.records;
    } catch (error) {
      ledger.answered();
      const aborted = callerSignal?.aborted === true;
      const possiblyWritten = aborted || mayHaveTakenEffect(error);
      const failure = aborted ? ABORTED_IN_FLIGHT : failureOf(error);
      for (const entry of entries) {
        if (possiblyWritten) entry.possiblyWritten = true;
        entry.lastFailure = failure;
      }
      if (!aborted && classifyError(error).fatal) run.halt({ kind: 'fatal', reason: failure, cause: error });
      ledger.progress();
      throw error;
    }
    ledger.answered();
    const refused: PendingEntry<T>[] = [];
    let throttled = true;
    let someThrottled = false;
    const accepted = { entries: 0, bytes: 0 };
    outcomes.forEach((outcome, i) => {
      const entry = entries[i]!;
      if (outcome.errorCode === undefined) {
        ledger.acknowledge(entry);
        accepted.entries++;
        accepted.bytes += entry.recordBytes;
        if (entry.shardId !== undefined && outcome.shardId && outcome.shardId !== entry.shardId)
          this.#options.onShardMoved();
        return;
      }
      const failure = { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
      const classification = classifyKinesisError(outcome.errorCode, outcome.errorMessage);
      if (classification.retryable) {
        const isThrottle = classification.errorClass === 'ThrottledError';
        someThrottled ||= isThrottle;
        throttled &&= isThrottle;
        entry.lastFailure = failure;
        refused.push(entry);
        return;
      }
      ledger.fail(entry, failure);
      if (classification.fatal) run.halt({ kind: 'fatal', reason: failure, cause: undefined });
    });
    pacer.answered(accepted, someThrottled);
    ledger.progress();
    return { refused, throttled, someAnswered: refused.length < entries.length };
  }

  /** The entries still pending when the retry loop ended: each fails with its last reason, annotated. */
  #giveUp(pending: PendingEntry<T>[], error: unknown): void {
    const stop = this.#options.run.stopped;
    const cutShort = stop !== undefined && error === stop;
    for (const entry of pending) {
      if (entry.settled) continue;
      let failure = entry.lastFailure ?? failureOf(error);
      if (cutShort && entry.attempts === 0) failure = notSent(stop);
      else if (cutShort && failure.errorCode !== ABORTED_IN_FLIGHT.errorCode)
        failure = withNote(failure, `not retried: the run stopped (${stop.reason.errorCode})`);
      this.#options.ledger.fail(entry, failure);
    }
    this.#options.ledger.progress();
  }

  /**
   * Entries spent their whole time budget on retryable errors, none of their batch got an answer, and
   * Kinesis accepted nothing at all for a whole record TTL: the endpoint is unusable, the run stops.
   */
  #checkUsable(spent: readonly PendingEntry<T>[], answered: boolean): void {
    const { ledger, run, recordTtlMs } = this.#options;
    const silentFor = this.#context.clock.now() - ledger.lastAcceptedAt;
    if (answered || silentFor < recordTtlMs) return;
    const last = spent[0]!.lastFailure ?? { errorCode: 'Unknown', errorMessage: 'no answer' };
    run.halt({
      kind: 'unusable',
      reason: {
        errorCode: last.errorCode,
        errorMessage: `no record was accepted for ${recordTtlMs / 1000} s; the last error: ${last.errorMessage}`,
      },
      cause: undefined,
    });
  }
}

/** Why an entry never sent failed: the run stopped first. */
export function notSent(stop: Stop): Failure {
  return {
    errorCode: 'NotSent',
    errorMessage: `not sent: the run stopped (${stop.reason.errorCode}: ${stop.reason.errorMessage})`,
  };
}
