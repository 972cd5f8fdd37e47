/**
 * Pulls records from a caller's (async) iterable and cuts them into batches by count and bytes.
 *
 * Records are pulled only when a sender asks for the next batch, so a fast source never gets ahead of
 * the requests (memory holds at most one batch per sender plus one record). A batch that has records
 * is sent after `lingerMs` even if it is not full, so a slow source (a terminal, a tail) still flows.
 */
import { BODY_OVERHEAD, type EncodedEntry, encodeEntry, type PutRecordInput } from '../data/entry.ts';
import { isInputError } from '../errors/guards.ts';
import type { InputError } from '../errors/InputError.ts';
import type { ClientLimits } from '../types/options.ts';

/** A record on its way: the caller's object, its encoded entry and how often it was sent. */
export interface PendingRecord<T> extends EncodedEntry {
  record: T;
  attempts: number;
}

export interface BatchLimits {
  maxRecords: number;
  /** Data plus partition keys. */
  maxBytes: number;
  /** The JSON body as sent. */
  maxBodyBytes: number;
}

const TIMED_OUT = Symbol('timed out');

export class RecordSource<T extends PutRecordInput> {
  readonly #sync: Iterator<T> | undefined;
  readonly #async: AsyncIterator<T> | undefined;
  readonly #recordLimits: ClientLimits;
  readonly #batch: BatchLimits;
  readonly #lingerMs: number;
  readonly #onInvalid: (record: T, error: InputError) => void;
  /** A record pulled that did not fit the previous batch. */
  #carry: PendingRecord<T> | undefined;
  /** An async pull still under way when the linger timer cut the last batch. */
  #pendingPull: Promise<IteratorResult<T>> | undefined;
  #index = 0;
  #done = false;
  /** Serializes `next()`: senders ask concurrently, batches are cut one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    records: Iterable<T> | AsyncIterable<T>,
    options: {
      recordLimits: ClientLimits;
      batch: BatchLimits;
      lingerMs: number;
      onInvalid: (record: T, error: InputError) => void;
    },
  ) {
    if (records && typeof (records as AsyncIterable<T>)[Symbol.asyncIterator] === 'function') {
      this.#async = (records as AsyncIterable<T>)[Symbol.asyncIterator]();
    } else if (records && typeof (records as Iterable<T>)[Symbol.iterator] === 'function') {
      this.#sync = (records as Iterable<T>)[Symbol.iterator]();
    } else {
      throw new TypeError('bulkPut: `records` must be an iterable or an async iterable');
    }
    this.#recordLimits = options.recordLimits;
    this.#batch = options.batch;
    this.#lingerMs = options.lingerMs;
    this.#onInvalid = options.onInvalid;
  }

  /** The next batch, or undefined when the source is exhausted. */
  next(): Promise<PendingRecord<T>[] | undefined> {
    const result = this.#queue.then(() => this.#cut());
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the source early (an error or an abort): lets a generator run its `finally`. */
  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await (this.#async?.return?.() ?? this.#sync?.return?.());
  }

  async #cut(): Promise<PendingRecord<T>[] | undefined> {
    const batch: PendingRecord<T>[] = [];
    let bytes = 0;
    // The body is prefix + entries joined by commas + suffix.
    let bodyBytes = BODY_OVERHEAD - 1;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lingerOver: Promise<typeof TIMED_OUT> | undefined;
    try {
      for (;;) {
        let pending = this.#carry;
        this.#carry = undefined;
        if (!pending) {
          if (this.#done || batch.length >= this.#batch.maxRecords) break;
          if (batch.length > 0 && this.#async && !lingerOver) {
            lingerOver = new Promise((resolve) => {
              timer = setTimeout(() => resolve(TIMED_OUT), this.#lingerMs);
            });
          }
          const pulled = await this.#pull(lingerOver);
          if (pulled === TIMED_OUT) break;
          if (pulled.done) {
            this.#done = true;
            break;
          }
          pending = this.#encode(pulled.value);
          if (!pending) continue;
        }
        const fits =
          batch.length < this.#batch.maxRecords &&
          bytes + pending.recordBytes <= this.#batch.maxBytes &&
          bodyBytes + 1 + pending.bodyBytes <= this.#batch.maxBodyBytes;
        if (!fits && batch.length > 0) {
          this.#carry = pending;
          break;
        }
        batch.push(pending);
        bytes += pending.recordBytes;
        bodyBytes += 1 + pending.bodyBytes;
      }
    } finally {
      clearTimeout(timer);
    }
    return batch.length > 0 ? batch : undefined;
  }

  async #pull(
    lingerOver: Promise<typeof TIMED_OUT> | undefined,
  ): Promise<IteratorResult<T> | typeof TIMED_OUT> {
    if (this.#sync) return this.#sync.next();
    // A pull cut short by the linger timer stays pending and is the first of the next batch.
    const pull = this.#pendingPull ?? this.#async!.next();
    this.#pendingPull = pull;
    const winner = lingerOver ? await Promise.race([pull, lingerOver]) : await pull;
    if (winner !== TIMED_OUT) this.#pendingPull = undefined;
    return winner;
  }

  #encode(record: T): PendingRecord<T> | undefined {
    const field = `records[${this.#index++}]`;
    try {
      const entry = encodeEntry(record, field, this.#recordLimits) as PendingRecord<T>;
      entry.record = record;
      entry.attempts = 0;
      return entry;
    } catch (error) {
      if (!isInputError(error)) throw error;
      this.#onInvalid(record, error);
      return undefined;
    }
  }
}
