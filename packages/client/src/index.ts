/**
 * @kproxy/client — a typed client for the kproxy API (Amazon Kinesis Data Streams through API Gateway).
 */

export type { ScalingType, ShardFilterType, ShardIteratorType, StreamMode } from '@kproxy/contract';
export { bulkPut, KproxyClient, readStream, waitForShardCount, waitForStream } from './client.ts';
export { KproxyConnection } from './connection.ts';
export { DEFAULT_LIMITS, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './core/config.ts';
export { PagePromise } from './core/page-promise.ts';
export { KproxyCore } from './core-client.ts';
export type { PutRecordInput } from './data/entry.ts';
export type { ReceivedRecord } from './data/received-record.ts';
export type { RecordData } from './data/record-data.ts';
export * from './errors/index.ts';
export {
  BulkPutError,
  type BulkPutFailureReason,
  type BulkPutParams,
  type BulkPutProgress,
  type BulkPutResult,
  type BulkPutStopKind,
  isBulkPutError,
} from './helpers/bulk-put.ts';
export type { ReadPosition, SavedStart, ShardPosition } from './helpers/read-position.ts';
export {
  isMissingRoute,
  type ShardDiscovery,
  type ShardDiscoveryMethod,
} from './helpers/shard-discovery.ts';
export {
  type ReadFailure,
  type ReadFrom,
  type ReadStreamParams,
  type StreamBatch,
  StreamReader,
  type StreamRecord,
} from './helpers/stream-reader.ts';
export {
  ShardCountWaitTimeoutError,
  type WaitForShardCountParams,
} from './helpers/wait-for-shard-count.ts';
export {
  StreamWaitTimeoutError,
  type WaitableStreamStatus,
  type WaitForStreamParams,
  type WaitOptions,
} from './helpers/wait-for-stream.ts';
export * from './kpl/index.ts';
export {
  createStream,
  deleteStream,
  describeStream,
  describeStreamSummary,
  getRecords,
  getShardIterator,
  listShards,
  listStreams,
  putRecord,
  putRecords,
  updateShardCount,
} from './operations.ts';
export {
  type CamelCase,
  type KinesisShape,
  toCamelCase,
  toKinesisShape,
} from './resources/kinesis-shape.ts';
export type {
  ChildShard,
  GetRecordsParams,
  GetRecordsResult,
  GetShardIteratorParams,
  GetShardIteratorResult,
  PutRecordParams,
  PutRecordResult,
  PutRecordsFailure,
  PutRecordsParams,
  PutRecordsResult,
  PutRecordsResultEntry,
  PutRecordsSuccess,
} from './resources/records.ts';
export type {
  DescribeStreamSummaryParams,
  ListShardsPage,
  ListShardsParams,
  ShardFilter,
  StreamDescriptionSummary,
  UpdateShardCountParams,
  UpdateShardCountResult,
} from './resources/shards.ts';
export type {
  CreateStreamParams,
  DeleteStreamParams,
  DescribeStreamParams,
  HashKeyRange,
  ListStreamsPage,
  ListStreamsParams,
  Shard,
  StreamDescription,
  StreamSummary,
} from './resources/streams.ts';
export type {
  ApiKeyAuth,
  AuthOptions,
  ClientHooks,
  ClientLimits,
  ClientOptions,
  Clock,
  CredentialProvider,
  Credentials,
  NoAuth,
  RequestInfo,
  RequestOptions,
  ResponseInfo,
  SigV4Auth,
} from './types/options.ts';
