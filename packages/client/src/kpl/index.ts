/**
 * KPL aggregation: the aggregated record format (encode, decode), size-limited aggregation per shard,
 * and Kinesis's hash-key routing. Only what imports these pays for MD5 in a browser bundle.
 */
export {
  Aggregator,
  type AggregatorOptions,
  aggregate,
  type KinesisRecordOut,
  ShardAggregator,
} from './aggregator.ts';
export {
  AggregateBuilder,
  type DeaggregatedRecord,
  decodeAggregatedRecord,
  encodeAggregatedRecord,
  hasKplMagic,
  KPL_MAGIC,
  KPL_OVERHEAD_BYTES,
  type UserRecord,
} from './format.ts';
export {
  hashKeyOf,
  partitionKeyHash,
  type Routable,
  type ShardLike,
  ShardMap,
  type ShardRange,
} from './shards.ts';
