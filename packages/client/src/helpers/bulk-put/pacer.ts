/**
 * bulkPut, pacing at the stream's limits.
 *
 * Kinesis takes what each shard can this second and refuses the rest of a PutRecords request entry by
 * entry (ProvisionedThroughputExceededException). Backing off after such a refusal, as after an error,
 * leaves the shards idle for most of the backoff; sending the refused entries again at once wastes
 * requests on refusals. Like the KPL's rate limiter, the pacer instead sends at about the rate the
 * stream takes:
 *
 * - until the first throttled entry, requests go as fast as the request slots allow;
 * - a throttled entry sets the pace to 10 % above what Kinesis accepted (entries and bytes) over the
 *   last second: enough to keep every shard's budget spent, so no shard idles, with few refusals;
 * - once nothing was throttled for a second, each answer raises the pace by half (the stream may take
 *   more now: a reshard, a quieter neighbour, a first measure taken from a small request), until the
 *   next throttled entry measures it again;
 * - requests are spaced by the pace (each reserves its share of time, in the order they ask) and carry
 *   at most `SLICE_MS` of it, so no request is much bigger than what the shards take meanwhile.
 *
 * A wait for a slot races the run's signal. The pace decides when entries are sent, never whether:
 * each still ends acknowledged or failed (one whose record TTL ends before its slot fails then).
 */
import type { Clock } from '../../types/options.ts';

/** The share of the pace one request carries. */
export const SLICE_MS = 200;
/** Above what the stream took in the last second: what keeps its shards busy. */
const HEADROOM = 1.1;
/** Growth of the pace per answer without a throttled entry: back to full speed within a few answers. */
const GROWTH = 1.5;
/** The window over which what Kinesis accepted is measured. */
const WINDOW_MS = 1000;

/** Entries and bytes per second. */
export interface Pace {
  readonly entries: number;
  readonly bytes: number;
}

/** What a request carries, as the pacer counts it. */
export interface Load {
  readonly recordBytes: number;
}

export class Pacer {
  readonly #clock: Clock;
  #pace: Pace | undefined;
  /** When the next request may start (clock time). */
  #nextAt = 0;
  /** Entries Kinesis accepted in the last `WINDOW_MS`, oldest first. */
  readonly #accepted: { at: number; entries: number; bytes: number }[] = [];
  /** When an answer last held a throttled entry. */
  #throttledAt = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The pace, once a throttled entry set it (undefined: as fast as the request slots allow). */
  get pace(): Pace | undefined {
    return this.#pace;
  }

  /** When the next request's slot would start (clock time; now or earlier when not pacing). */
  nextSlot(): number {
    return this.#pace ? this.#nextAt : Number.NEGATIVE_INFINITY;
  }

  /** The most one request should carry now (undefined: no limit but Kinesis's own). */
  requestLimits(): { maxRecords: number; maxBytes: number } | undefined {
    const pace = this.#pace;
    if (!pace) return undefined;
    return {
      maxRecords: Math.max(1, Math.floor((pace.entries * SLICE_MS) / 1000)),
      maxBytes: Math.max(1, Math.floor((pace.bytes * SLICE_MS) / 1000)),
    };
  }

  /** The first entries of `pending` that make one request at the pace (at least one). */
  slice<E extends Load>(pending: readonly E[]): readonly E[] {
    const limits = this.requestLimits();
    if (!limits) return pending;
    let bytes = 0;
    let count = 0;
    for (const entry of pending) {
      if (count > 0 && (count >= limits.maxRecords || bytes + entry.recordBytes > limits.maxBytes)) break;
      bytes += entry.recordBytes;
      count++;
    }
    return count === pending.length ? pending : pending.slice(0, count);
  }

  /**
   * Waits for the request's slot (at once when not pacing), reserving its share of time; rejects with
   * the signal's reason when it aborts first.
   */
  async admit(entries: readonly Load[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const pace = this.#pace;
    if (!pace) return;
    const now = this.#clock.now();
    const start = Math.max(now, this.#nextAt);
    let bytes = 0;
    for (const entry of entries) bytes += entry.recordBytes;
    this.#nextAt = start + Math.max(entries.length / pace.entries, bytes / pace.bytes) * 1000;
    if (start > now) await this.#clock.sleep(start - now, signal);
  }

  /** An answer: what Kinesis accepted of a request, and whether it throttled any entry of it. */
  answered(accepted: { entries: number; bytes: number }, throttled: boolean): void {
    const now = this.#clock.now();
    if (accepted.entries > 0) this.#accepted.push({ at: now, ...accepted });
    while (this.#accepted.length > 0 && this.#accepted[0]!.at <= now - WINDOW_MS) this.#accepted.shift();
    if (!throttled) {
      // Only once nothing was throttled for a while: a refused entry's retry may well find room.
      if (this.#pace && now - this.#throttledAt >= WINDOW_MS) this.#pace = scale(this.#pace, GROWTH);
      return;
    }
    this.#throttledAt = now;
    let entries = 0;
    let bytes = 0;
    for (const a of this.#accepted) {
      entries += a.entries;
      bytes += a.bytes;
    }
    // Nothing accepted for a second: the stream takes less than the pace (another producer, a hot
    // shard); halve it. Nothing measured yet: the sender backs off as after any error.
    if (entries === 0) {
      if (this.#pace) this.#pace = scale(this.#pace, 0.5);
      return;
    }
    // A shard's budget holds one second's worth, so what it took in the last second is its rate,
    // from the first second of a run on (when its full budget is taken at once).
    const seconds = WINDOW_MS / 1000;
    this.#pace = { entries: (entries / seconds) * HEADROOM, bytes: (bytes / seconds) * HEADROOM };
  }
}

const scale = (pace: Pace, factor: number): Pace => ({
  entries: pace.entries * factor,
  bytes: pace.bytes * factor,
});
