/**
 * The retry policy, written once: what is retried, how long to wait, and the loop that does it.
 *
 * Retried: HTTP 429/500/502/503/504, Kinesis error types the contract lists as retryable
 * (`RETRYABLE_KINESIS_ERRORS`), connection failures and timeouts. Never retried: anything that cannot
 * succeed by repeating it (validation errors, 401/403, 404, 409, 413, expired iterators, response
 * validation errors, our own input errors) and a caller's abort.
 */
import { RETRYABLE_KINESIS_ERRORS } from '@kproxy/contract';
import type { ApiError } from '../errors/ApiError.ts';
import { isApiError, isConnectionError } from '../errors/guards.ts';
import type { Clock } from '../types/options.ts';

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** First backoff ceiling; doubles with each retry. */
export const BASE_DELAY_MS = 200;
/** Largest backoff ceiling, and the longest `Retry-After` honoured. */
export const MAX_DELAY_MS = 20_000;

export function isRetryable(error: unknown): boolean {
  if (isConnectionError(error)) return true;
  if (!isApiError(error)) return false;
  if (error.kinesisType !== undefined) {
    if (RETRYABLE_KINESIS_ERRORS.has(error.kinesisType)) return true;
    // A Kinesis error the contract does not list is retried only for a status that says "try later".
    return error.name === 'ServerError' && RETRYABLE_STATUSES.has(error.status);
  }
  return RETRYABLE_STATUSES.has(error.status);
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
 * are spent; the last error is thrown. `attempt` gets its 1-based attempt number.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  options: { maxRetries: number; clock: Clock; signal?: AbortSignal | undefined },
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n > options.maxRetries || !isRetryable(error) || options.signal?.aborted) throw error;
      await options.clock.sleep(retryDelay(n, error, options.clock.now()), options.signal);
    }
  }
}
