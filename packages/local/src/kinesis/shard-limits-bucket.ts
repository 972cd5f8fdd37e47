/**
 * A token bucket holding one second's worth of a per-second limit, refilled continuously. Unlike the
 * stage throttle's bucket (`../throttle.ts`, one token per request) it takes amounts (bytes), and
 * `spend` may take it below zero: a GetRecords call that returned more than the bucket held borrows
 * from the next seconds, and the shard refuses reads until the debt is paid back — Kinesis's rule for
 * reads ("a call that returns 10 MB throttles the calls of the next 5 seconds").
 */
export type Clock = () => number;

export const monotonicClock: Clock = () => performance.now();

export class ShardBucket {
  readonly #perSecond: number;
  #balance: number;
  #updatedAt: number;

  /** `perSecond` tokens a second; full (one second's worth) at creation. */
  constructor(
    perSecond: number,
    private readonly now: Clock = monotonicClock,
  ) {
    this.#perSecond = perSecond;
    this.#balance = perSecond;
    this.#updatedAt = now();
  }

  /** Tokens available now (negative while a debt is being paid back). */
  get balance(): number {
    const now = this.now();
    this.#balance = Math.min(
      this.#perSecond,
      this.#balance + ((now - this.#updatedAt) / 1000) * this.#perSecond,
    );
    this.#updatedAt = now;
    return this.#balance;
  }

  /**
   * Whether `amount` tokens are available. An amount larger than the bucket (a record bigger than a
   * lowered per-second limit) passes when the bucket is full, and leaves a debt, rather than never.
   */
  has(amount: number): boolean {
    return this.balance >= Math.min(amount, this.#perSecond);
  }

  /** Takes `amount` tokens whatever the balance (it may go below zero). */
  spend(amount: number): void {
    this.#balance = this.balance - amount;
  }
}

/** The write buckets of one shard: a record is accepted only when both have room for it. */
export class WriteBuckets {
  readonly #records: ShardBucket;
  readonly #bytes: ShardBucket;

  constructor(recordsPerSecond: number, bytesPerSecond: number, now?: Clock) {
    this.#records = new ShardBucket(recordsPerSecond, now);
    this.#bytes = new ShardBucket(bytesPerSecond, now);
  }

  /** Accepts one record of `bytes` (data + partition key) and takes its tokens, or refuses it and takes none. */
  tryAccept(bytes: number): boolean {
    if (!this.#records.has(1) || !this.#bytes.has(bytes)) return false;
    this.#records.spend(1);
    this.#bytes.spend(bytes);
    return true;
  }
}

/** The read buckets of one shard: calls per second, and bytes per second paid after the call. */
export class ReadBuckets {
  readonly #calls: ShardBucket;
  readonly #bytes: ShardBucket;

  constructor(callsPerSecond: number, bytesPerSecond: number, now?: Clock) {
    this.#calls = new ShardBucket(callsPerSecond, now);
    this.#bytes = new ShardBucket(bytesPerSecond, now);
  }

  /** Admits one GetRecords call (takes a call token), or refuses it: no call token, or bytes still owed. */
  tryAdmit(): boolean {
    if (!this.#calls.has(1) || !(this.#bytes.balance > 0)) return false;
    this.#calls.spend(1);
    return true;
  }

  /** Charges what an admitted call returned. */
  charge(bytes: number): void {
    this.#bytes.spend(bytes);
  }
}
