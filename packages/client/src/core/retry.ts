/**
 * The retry policy, written once: what is retried, how long to wait, and the one loop that does it
 * (`withRetries`), used by every request, by bulkPut's batches and by the stream reader.
 *
 * Retried: what the contract's error table calls retryable (HTTP 429/500/502/503/504, throttling and
 * internal Kinesis errors), connection failures and timeouts. Never retried: anything that cannot
 * succeed by repeating it (validation errors, 401/403, 404, 409, 413, spent quotas, expired iterators,
 * response validation errors, our own input errors) and a caller's abort.
 */
import type { ApiError } from '../errors/ApiError.ts';
import { classifyError } from '../errors/classification.ts';
import { isApiError } from '../errors/guards.ts';
import type { Clock } from '../types/options.ts';
import { abortReason } from './clock.ts';

/** First backoff ceiling; doubles with each retry. */
export const BASE_DELAY_MS = 200;
/** Largest backoff ceiling, and the longest `Retry-After` honoured. */
export const MAX_DELAY_MS = 20_000;

/** Whether the same request can succeed later: the contract's error table decides (`classifyError`). */
export function isRetryable(error: unknown): boolean {
  return classifyError(error).retryable;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (1-based): the server's `Retry-After` when it sent one,
 * else exponential backoff with full jitter (uniform in [0, min(MAX, BASE·2^(retry-1))]).
 */
export function retryDelay(
  retry: number,
  error: unknown,
  now: number,
  random: () => number = Math.random,
): number {
  const header = isApiError(error) ? (error as ApiError).headers['retry-after'] : undefined;
  const retryAfter = parseRetryAfter(header, now);
  if (retryAfter !== undefined) return Math.min(retryAfter, MAX_DELAY_MS);
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (Math.min(retry, 64) - 1));
  return Math.floor(random() * ceiling);
}

/** What `onRetry` is told before each wait. */
export interface RetryEvent {
  /** Why the last attempt failed. */
  error: unknown;
  /** 1 for the first retry (the second attempt). */
  retry: number;
  /** How long the loop now waits before the next attempt. */
  delayMs: number;
}

export interface RetryOptions {
  clock: Clock;
  /**
   * Stops the loop: a wait in progress ends at once and the loop rejects with the signal's reason.
   * (The attempt itself decides what the signal does to a request under way.)
   */
  signal?: AbortSignal | undefined;
  /** Retries after the first attempt; `Infinity` retries until the deadline, or forever. @default Infinity */
  maxRetries?: number | undefined;
  /**
   * A time budget: the clock time (ms) after which no attempt starts. A wait that would end later is
   * cut to end at it, for one last attempt; once it has passed, the last error is thrown.
   */
  deadline?: number | undefined;
  /** Whether an error is worth another attempt. @default the contract's table (`classifyError`) */
  retryable?: ((error: unknown) => boolean) | undefined;
  /**
   * Called before each wait, e.g. to warn once per outage or count retries. If it throws, the loop
   * stops with that error.
   */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** The wait before a retry. @default `retryDelay` (Retry-After, else full-jitter backoff) */
  delay?: ((retry: number, error: unknown) => number) | undefined;
}

/**
 * Runs `attempt` until it succeeds; rethrows its error when the error is not retryable, the retries or
 * the time budget are spent, or the signal aborts (then with the signal's reason). `attempt` gets its
 * 1-based attempt number. With neither `maxRetries` nor `deadline`, a retryable error is retried forever
 * (a follower riding out an outage); the signal is how such a loop ends.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { clock, signal, deadline } = options;
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const retryable = options.retryable ?? isRetryable;
  const delay = options.delay ?? ((retry, error) => retryDelay(retry, error, clock.now()));
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await attempt(n);
    } catch (error) {
      if (n > maxRetries || !retryable(error)) throw error;
      if (signal?.aborted) throw abortReason(signal);
      let delayMs = delay(n, error);
      if (deadline !== undefined) {
        const left = deadline - clock.now();
        if (left <= 0) throw error;
        delayMs = Math.min(delayMs, left);
      }
      options.onRetry?.({ error, retry: n, delayMs });
      await clock.sleep(delayMs, signal);
    }
  }
}
