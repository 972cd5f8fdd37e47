/**
 * How a bulkPut run stops early, in one place: the first reason wins, and one signal tells every stage.
 *
 * Two signals, two meanings:
 * - the run's signal (`RunControl.signal`) aborts on any stop: no more records are read, no batch is
 *   retried, every wait ends;
 * - the caller's own signal additionally aborts the requests in flight. On other stops (a fatal error,
 *   an unusable endpoint, a throwing callback) requests in flight are left to finish, so their records
 *   get a definite answer instead of becoming possible duplicates.
 */
import { abortReason } from '../../core/clock.ts';
import { isKproxyError } from '../../errors/guards.ts';
import { KproxyError } from '../../errors/KproxyError.ts';
import type { BulkPutFailureReason, BulkPutResult, BulkPutStopKind } from './types.ts';

export interface Stop {
  kind: BulkPutStopKind;
  /** What stopped the run, as a failure reason (code and message). */
  reason: Omit<BulkPutFailureReason, 'possiblyWritten'>;
  /** The error behind it: the abort reason, the fatal error, the callback's or the iterable's error. */
  cause: unknown;
}

export class RunControl {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort = () => {
    const cause = abortReason(this.#callerSignal!);
    this.halt({ kind: 'abort', reason: { errorCode: 'Aborted', errorMessage: messageOf(cause) }, cause });
  };
  #stop: Stop | undefined;

  constructor(callerSignal: AbortSignal | undefined) {
    this.#callerSignal = callerSignal;
    callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
    if (callerSignal?.aborted) this.#onCallerAbort();
  }

  /** Aborts (with the `Stop`) when the run stops for any reason. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The caller's signal: aborts requests in flight. */
  get callerSignal(): AbortSignal | undefined {
    return this.#callerSignal;
  }

  get stopped(): Stop | undefined {
    return this.#stop;
  }

  /** Stops the run; later calls keep the first reason. */
  halt(stop: Stop): void {
    if (this.#stop) return;
    this.#stop = stop;
    this.#controller.abort(stop);
  }

  /** Unlinks from the caller's signal once the run is over. */
  dispose(): void {
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * bulkPut stopped before its input was done (see `stoppedBy`). Every record it read is accounted for:
 * in `result` (`succeeded`, `failed`, `failures` when no `onFailure` was given) and through
 * `onFailure`. Records after the first `result.read` of the iterable were never read. `cause` is the
 * abort reason, the fatal error, or the callback's or iterable's error.
 */
export class BulkPutError<T = unknown> extends KproxyError {
  override readonly name = 'BulkPutError' as const;
  readonly stoppedBy: BulkPutStopKind;
  /** The stop as a failure reason: what the records not sent are reported with, in their message. */
  readonly reason: Omit<BulkPutFailureReason, 'possiblyWritten'>;
  readonly result: BulkPutResult<T>;

  constructor(stop: Stop, result: BulkPutResult<T>) {
    const what = STOP_WORDS[stop.kind];
    super(
      `bulkPut stopped (${what}): ${stop.reason.errorCode}: ${stop.reason.errorMessage}; ` +
        `${result.succeeded} written, ${result.failed} failed, ${result.read} read`,
      { cause: stop.cause },
    );
    this.stoppedBy = stop.kind;
    this.reason = stop.reason;
    this.result = result;
  }
}

const STOP_WORDS: Record<BulkPutStopKind, string> = {
  abort: 'aborted',
  fatal: 'an error every request would meet',
  unusable: 'no record accepted for a whole record TTL',
  callback: 'a callback threw',
  source: 'the records iterable threw',
};

export function isBulkPutError(error: unknown): error is BulkPutError {
  return isKproxyError(error) && error.name === 'BulkPutError';
}
