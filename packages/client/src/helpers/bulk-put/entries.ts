/**
 * bulkPut, stage 2 (entries): the records pulled from the source become PutRecords entries, checked
 * and encoded once. Plainly, one entry per record (`RecordEntries`, here); aggregating, entries that
 * each carry many records of one shard (`AggregatedEntries`, `aggregation.ts`). The batcher cuts
 * batches out of either.
 */
import { encodeEntry, type PutRecordInput } from '../../data/entry.ts';
import { isInputError } from '../../errors/guards.ts';
import type { InputError } from '../../errors/InputError.ts';
import type { ClientLimits } from '../../types/options.ts';
import { type PendingEntry, pendingEntry } from './accounting.ts';
import type { RecordSource } from './source.ts';

export interface EntrySource<T> {
  /** The records come from a sync iterable: pulls never wait, so no linger timer is needed. */
  readonly isSync: boolean;
  /**
   * The next entry, or undefined once the records are exhausted. Rejects with the signal's reason when
   * it aborts first; nothing is lost then (the next call continues), and with the iterable's own error.
   */
  next(signal: AbortSignal): Promise<PendingEntry<T> | undefined>;
  /** The run stopped: the records read but held back, not in any entry handed out. */
  abandon(): T[];
}

/** A record the client cannot send at all (too large, bad partition key): reported, never sent. */
export type OnInvalid<T> = (record: T, error: InputError) => void;

/** Checks a record, or reports it through `onInvalid` and returns undefined. */
export function checked<T, R>(record: T, onInvalid: OnInvalid<T>, check: () => R): R | undefined {
  try {
    return check();
  } catch (error) {
    if (!isInputError(error)) throw error;
    onInvalid(record, error);
    return undefined;
  }
}

/** One entry per record. */
export class RecordEntries<T extends PutRecordInput> implements EntrySource<T> {
  #index = 0;

  constructor(
    private readonly source: RecordSource<T>,
    private readonly limits: ClientLimits,
    private readonly onInvalid: OnInvalid<T>,
  ) {}

  get isSync(): boolean {
    return this.source.isSync;
  }

  async next(signal: AbortSignal): Promise<PendingEntry<T> | undefined> {
    for (;;) {
      const pulled = await this.source.pull(signal);
      if (pulled.done) return undefined;
      const record = pulled.value;
      const field = `records[${this.#index++}]`;
      const encoded = checked(record, this.onInvalid, () => encodeEntry(record, field, this.limits));
      if (encoded) return pendingEntry(encoded, [record]);
    }
  }

  abandon(): T[] {
    return [];
  }
}
