/**
 * Kinesis Data Streams limits and name patterns that every part of kproxy checks against.
 * Values are the service defaults; the client lets callers raise the configurable ones.
 */

/** Stream names and shard ids: 1–128 characters of `[a-zA-Z0-9_.-]`. */
export const NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;

/** API Gateway stage names (the first path segment of every URL): 1–128 letters, digits, `-` or `_`. */
export const STAGE_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,128}$/;

/** ExplicitHashKey: a decimal 128-bit integer without leading zeros. */
export const EXPLICIT_HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;

/** Sequence numbers are decimal strings of up to 129 digits; never parse them as numbers. */
export const SEQUENCE_NUMBER_PATTERN = /^(0|[1-9]\d{0,128})$/;

/** Standard base64 (RFC 4648 §4), padded, as Kinesis expects record data on the wire. */
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const LIMITS = {
  /**
   * Partition key length in UTF-16 code units (a JavaScript string's `length`): AWS documents "256
   * characters" without saying how they are counted, and both Kinesis engines kproxy runs on (kinesalite
   * and kinesis-mock) count UTF-16 units, as Java's `String.length()` does — 128 emoji are accepted, 129
   * refused (e2e/test/support/client-suite.ts, on both engines). Counting in code points would let 129–256 emoji
   * through the client for the engine to refuse.
   */
  partitionKeyMinLength: 1,
  partitionKeyMaxLength: 256,
  /** Data plus partition key of one record, in bytes (1 MiB; a stream can be raised to 10 MiB). */
  maxRecordBytes: 1024 * 1024,
  /** The largest record a stream can be raised to (UpdateMaxRecordSize): 10 MiB. */
  maxRaisedRecordBytes: 10 * 1024 * 1024,
  /** Entries in one PutRecords request. */
  maxRecordsPerBatch: 500,
  /** Data plus partition keys of one PutRecords request, in bytes (5 MiB; newer quotas allow 10 MiB). */
  maxBatchBytes: 5 * 1024 * 1024,
  /** API Gateway rejects request bodies larger than this (the JSON text, not the decoded bytes). */
  maxApiGatewayBodyBytes: 10 * 1000 * 1000,
  /** GetRecords `Limit`. */
  maxGetRecordsLimit: 10_000,
  /** GetRecords calls a shard accepts per second. */
  getRecordsPerShardPerSecond: 5,
  /** Bytes a shard serves to GetRecords per second (2 MB/s); a larger read borrows from the next seconds. */
  readBytesPerShardPerSecond: 2_000_000,
  /** CreateStream `ShardCount`: the most the request model accepts (accounts have lower shard quotas). */
  maxShardCount: 100_000,
  /** ListShards `MaxResults` (also its default: one call lists up to 10,000 shards). */
  maxListShardsResults: 10_000,
  /** Length of a ListShards `NextToken`. */
  maxNextTokenLength: 1_048_576,
  /** A ListShards `NextToken` expires this long after it was issued (ExpiredNextTokenException). */
  nextTokenTtlMs: 300 * 1000,
  /** ListStreams / DescribeStream `Limit`. */
  maxListLimit: 10_000,
  maxDescribeLimit: 10_000,
  /** Length of a shard iterator (the `Shard-Iterator` header). */
  maxShardIteratorLength: 512,
  /** A shard iterator expires this long after it was issued. */
  shardIteratorTtlMs: 5 * 60 * 1000,
} as const;
