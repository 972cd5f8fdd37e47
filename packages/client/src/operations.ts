/**
 * The operations of the kproxy API (the seed's eight and kproxy's additions) as standalone functions of a `KproxyConnection` (or any client
 * built on it): an app bundles only those it imports. `KproxyCore`'s methods call these.
 *
 * Each takes its parameters (camelCase) and per-call `RequestOptions`; results are the contract's
 * output schemas in camelCase (`CamelCase<T>`). Inputs are checked before anything is sent
 * (`InputError`); responses are checked against the contract's schemas (`ResponseValidationError`).
 */
import { type KproxyConnection, requestContextOf } from './connection.ts';
import type { PagePromise } from './core/page-promise.ts';
import * as records from './resources/records.ts';
import * as shards from './resources/shards.ts';
import * as streams from './resources/streams.ts';
import type { RequestOptions } from './types/options.ts';

/**
 * Lists stream names. `await` it for the first page; `for await (const name of listStreams(client))`
 * goes through every page.
 */
export function listStreams(
  client: KproxyConnection,
  params?: streams.ListStreamsParams,
  options?: RequestOptions,
): PagePromise<streams.ListStreamsPage, string> {
  return streams.listStreams(requestContextOf(client), params, options);
}

/** Creates a stream; it is `CREATING` for a while before it accepts records (see `waitForStream`). */
export function createStream(
  client: KproxyConnection,
  params: streams.CreateStreamParams,
  options?: RequestOptions,
): Promise<void> {
  return streams.createStream(requestContextOf(client), params, options);
}

/**
 * Describes a stream with one page of shards. `await` it for the description; `for await (const shard
 * of describeStream(client, { streamName }))` goes through every shard.
 */
export function describeStream(
  client: KproxyConnection,
  params: streams.DescribeStreamParams,
  options?: RequestOptions,
): PagePromise<streams.StreamDescription, streams.Shard> {
  return streams.describeStream(requestContextOf(client), params, options);
}

/** Deletes a stream and its records (the stream is `DELETING` for a while). */
export function deleteStream(
  client: KproxyConnection,
  params: streams.DeleteStreamParams,
  options?: RequestOptions,
): Promise<void> {
  return streams.deleteStream(requestContextOf(client), params, options);
}

/** Writes one record. */
export function putRecord(
  client: KproxyConnection,
  params: records.PutRecordParams,
  options?: RequestOptions,
): Promise<records.PutRecordResult> {
  return records.putRecord(requestContextOf(client), client.limits, params, options);
}

/**
 * Writes up to 500 records in one request. Some may fail while others succeed: check
 * `failedRecordCount` and each entry's `errorCode` (or use `bulkPut`, which retries them).
 */
export function putRecords(
  client: KproxyConnection,
  params: records.PutRecordsParams,
  options?: RequestOptions,
): Promise<records.PutRecordsResult> {
  return records.putRecords(requestContextOf(client), client.limits, params, options);
}

/** Gets an iterator for reading a shard (valid for 5 minutes). */
export function getShardIterator(
  client: KproxyConnection,
  params: records.GetShardIteratorParams,
  options?: RequestOptions,
): Promise<records.GetShardIteratorResult> {
  return records.getShardIterator(requestContextOf(client), params, options);
}

/** Reads records from a shard iterator. */
export function getRecords(
  client: KproxyConnection,
  params: records.GetRecordsParams,
  options?: RequestOptions,
): Promise<records.GetRecordsResult> {
  return records.getRecords(requestContextOf(client), params, options);
}

// kproxy's additions to the seed API (a deployment made from the seeds answers 403 for these).

/**
 * Lists the shards of a stream, optionally filtered (`shardFilter: { type: 'AT_LATEST' }`: the open
 * ones). `await` it for the first page; `for await (const shard of listShards(client, { streamName }))`
 * goes through every page.
 */
export function listShards(
  client: KproxyConnection,
  params: shards.ListShardsParams,
  options?: RequestOptions,
): PagePromise<shards.ListShardsPage, streams.Shard> {
  return shards.listShards(requestContextOf(client), params, options);
}

/**
 * Reshards a stream to `targetShardCount` open shards of equal hash-key ranges (from half to double the
 * current count). Kinesis answers at once; the stream is UPDATING until the reshard is done (see
 * `waitForShardCount`).
 */
export function updateShardCount(
  client: KproxyConnection,
  params: shards.UpdateShardCountParams,
  options?: RequestOptions,
): Promise<shards.UpdateShardCountResult> {
  return shards.updateShardCount(requestContextOf(client), params, options);
}

/** Describes a stream without its shards: status, mode, retention, and the number of open shards. */
export function describeStreamSummary(
  client: KproxyConnection,
  params: shards.DescribeStreamSummaryParams,
  options?: RequestOptions,
): Promise<shards.StreamDescriptionSummary> {
  return shards.describeStreamSummary(requestContextOf(client), params, options);
}
