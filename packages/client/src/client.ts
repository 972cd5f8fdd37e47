/**
 * `KproxyClient`: the operations of `KproxyCore` plus the helpers as methods: `bulkPut`,
 * `readStream`, `waitForStream`, `waitForShardCount`, `createStream(…, { wait })` and
 * `updateShardCount(…, { wait })`. The helpers are also standalone
 * functions taking any connection: an app that imports `KproxyConnection` (or `KproxyCore`) and only
 * the functions it calls bundles nothing else.
 */

import { type KproxyConnection, requestContextOf } from './connection.ts';
import { KproxyCore } from './core-client.ts';
import type { PutRecordInput } from './data/entry.ts';
import { type BulkPutParams, type BulkPutResult, bulkPut as bulkPutWith } from './helpers/bulk-put.ts';
import { type ReadStreamParams, StreamReader } from './helpers/stream-reader.ts';
import {
  type WaitForShardCountParams,
  waitForShardCount as waitForShardCountWith,
} from './helpers/wait-for-shard-count.ts';
import {
  type WaitableStreamStatus,
  type WaitForStreamParams,
  type WaitOptions,
  waitForStream as waitForStreamWith,
} from './helpers/wait-for-stream.ts';
import type { UpdateShardCountParams, UpdateShardCountResult } from './resources/shards.ts';
import type { CreateStreamParams } from './resources/streams.ts';
import type { RequestOptions } from './types/options.ts';

/**
 * Puts any number of records: batches them by count and bytes, keeps `concurrency` requests in
 * flight, pulls from `records` only as fast as it sends (memory stays bounded), retries only the
 * records that failed, and reports each record that finally failed through `onFailure` (or the
 * result's `failures`) with the caller's own object.
 *
 * @example
 * import { bulkPut, KproxyConnection } from '@kproxy/client';
 * const result = await bulkPut(new KproxyConnection({ endpoint }), { streamName: 'events', records });
 */
export function bulkPut<T extends PutRecordInput>(
  client: KproxyConnection,
  params: BulkPutParams<T>,
): Promise<BulkPutResult<T>> {
  return bulkPutWith(requestContextOf(client), client.limits, params);
}

/**
 * Reads every shard of a stream as one async iterable of records (each with its `shardId`), parents
 * before children after a reshard. `reader.position()` says where it is, for resuming later.
 *
 * @example
 * const reader = readStream(client, { streamName: 'events', from: 'latest' });
 * for await (const record of reader) console.log(record.shardId, record.text());
 */
export function readStream(client: KproxyConnection, params: ReadStreamParams): StreamReader {
  return new StreamReader(requestContextOf(client), params);
}

/**
 * Polls the stream's status until it is `status` (default `ACTIVE`; `DELETED` waits until it is
 * gone), every `pollInterval` ms (1 s); rejects with a `StreamWaitTimeoutError` saying the last
 * status seen after `timeout` ms (5 minutes).
 *
 * @example
 * await client.deleteStream({ streamName: 'orders' });
 * await waitForStream(client, { streamName: 'orders', status: 'DELETED', timeout: 60_000 });
 */
export function waitForStream(
  client: KproxyConnection,
  params: WaitForStreamParams,
): Promise<WaitableStreamStatus> {
  return waitForStreamWith(requestContextOf(client), params);
}

/**
 * Polls the stream's summary until it is ACTIVE with `openShardCount` open shards (after
 * `updateShardCount`), every `pollInterval` ms (1 s); rejects with a `StreamWaitTimeoutError` (a
 * `ShardCountWaitTimeoutError`) saying what it last saw after `timeout` ms (5 minutes).
 */
export function waitForShardCount(client: KproxyConnection, params: WaitForShardCountParams): Promise<void> {
  return waitForShardCountWith(requestContextOf(client), params);
}

export class KproxyClient extends KproxyCore {
  /**
   * Creates a stream; it is `CREATING` for a while before it accepts records. With `wait`, resolves
   * once it is `ACTIVE` (see `waitForStream`; `wait` may carry its timeout and poll interval).
   */
  override async createStream(
    params: CreateStreamParams,
    options?: RequestOptions & { wait?: boolean | WaitOptions | undefined },
  ): Promise<void> {
    await super.createStream(params, options);
    if (options?.wait) {
      const wait = options.wait === true ? {} : options.wait;
      await waitForStream(this, {
        signal: options.signal,
        ...wait,
        streamName: params.streamName,
        status: 'ACTIVE',
      });
    }
  }

  /**
   * Reshards a stream to `targetShardCount` open shards of equal hash-key ranges. With `wait`, resolves
   * once it is ACTIVE with that many open shards (see `waitForShardCount`; `wait` may carry its timeout
   * and poll interval).
   */
  override async updateShardCount(
    params: UpdateShardCountParams,
    options?: RequestOptions & { wait?: boolean | WaitOptions | undefined },
  ): Promise<UpdateShardCountResult> {
    const result = await super.updateShardCount(params, options);
    if (options?.wait) {
      const wait = options.wait === true ? {} : options.wait;
      await waitForShardCount(this, {
        signal: options.signal,
        ...wait,
        streamName: params.streamName,
        openShardCount: params.targetShardCount,
      });
    }
    return result;
  }

  /** `waitForShardCount(this, params)`: polls until the stream is ACTIVE with `openShardCount` open shards. */
  waitForShardCount(params: WaitForShardCountParams): Promise<void> {
    return waitForShardCount(this, params);
  }

  /** `waitForStream(this, params)`: polls the stream's status until it is `status` (default `ACTIVE`). */
  waitForStream(params: WaitForStreamParams): Promise<WaitableStreamStatus> {
    return waitForStream(this, params);
  }

  /** `bulkPut(this, params)`: puts any number of records, in batches, retrying the failed ones. */
  bulkPut<T extends PutRecordInput>(params: BulkPutParams<T>): Promise<BulkPutResult<T>> {
    return bulkPut(this, params);
  }

  /**
   * `readStream(this, params)`: reads every shard of a stream as one async iterable of records.
   *
   * @example
   * const reader = client.readStream({ streamName: 'events', from: 'latest' });
   * for await (const record of reader) console.log(record.shardId, record.text());
   */
  readStream(params: ReadStreamParams): StreamReader {
    return readStream(this, params);
  }
}
