/**
 * bulkPut, stage 2 (batch): cuts the records pulled from the source into PutRecords batches by count,
 * by data bytes and by the exact size of the request body, encoding each record once.
 *
 * A batch is cut when it is full, when the source ends, or — for an async source that is slow (a
 * terminal, a tail) — `lingerMs` after its first record, so records never wait long for company.
 * A record that does not fit is carried into the next batch. When the run stops while a batch is being
 * cut, `abandon()` returns every record taken but not handed out, for the ledger to report.
 */
import { linkedController } from '../../core/clock.ts';
import { BODY_OVERHEAD, encodeEntry, type PutRecordInput } from '../../data/entry.ts';
import { isInputError } from '../../errors/guards.ts';
import type { InputError } from '../../errors/InputError.ts';
import type { ClientLimits, Clock } from '../../types/options.ts';
import type { PendingRecord } from './accounting.ts';
import type { RecordSource } from './source.ts';

export interface BatchLimits {
  maxRecords: number;
  /** Data plus partition keys. */
  maxBytes: number;
  /** The JSON body as sent. */
  maxBodyBytes: number;
}

/** The reason the linger timer aborts a pull with. */
const LINGER_OVER = Symbol('linger over');

export class Batcher<T extends PutRecordInput> {
  readonly #source: RecordSource<T>;
  readonly #limits: BatchLimits;
  readonly #recordLimits: ClientLimits;
  readonly #lingerMs: number;
  readonly #clock: Clock;
  readonly #onInvalid: (record: T, error: InputError) => void;
  /** The batch being cut. */
  #filling: PendingRecord<T>[] = [];
  /** A record pulled that did not fit the previous batch. */
  #carry: PendingRecord<T> | undefined;
  #index = 0;

  constructor(
    source: RecordSource<T>,
    options: {
      limits: BatchLimits;
      recordLimits: ClientLimits;
      lingerMs: number;
      clock: Clock;
      /** A record that cannot be sent at all (too large, bad partition key): reported, never sent. */
      onInvalid: (record: T, error: InputError) => void;
    },
  ) {
    this.#source = source;
    this.#limits = options.limits;
    this.#recordLimits = options.recordLimits;
    this.#lingerMs = options.lingerMs;
    this.#clock = options.clock;
    this.#onInvalid = options.onInvalid;
  }

  /**
   * The next batch, or undefined once the source is exhausted. Rejects with the signal's reason when
   * the run stops (the records already taken stay for `abandon()`), or with the source's own error.
   */
  async next(signal: AbortSignal): Promise<PendingRecord<T>[] | undefined> {
    const batch = this.#filling;
    let bytes = 0;
    // The body is prefix + entries joined by commas + suffix.
    let bodyBytes = BODY_OVERHEAD - 1;
    let linger: ReturnType<typeof linkedController> | undefined;
    try {
      for (;;) {
        let next = this.#carry;
        this.#carry = undefined;
        if (!next) {
          if (batch.length >= this.#limits.maxRecords) break;
          if (batch.length > 0 && !linger && !this.#source.isSync) linger = this.#startLinger(signal);
          let pulled: IteratorResult<T>;
          try {
            pulled = await this.#source.pull(linger?.controller.signal ?? signal);
          } catch (error) {
            if (error === LINGER_OVER && !signal.aborted) break;
            throw error;
          }
          if (pulled.done) break;
          next = this.#encode(pulled.value);
          if (!next) continue;
        }
        const fits =
          batch.length < this.#limits.maxRecords &&
          bytes + next.recordBytes <= this.#limits.maxBytes &&
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
      if (linger) {
        linger.controller.abort();
        linger.dispose();
      }
    }
    this.#filling = [];
    return batch.length > 0 ? batch : undefined;
  }

  /** Records taken from the source and not handed out in a batch: the run stopped while cutting one. */
  abandon(): PendingRecord<T>[] {
    const left = this.#carry ? [...this.#filling, this.#carry] : this.#filling;
    this.#filling = [];
    this.#carry = undefined;
    return left;
  }

  /** A controller that aborts (with LINGER_OVER) `lingerMs` from now, or with the run's signal. */
  #startLinger(signal: AbortSignal): ReturnType<typeof linkedController> {
    const linger = linkedController(signal);
    this.#clock.sleep(this.#lingerMs, linger.controller.signal).then(
      () => linger.controller.abort(LINGER_OVER),
      () => undefined,
    );
    return linger;
  }

  #encode(record: T): PendingRecord<T> | undefined {
    const field = `records[${this.#index++}]`;
    try {
      const entry = encodeEntry(record, field, this.#recordLimits) as PendingRecord<T>;
      entry.record = record;
      entry.attempts = 0;
      entry.possiblyWritten = false;
      entry.settled = false;
      entry.lastFailure = undefined;
      return entry;
    } catch (error) {
      if (!isInputError(error)) throw error;
      this.#onInvalid(record, error);
      return undefined;
    }
  }
}
