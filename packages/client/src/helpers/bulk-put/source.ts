/**
 * bulkPut, stage 1 (pull): records come out of the caller's (async) iterable one at a time, only when
 * the batcher asks for one, so a fast source never runs ahead of the requests.
 *
 * A pull races a signal (the run's stop, or the batcher's linger timer). A pull cut short is not lost:
 * it stays under way and the next pull takes it over, so each record is received exactly once. When
 * the run stops with a pull under way, `close` hands a record that arrives later to `onLate`, so even
 * an iterable blocked in `next()` at the stop has every record it yields reported.
 */
import { linkedController, raceSignal } from '../../core/clock.ts';
import type { Clock } from '../../types/options.ts';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

export class RecordSource<T> {
  readonly #sync: Iterator<T> | undefined;
  readonly #async: AsyncIterator<T> | undefined;
  /** An async pull that a signal cut short; the next pull continues it. */
  #underway: Promise<IteratorResult<T>> | undefined;
  #done = false;
  #read = 0;

  constructor(records: Iterable<T> | AsyncIterable<T>) {
    if (records && typeof (records as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
      this.#async = (records as AsyncIterable<T>)[Symbol.asyncIterator]();
    } else if (records && typeof (records as Iterable<T>)[Symbol.iterator] === 'function') {
      this.#sync = (records as Iterable<T>)[Symbol.iterator]();
    } else {
      throw new TypeError('bulkPut: `records` must be an iterable or an async iterable');
    }
  }

  /** Records received so far: the first `read` records of the iterable. */
  get read(): number {
    return this.#read;
  }

  /** True for a sync iterable: its pulls never wait, so a partly filled batch needs no timer. */
  get isSync(): boolean {
    return this.#sync !== undefined;
  }

  /**
   * The next record, or `done`. Rejects with the signal's reason when it aborts first (the pull stays
   * under way for the next call), and with the iterable's own error when it throws.
   */
  async pull(signal: AbortSignal): Promise<IteratorResult<T>> {
    signal.throwIfAborted();
    if (this.#done) return DONE;
    let result: IteratorResult<T>;
    if (this.#sync) {
      result = this.#sync.next();
    } else {
      this.#underway ??= this.#async!.next();
      result = await raceSignal(this.#underway, signal);
      this.#underway = undefined;
    }
    if (result.done) {
      this.#done = true;
      return DONE;
    }
    this.#read++;
    return result;
  }

  /**
   * Ends pulling early (the run stopped): calls the iterator's `return()` so a generator runs its
   * `finally`, without waiting for it. A record a pull under way still yields goes to `onLate`.
   */
  close(onLate: (record: T) => void): void {
    const underway = this.#underway;
    this.#underway = undefined;
    underway?.then(
      (result) => {
        if (result.done) return;
        this.#read++;
        onLate(result.value);
      },
      () => undefined,
    );
    if (this.#done) return;
    this.#done = true;
    try {
      const returned = this.#async?.return?.() ?? this.#sync?.return?.();
      if (returned instanceof Promise) returned.catch(() => undefined);
    } catch {
      // The iterable's cleanup failed; the run has already stopped for a reason of its own.
    }
  }
}

/** The reason a linger timer aborts a pull with. */
export const LINGER_OVER = Symbol('linger over');

/**
 * A signal for pulls that aborts with `LINGER_OVER` `ms` from now, or with `signal`'s reason. Call
 * `dispose()` when done with it: it stops the timer and unlinks from `signal`.
 */
export function lingerSignal(
  clock: Clock,
  signal: AbortSignal,
  ms: number,
): { signal: AbortSignal; dispose(): void } {
  const linger = linkedController(signal);
  clock.sleep(ms, linger.controller.signal).then(
    () => linger.controller.abort(LINGER_OVER),
    () => undefined,
  );
  return {
    signal: linger.controller.signal,
    dispose: () => {
      linger.controller.abort();
      linger.dispose();
    },
  };
}
