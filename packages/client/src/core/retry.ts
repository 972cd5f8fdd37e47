/**
 * The retry policy, written once: what is retried, how long to wait, and the loop that does it.
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
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `attempt` until it succeeds, fails with an error that is not retryable, or `maxRetries` retries
 * are spent (`Infinity`: never); the last error is thrown. `attempt` gets its 1-based attempt number.
 * `onRetry` hears of each error that is about to be retried, with the wait before the retry.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: {
    maxRetries: number;
    clock: Clock;
    signal?: AbortSignal | undefined;
    onRetry?: ((error: unknown, retry: { retry: number; delayMs: number }) => void) | undefined;
  },
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n > options.maxRetries || !isRetryable(error) || options.signal?.aborted) throw error;
      const delayMs = retryDelay(n, error, options.clock.now());
      options.onRetry?.(error, { retry: n, delayMs });
      await options.clock.sleep(delayMs, options.signal);
    }
  }
}
