/**
 * bulkPut, stage 3 (batch): cuts the entries (`entries.ts`: one per record, or aggregated records) into
 * PutRecords batches by count, by data bytes and by the exact size of the request body.
 *
 * A batch is cut when it is full, when the entries run out, or — for an async source that is slow (a
 * terminal, a tail) — `lingerMs` after its first entry, so records never wait long for company. At the
 * stream's limits, batches are cut to the pacer's request size (`pacer.ts`). An entry that does not fit
 * is carried into the next batch. When the run stops while a batch is being cut, `abandon()` returns
 * every entry taken but not handed out, for the ledger to report.
 */
import { BODY_OVERHEAD } from '../../data/entry.ts';
import type { Clock } from '../../types/options.ts';
import type { PendingEntry } from './accounting.ts';
import type { EntrySource } from './entries.ts';
import type { Pacer } from './pacer.ts';
import { LINGER_OVER, lingerSignal } from './source.ts';

export interface BatchLimits {
  maxRecords: number;
  /** Data plus partition keys. */
  maxBytes: number;
  /** The JSON body as sent. */
  maxBodyBytes: number;
}

export class Batcher<T> {
  readonly #entries: EntrySource<T>;
  readonly #limits: BatchLimits;
  readonly #pacer: Pacer;
  readonly #lingerMs: number;
  readonly #clock: Clock;
  /** The batch being cut. */
  #filling: PendingEntry<T>[] = [];
  /** An entry taken that did not fit the previous batch. */
  #carry: PendingEntry<T> | undefined;

  constructor(
    entries: EntrySource<T>,
    options: { limits: BatchLimits; pacer: Pacer; lingerMs: number; clock: Clock },
  ) {
    this.#entries = entries;
    this.#limits = options.limits;
    this.#pacer = options.pacer;
    this.#lingerMs = options.lingerMs;
    this.#clock = options.clock;
  }

  /**
   * The next batch, or undefined once the entries run out. Rejects with the signal's reason when the
   * run stops (the entries already taken stay for `abandon()`), or with the source's own error.
   */
  async next(signal: AbortSignal): Promise<PendingEntry<T>[] | undefined> {
    const batch = this.#filling;
    const paced = this.#pacer.requestLimits();
    const maxRecords = Math.min(this.#limits.maxRecords, paced?.maxRecords ?? Number.POSITIVE_INFINITY);
    const maxBytes = Math.min(this.#limits.maxBytes, paced?.maxBytes ?? Number.POSITIVE_INFINITY);
    let bytes = 0;
    // The body is prefix + entries joined by commas + suffix.
    let bodyBytes = BODY_OVERHEAD - 1;
    let linger: ReturnType<typeof lingerSignal> | undefined;
    try {
      for (;;) {
        let next = this.#carry;
        this.#carry = undefined;
        if (!next) {
          if (batch.length >= maxRecords) break;
          if (batch.length > 0 && !linger && !this.#entries.isSync)
            linger = lingerSignal(this.#clock, signal, this.#lingerMs);
          try {
            next = await this.#entries.next(linger?.signal ?? signal);
          } catch (error) {
            if (error === LINGER_OVER && !signal.aborted) break;
            throw error;
          }
          if (!next) break;
        }
        const fits =
          batch.length < maxRecords &&
          bytes + next.recordBytes <= maxBytes &&
          bodyBytes + 1 + next.bodyBytes <= this.#limits.maxBodyBytes;
        if (!fits && batch.length > 0) {
          this.#carry = next;
          break;
        }
        batch.push(next);
        bytes += next.recordBytes;
        bodyBytes += 1 + next.bodyBytes;
      }
    } finally {
      linger?.dispose();
    }
    this.#filling = [];
    return batch.length > 0 ? batch : undefined;
  }

  /** Entries taken and not handed out in a batch: the run stopped while cutting one. */
  abandon(): PendingEntry<T>[] {
    const left = this.#carry ? [...this.#filling, this.#carry] : this.#filling;
    this.#filling = [];
    this.#carry = undefined;
    return left;
  }
}
