/**
 * `KproxyCore`: a `KproxyConnection` with the operations of the kproxy API as methods, and nothing
 * else, so a bundle that uses it carries neither the bulk writer nor the stream reader. `KproxyClient`
 * (./client.ts) adds the helpers `bulkPut`, `readStream`, `waitForStream` and `waitForShardCount` (and
 * `createStream(…, { wait })`, `updateShardCount(…, { wait })`); each operation and helper is also a standalone function (./operations.ts, ./client.ts)
 * taking any connection, for the smallest bundles.
 */

import { KproxyConnection } from './connection.ts';
import type { PagePromise } from './core/page-promise.ts';
import * as operations from './operations.ts';
import type {
  GetRecordsParams,
  GetRecordsResult,
  GetShardIteratorParams,
  GetShardIteratorResult,
  PutRecordParams,
  PutRecordResult,
  PutRecordsParams,
  PutRecordsResult,
} from './resources/records.ts';
import type {
  DescribeStreamSummaryParams,
  ListShardsPage,
  ListShardsParams,
  StreamDescriptionSummary,
  UpdateShardCountParams,
  UpdateShardCountResult,
} from './resources/shards.ts';
import type {
  CreateStreamParams,
  DeleteStreamParams,
  DescribeStreamParams,
  ListStreamsPage,
  ListStreamsParams,
  Shard,
  StreamDescription,
} from './resources/streams.ts';
import type { RequestOptions } from './types/options.ts';

export class KproxyCore extends KproxyConnection {
  /**
   * Lists stream names. `await` it for the first page; `for await (const name of client.listStreams())`
   * goes through every page.
   */
  listStreams(params?: ListStreamsParams, options?: RequestOptions): PagePromise<ListStreamsPage, string> {
    return operations.listStreams(this, params, options);
  }

  /** Creates a stream; it is `CREATING` for a while before it accepts records (see `waitForStream`). */
  createStream(params: CreateStreamParams, options?: RequestOptions): Promise<void> {
    return operations.createStream(this, params, options);
  }

  /**
   * Describes a stream with one page of shards. `await` it for the description; `for await (const shard
   * of client.describeStream({ streamName }))` goes through every shard.
   */
  describeStream(
    params: DescribeStreamParams,
    options?: RequestOptions,
  ): PagePromise<StreamDescription, Shard> {
    return operations.describeStream(this, params, options);
  }

  /** Deletes a stream and its records (the stream is `DELETING` for a while). */
  deleteStream(params: DeleteStreamParams, options?: RequestOptions): Promise<void> {
    return operations.deleteStream(this, params, options);
  }

  /** Writes one record. */
  putRecord(params: PutRecordParams, options?: RequestOptions): Promise<PutRecordResult> {
    return operations.putRecord(this, params, options);
  }

  /**
   * Writes up to 500 records in one request. Some may fail while others succeed: check
   * `failedRecordCount` and each entry's `errorCode` (or use `bulkPut`, which retries them).
   */
  putRecords(params: PutRecordsParams, options?: RequestOptions): Promise<PutRecordsResult> {
    return operations.putRecords(this, params, options);
  }

  /** Gets an iterator for reading a shard (valid for 5 minutes). */
  getShardIterator(
    params: GetShardIteratorParams,
    options?: RequestOptions,
  ): Promise<GetShardIteratorResult> {
    return operations.getShardIterator(this, params, options);
  }

  /** Reads records from a shard iterator. */
  getRecords(params: GetRecordsParams, options?: RequestOptions): Promise<GetRecordsResult> {
    return operations.getRecords(this, params, options);
  }

  // kproxy's additions to the seed API (a deployment made from the seeds answers 403 for these).

  /**
   * Lists the shards of a stream, optionally filtered (`shardFilter: { type: 'AT_LATEST' }`: the open
   * ones). `await` it for the first page; `for await (const shard of client.listShards({ streamName }))`
   * goes through every page.
   */
  listShards(params: ListShardsParams, options?: RequestOptions): PagePromise<ListShardsPage, Shard> {
    return operations.listShards(this, params, options);
  }

  /**
   * Reshards a stream to `targetShardCount` open shards of equal hash-key ranges (from half to double
   * the current count). Kinesis answers at once; the stream is UPDATING until the reshard is done.
   */
  updateShardCount(
    params: UpdateShardCountParams,
    options?: RequestOptions,
  ): Promise<UpdateShardCountResult> {
    return operations.updateShardCount(this, params, options);
  }

  /** Describes a stream without its shards: status, mode, retention, and the number of open shards. */
  describeStreamSummary(
    params: DescribeStreamSummaryParams,
    options?: RequestOptions,
  ): Promise<StreamDescriptionSummary> {
    return operations.describeStreamSummary(this, params, options);
  }
}
