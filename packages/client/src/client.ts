/**
 * `KproxyClient`: the eight methods of `KproxyCore` plus the two helpers as methods, `bulkPut` and
 * `readStream`. The helpers are also standalone functions taking any client: an app that imports
 * `KproxyCore` and only the helpers it calls bundles nothing else.
 */

import { KproxyCore, requestContextOf } from './core-client.ts';
import type { PutRecordInput } from './data/entry.ts';
import { type BulkPutParams, type BulkPutResult, bulkPut as bulkPutWith } from './helpers/bulk-put.ts';
import { type ReadStreamParams, StreamReader } from './helpers/stream-reader.ts';

/**
 * Puts any number of records: batches them by count and bytes, keeps `concurrency` requests in
 * flight, pulls from `records` only as fast as it sends (memory stays bounded), retries only the
 * records that failed, and reports each record that finally failed through `onFailure` (or the
 * result's `failures`) with the caller's own object.
 *
 * @example
 * import { KproxyCore, bulkPut } from '@kproxy/client';
 * const result = await bulkPut(new KproxyCore({ endpoint }), { streamName: 'events', records });
 */
export function bulkPut<T extends PutRecordInput>(
  client: KproxyCore,
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
export function readStream(client: KproxyCore, params: ReadStreamParams): StreamReader {
  return new StreamReader(requestContextOf(client), params);
}

export class KproxyClient extends KproxyCore {
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
