/**
 * Optional request throttling like a stage's default method throttling: a token bucket holding
 * `burst` tokens, refilled at `rate` per second. A request that finds it empty gets 429.
 */

export interface ThrottleOptions {
  /** Steady-state requests per second. */
  readonly rate: number;
  /** Requests allowed at once above the rate (the bucket size). @default rate */
  readonly burst?: number;
}

export class TokenBucket {
  readonly #rate: number;
  readonly #capacity: number;
  #tokens: number;
  #updatedAt: number;

  constructor(
    options: ThrottleOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(options.rate > 0)) throw new RangeError(`throttle.rate must be positive, got ${options.rate}`);
    this.#rate = options.rate;
    this.#capacity = Math.max(1, options.burst ?? options.rate);
    this.#tokens = this.#capacity;
    this.#updatedAt = now();
  }

  /** Takes one token; false when the bucket is empty (the request is throttled). */
  take(): boolean {
    const now = this.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
