/**
 * Which shard a record goes to, computed as Kinesis does: the MD5 of the partition key's UTF-8 bytes
 * read as an unsigned 128-bit integer (or the explicit hash key), inside one open shard's hash-key
 * range. Aggregation needs it: one aggregated record must hold user records of one shard only, because
 * a consumer of a shard (the KCL) drops the user records of an aggregated record that belong elsewhere.
 */
import { md5 } from '#md5';

/** The routing fields of a record. */
export interface Routable {
  readonly partitionKey: string;
  readonly explicitHashKey?: string | undefined;
}

/** A shard as `describeStream` lists it (only the fields routing needs). */
export interface ShardLike {
  readonly shardId: string;
  readonly hashKeyRange: { readonly startingHashKey: string; readonly endingHashKey: string };
  readonly sequenceNumberRange?: { readonly endingSequenceNumber?: string | undefined } | undefined;
}

export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

/** The MD5 of a partition key as an unsigned 128-bit integer. */
export function partitionKeyHash(partitionKey: string): bigint {
  const digest = md5(partitionKey);
  const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
  return (view.getBigUint64(0) << 64n) | view.getBigUint64(8);
}

/** The 128-bit hash key Kinesis routes a record by. */
export function hashKeyOf(record: Routable): bigint {
  return record.explicitHashKey !== undefined
    ? BigInt(record.explicitHashKey)
    : partitionKeyHash(record.partitionKey);
}

/** The open shards of a stream by hash-key range, for routing records. */
export class ShardMap {
  /** Open shards sorted by starting hash key. */
  readonly shards: readonly ShardRange[];

  /** From `describeStream`'s shards (every page); closed shards (resharded away) are left out. */
  constructor(shards: Iterable<ShardLike>) {
    const open: ShardRange[] = [];
    for (const shard of shards) {
      if (shard.sequenceNumberRange?.endingSequenceNumber) continue;
      open.push({
        shardId: shard.shardId,
        startingHashKey: BigInt(shard.hashKeyRange.startingHashKey),
        endingHashKey: BigInt(shard.hashKeyRange.endingHashKey),
      });
    }
    open.sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    this.shards = open;
  }

  /** The shard whose range holds `hashKey`; undefined where the map has a gap (it is out of date). */
  shardFor(hashKey: bigint): ShardRange | undefined {
    let low = 0;
    let high = this.shards.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const shard = this.shards[mid]!;
      if (hashKey < shard.startingHashKey) high = mid - 1;
      else if (hashKey > shard.endingHashKey) low = mid + 1;
      else return shard;
    }
    return undefined;
  }

  /** The shard `record` goes to. */
  shardOf(record: Routable): ShardRange | undefined {
    return this.shardFor(hashKeyOf(record));
  }
}
