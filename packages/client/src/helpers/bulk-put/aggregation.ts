/**
 * bulkPut, stage 2 aggregating (`aggregate: true`): records are packed into KPL aggregated records, one
 * aggregate per destination shard at a time (`ShardAggregator`), so that an aggregated record holds the
 * records of one shard only: a reader of a shard (the KCL drops the rest) gets every record that
 * belongs to it. An aggregate is handed to the batcher when the next record does not fit in it, when
 * the records run out, or — for a slow async source — `lingerMs` after a pull started waiting.
 *
 * Routing needs the stream's open shards and their hash-key ranges, listed with the reader's own
 * listing (`discoverShards`: ListShards, or DescribeStream on a seed API) before the first record is packed. A reshard makes that map stale: Kinesis
 * puts an aggregate on another shard than the one it was packed for (`shardMoved`), or a record's hash
 * key falls outside every range. The map is then listed again (at most once a second) and the records
 * still waiting in aggregates are packed anew; a record no range covers is sent alone, unaggregated.
 */

import { utf8Length } from '#utf8';
import { checkRecordFields, encodeEntry, type PutRecordInput } from '../../data/entry.ts';
import { dataBytes } from '../../data/record-data.ts';
import { type KinesisRecordOut, ShardAggregator } from '../../kpl/aggregator.ts';
import type { UserRecord } from '../../kpl/format.ts';
import { hashKeyOf, type ShardLike, ShardMap } from '../../kpl/shards.ts';
import type { ClientLimits, Clock } from '../../types/options.ts';
import { recordTooLarge } from '../../validate/input.ts';
import { type PendingEntry, pendingEntry } from './accounting.ts';
import { checked, type EntrySource, type OnInvalid } from './entries.ts';
import { LINGER_OVER, lingerSignal, type RecordSource } from './source.ts';

/** One PUT payload unit (25 KB): no byte of an aggregate is billed for nothing. */
export const DEFAULT_AGGREGATE_BYTES = 25_000;
/** The shard map is listed again at most this often, however many answers say it is stale. */
const MIN_RELIST_MS = 1000;

/** A record checked and turned into the codec's user record, with the caller's object. */
interface Packed<T> extends UserRecord {
  readonly source: T;
}

export interface AggregationOptions<T> {
  limits: ClientLimits;
  /** The most bytes (data + partition key) of one aggregated record. */
  maxBytes: number;
  lingerMs: number;
  clock: Clock;
  /** The stream's shards, every page (the reader's listing); retried by the caller as it sees fit. */
  listShards: (signal: AbortSignal) => Promise<readonly ShardLike[]>;
  /** The first listing failed for good: stops the run (and throws the run's stop). */
  onListFailed: (error: unknown) => never;
  onInvalid: OnInvalid<T>;
}

export class AggregatedEntries<T extends PutRecordInput> implements EntrySource<T> {
  readonly #source: RecordSource<T>;
  readonly #options: AggregationOptions<T>;
  #map: ShardMap | undefined;
  #aggregator: ShardAggregator<Packed<T>> | undefined;
  /** Entries complete and not handed out yet. */
  readonly #ready: PendingEntry<T>[] = [];
  /** Kinesis put an aggregate elsewhere, or a hash key fell outside the map: list the shards again. */
  #stale = false;
  #listedAt = Number.NEGATIVE_INFINITY;
  #done = false;
  #index = 0;

  constructor(source: RecordSource<T>, options: AggregationOptions<T>) {
    this.#source = source;
    this.#options = options;
  }

  get isSync(): boolean {
    return this.#source.isSync;
  }

  /** Kinesis stored an entry on another shard than it was packed for: the shard map is stale. */
  shardMoved(): void {
    this.#stale = true;
  }

