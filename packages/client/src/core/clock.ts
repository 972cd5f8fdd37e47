/**
 * Time and cancellation, the two things every wait in the client depends on.
 *
 * Every wait (a sleep, a pull from a caller's iterable, a free request slot) races an AbortSignal, so a
 * stop is structural: nothing waits past it. Signals are linked with listeners that are removed when the
 * wait ends, never with `AbortSignal.any` on a long-lived signal: Node 20 keeps every signal ever made
 * by `AbortSignal.any` in a set on its sources, so a reader or a bulk put with one signal for hours
 * would grow without bound.
 */
import type { Clock } from '../types/options.ts';

/** The reason a signal aborted with, as an Error (DOMException AbortError when none was given). */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Real time: `Date.now` and a `setTimeout` sleep that an AbortSignal cuts short. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * `promise`, unless `signal` aborts first: then a rejection with the signal's reason. The promise itself
 * is not cancelled (it may still settle; a caller that cares keeps it). The listener is removed as soon
 * as either side wins.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A short-lived controller that also aborts when `parent` does (with the parent's reason), for one
 * request or one stage. `dispose()` unlinks it from the parent; call it when the work is over, so a
 * long-lived parent keeps no reference to it.
 */
export function linkedController(parent: AbortSignal | undefined): {
  controller: AbortController;
  dispose(): void;
} {
  const controller = new AbortController();
  if (!parent) return { controller, dispose: () => undefined };
  if (parent.aborted) {
    controller.abort(abortReason(parent));
    return { controller, dispose: () => undefined };
  }
  const onAbort = () => controller.abort(abortReason(parent));
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent.removeEventListener('abort', onAbort) };
}
