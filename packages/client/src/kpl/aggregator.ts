/**
 * Packs user records into Kinesis records within the record size limit: `Aggregator` for one
 * destination, `ShardAggregator` for a stream (one aggregate per shard, so each aggregated record holds
 * the user records of one shard only).
 *
 * What comes out is a Kinesis record to put: data, partition key and explicit hash key, with the user
 * records it carries (so a failed put can report each of them). Its partition key is the first user
 * record's and its explicit hash key that record's hash key, as the KPL does: the aggregate lands on the
 * shard of its first user record, which (with `ShardAggregator`) is the shard of all of them. An
 * aggregate of one user record is emitted as that record, plain (as the KPL does): smaller, and readers
 * see the same thing.
 */

import { LIMITS } from '@kproxy/contract';
import { utf8Length } from '#utf8';
import { AggregateBuilder, type UserRecord } from './format.ts';
import { hashKeyOf, type ShardMap } from './shards.ts';

/** A Kinesis record to put, made of one or more user records. */
export interface KinesisRecordOut<T extends UserRecord = UserRecord> {
  readonly partitionKey: string;
  /** Always set for an aggregate (the first user record's hash key); the user's own for a plain record. */
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** Whether `data` is in the KPL aggregated format (false: one user record, as it was). */
  readonly aggregated: boolean;
  /** The user records inside, in order (their sub-sequence numbers on read). */
  readonly records: readonly T[];
}

export interface AggregatorOptions {
  /**
   * The most bytes one Kinesis record may count (data plus partition key), as Kinesis limits it.
   * @default LIMITS.maxRecordBytes (1 MiB)
   */
  readonly maxRecordBytes?: number | undefined;
}

/** Aggregates user records for one destination, cutting a record whenever the next would not fit. */
export class Aggregator<T extends UserRecord = UserRecord> {
  readonly #maxRecordBytes: number;
  #builder = new AggregateBuilder();
  #records: T[] = [];
  /** UTF-8 bytes of the first record's partition key: the aggregate's own, counted by Kinesis. */
  #keyBytes = 0;

  constructor(options: AggregatorOptions = {}) {
    this.#maxRecordBytes = options.maxRecordBytes ?? LIMITS.maxRecordBytes;
  }

  /** User records waiting. */
  get count(): number {
    return this.#records.length;
  }

  /** Bytes (data + partition key) the pending aggregate counts against Kinesis's limits. */
  get recordBytes(): number {
    return this.#records.length === 0 ? 0 : this.#builder.dataBytes + this.#keyBytes;
  }

  /**
   * Adds a user record. When it does not fit in the pending aggregate, that aggregate is completed and
   * returned, and the record starts the next one. A record too large to share an aggregate with anything
   * ends up alone, emitted plain (its size is the caller's to check against the record limit).
   */
  add(record: T): KinesisRecordOut<T> | undefined {
    let completed: KinesisRecordOut<T> | undefined;
    if (
      this.#records.length > 0 &&
      this.#builder.dataBytesWith(record) + this.#keyBytes > this.#maxRecordBytes
    ) {
      completed = this.flush();
    }
    if (this.#records.length === 0) this.#keyBytes = utf8Length(record.partitionKey);
    this.#builder.add(record);
    this.#records.push(record);
    return completed;
  }

  /** Removes the user records waiting and returns them, building nothing (to route them anew). */
  take(): T[] {
    const records = this.#records;
    this.#builder = new AggregateBuilder();
    this.#records = [];
    return records;
  }

  /** Completes the pending aggregate; undefined when nothing is pending. */
  flush(): KinesisRecordOut<T> | undefined {
    const records = this.#records;
    if (records.length === 0) return undefined;
    const builder = this.#builder;
    this.#builder = new AggregateBuilder();
    this.#records = [];
    const first = records[0]!;
    if (records.length === 1) {
      return {
        partitionKey: first.partitionKey,
        explicitHashKey: first.explicitHashKey,
        data: first.data,
        aggregated: false,
        records,
      };
    }
    return {
      partitionKey: first.partitionKey,
      explicitHashKey: first.explicitHashKey ?? hashKeyOf(first).toString(),
      data: builder.build(),
      aggregated: true,
      records,
    };
  }
}

/** Aggregates the user records of a stream per destination shard. */
export class ShardAggregator<T extends UserRecord = UserRecord> {
  readonly #aggregators = new Map<string, Aggregator<T>>();

  constructor(
    readonly shardMap: ShardMap,
    private readonly options: AggregatorOptions = {},
  ) {}

  /** User records waiting, over all shards. */
  get count(): number {
    let count = 0;
    for (const aggregator of this.#aggregators.values()) count += aggregator.count;
    return count;
  }

  /**
   * Adds a user record to its shard's aggregate; returns that aggregate when the record did not fit in
   * it. Throws a RangeError when no open shard covers the record's hash key (the map is out of date).
   */
  add(record: T): KinesisRecordOut<T> | undefined {
    const hashKey = hashKeyOf(record);
    const shard = this.shardMap.shardFor(hashKey);
    if (!shard)
      throw new RangeError(`no open shard covers hash key ${hashKey}: the shard map is out of date`);
    let aggregator = this.#aggregators.get(shard.shardId);
    if (!aggregator) {
      aggregator = new Aggregator<T>(this.options);
      this.#aggregators.set(shard.shardId, aggregator);
    }
    return aggregator.add(record);
  }

  /** Removes the user records waiting in every aggregate and returns them (e.g. after a reshard). */
  take(): T[] {
    const records: T[] = [];
    for (const aggregator of this.#aggregators.values()) records.push(...aggregator.take());
    return records;
  }

  /** Completes every pending aggregate. */
  flush(): KinesisRecordOut<T>[] {
    const out: KinesisRecordOut<T>[] = [];
    for (const aggregator of this.#aggregators.values()) {
      const record = aggregator.flush();
      if (record) out.push(record);
    }
    return out;
  }
}

/** Aggregates a whole list (no sharding: all records to one destination), in size-limited records. */
export function aggregate<T extends UserRecord>(
  records: Iterable<T>,
  options?: AggregatorOptions,
): KinesisRecordOut<T>[] {
  const aggregator = new Aggregator<T>(options);
  const out: KinesisRecordOut<T>[] = [];
  for (const record of records) {
    const completed = aggregator.add(record);
    if (completed) out.push(completed);
  }
  const last = aggregator.flush();
  if (last) out.push(last);
  return out;
}