  async next(signal: AbortSignal): Promise<PendingEntry<T> | undefined> {
    // A linger timer for this call only: time spent waiting for the sender is not waiting for records.
    let linger: ReturnType<typeof lingerSignal> | undefined;
    try {
      for (;;) {
        const ready = this.#ready.shift();
        if (ready) return ready;
        if (this.#done) return undefined;
        if (!this.#map) await this.#list(signal, true);
        else if (this.#stale && this.#options.clock.now() - this.#listedAt >= MIN_RELIST_MS)
          await this.#list(signal, false);
        if (!linger && !this.#source.isSync && this.#aggregator!.count > 0)
          linger = lingerSignal(this.#options.clock, signal, this.#options.lingerMs);
        let pulled: IteratorResult<T>;
        try {
          pulled = await this.#source.pull(linger?.signal ?? signal);
        } catch (error) {
          if (error !== LINGER_OVER || signal.aborted) throw error;
          this.#flush();
          continue;
        }
        if (pulled.done) {
          this.#done = true;
          this.#flush();
          continue;
        }
        const record = pulled.value;
        const field = `records[${this.#index++}]`;
        const packed = checked(record, this.#options.onInvalid, () =>
          pack(record, field, this.#options.limits),
        );
        if (packed) this.#add(packed);
      }
    } finally {
      linger?.dispose();
    }
  }

  abandon(): T[] {
    const records = this.#ready.flatMap((entry) => entry.records);
    this.#ready.length = 0;
    for (const packed of this.#aggregator?.take() ?? []) records.push(packed.source);
    return records;
  }

  /** Lists the shards; the records waiting in aggregates are packed anew for the new map. */
  async #list(signal: AbortSignal, first: boolean): Promise<void> {
    let shards: readonly ShardLike[];
    try {
      shards = await this.#options.listShards(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      if (first) this.#options.onListFailed(error);
      // The old map still routes most records right; try again later.
      this.#listedAt = this.#options.clock.now();
      return;
    }
    this.#map = new ShardMap(shards);
    this.#listedAt = this.#options.clock.now();
    this.#stale = false;
    const waiting = this.#aggregator?.take() ?? [];
    this.#aggregator = new ShardAggregator(this.#map, { maxRecordBytes: this.#options.maxBytes });
    for (const packed of waiting) this.#add(packed);
  }

  #add(packed: Packed<T>): void {
    let completed: KinesisRecordOut<Packed<T>> | undefined;
    try {
      completed = this.#aggregator!.add(packed);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // No open shard covers its hash key: the map is stale. Alone, it goes where Kinesis routes it.
      this.#stale = true;
      this.#ready.push(this.#alone(packed));
      return;
    }
    if (completed) this.#ready.push(this.#entry(completed));
  }

  #flush(): void {
    for (const out of this.#aggregator?.flush() ?? []) this.#ready.push(this.#entry(out));
  }

  /** The PutRecords entry of an aggregate (of one record: that record alone). */
  #entry(out: KinesisRecordOut<Packed<T>>): PendingEntry<T> {
    if (!out.aggregated) return this.#alone(out.records[0]!);
    const encoded = encodeEntry(
      { data: out.data, partitionKey: out.partitionKey, explicitHashKey: out.explicitHashKey },
      'aggregated record',
      this.#options.limits,
    );
    const shardId = this.#map?.shardFor(hashKeyOf(out))?.shardId;
    return pendingEntry(
      encoded,
      out.records.map((r) => r.source),
      shardId,
    );
  }

  /** The entry of one record, sent as it would be unaggregated. */
  #alone(packed: Packed<T>): PendingEntry<T> {
    const encoded = encodeEntry(packed.source, 'record', this.#options.limits);
    return pendingEntry(encoded, [packed.source], this.#map?.shardOf(packed)?.shardId);
  }
}

/** Checks a record as an unaggregated put would (key, hash key, data, size) and takes its bytes. */
function pack<T extends PutRecordInput>(record: T, field: string, limits: ClientLimits): Packed<T> {
  checkRecordFields(record, field);
  const { partitionKey, explicitHashKey } = record;
  const data = dataBytes(record.data, `${field}.data`);
  const recordBytes = data.byteLength + utf8Length(partitionKey);
  if (recordBytes > limits.maxRecordBytes)
    throw recordTooLarge(`${field}.data`, recordBytes, limits.maxRecordBytes);
  return { partitionKey, explicitHashKey, data, source: record };
}
