/**
 * `KproxyCore`: the eight methods of the kproxy API and nothing else, so a bundle that uses only them
 * (a browser app that calls `putRecords`) carries neither the bulk writer nor the stream reader.
 * `KproxyClient` (./client.ts) adds `bulkPut` and `readStream`; both are also standalone functions that
 * take any `KproxyCore`.
 *
 * Every method takes its parameters (camelCase) and per-call `RequestOptions`; results are the
 * contract's output schemas in camelCase (`CamelCase<T>`). Inputs are checked before anything is sent
 * (`InputError`); responses are checked against the contract's schemas (`ResponseValidationError`).
 */

import { resolveConfig } from './core/config.ts';
import type { PagePromise } from './core/page-promise.ts';
import type { RequestContext } from './core/request.ts';
import {
  type WaitableStreamStatus,
  type WaitForStreamParams,
  type WaitOptions,
  waitForStream,
} from './helpers/wait-for-stream.ts';
import {
  type GetRecordsParams,
  type GetRecordsResult,
  type GetShardIteratorParams,
  type GetShardIteratorResult,
  getRecords,
  getShardIterator,
  type PutRecordParams,
  type PutRecordResult,
  type PutRecordsParams,
  type PutRecordsResult,
  putRecord,
  putRecords,
} from './resources/records.ts';
import {
  type CreateStreamParams,
  createStream,
  type DeleteStreamParams,
  type DescribeStreamParams,
  deleteStream,
  describeStream,
  type ListStreamsPage,
  type ListStreamsParams,
  listStreams,
  type Shard,
  type StreamDescription,
} from './resources/streams.ts';
import type { ClientLimits, ClientOptions, RequestOptions } from './types/options.ts';

export class KproxyCore {
  /** The stage URL requests go to (without trailing slash). */
  readonly endpoint: string;
  /** The region SigV4 signs for. */
  readonly region: string;
  /** The limits checked before sending. */
  readonly limits: Readonly<ClientLimits>;
  /** @internal */
  protected readonly context: RequestContext;

  constructor(options: ClientOptions) {
    const { context, limits, region } = resolveConfig(options);
    this.context = context;
    this.limits = Object.freeze(limits);
    this.region = region;
    this.endpoint = context.endpoint;
  }

  /**
   * Lists stream names. `await` it for the first page; `for await (const name of client.listStreams())`
   * goes through every page.
   */
  listStreams(params?: ListStreamsParams, options?: RequestOptions): PagePromise<ListStreamsPage, string> {
    return listStreams(this.context, params, options);
  }

  /**
   * Creates a stream; it is `CREATING` for a while before it accepts records. With `wait`, resolves
   * once it is `ACTIVE` (see `waitForStream`; `wait` may carry its timeout and poll interval).
   */
  async createStream(
    params: CreateStreamParams,
    options?: RequestOptions & { wait?: boolean | WaitOptions | undefined },
  ): Promise<void> {
    await createStream(this.context, params, options);
    if (options?.wait) {
      const wait = options.wait === true ? {} : options.wait;
      await waitForStream(this.context, {
        signal: options.signal,
        ...wait,
        streamName: params.streamName,
        status: 'ACTIVE',
      });
    }
  }

  /**
   * Polls the stream's status until it is `status` (default `ACTIVE`; `DELETED` waits until it is
   * gone), every `pollInterval` ms (1 s); rejects with a `StreamWaitTimeoutError` saying the last
   * status seen after `timeout` ms (5 minutes).
   *
   * @example
   * await client.deleteStream({ streamName: 'orders' });
   * await client.waitForStream({ streamName: 'orders', status: 'DELETED', timeout: 60_000 });
   */
  waitForStream(params: WaitForStreamParams): Promise<WaitableStreamStatus> {
    return waitForStream(this.context, params);
  }

  /**
   * Describes a stream with one page of shards. `await` it for the description; `for await (const shard
   * of client.describeStream({ streamName }))` goes through every shard.
   */
  describeStream(
    params: DescribeStreamParams,
    options?: RequestOptions,
  ): PagePromise<StreamDescription, Shard> {
    return describeStream(this.context, params, options);
  }

  /** Deletes a stream and its records (the stream is `DELETING` for a while). */
  deleteStream(params: DeleteStreamParams, options?: RequestOptions): Promise<void> {
    return deleteStream(this.context, params, options);
  }

  /** Writes one record. */
  putRecord(params: PutRecordParams, options?: RequestOptions): Promise<PutRecordResult> {
    return putRecord(this.context, this.limits, params, options);
  }

  /**
   * Writes up to 500 records in one request. Some may fail while others succeed: check
   * `failedRecordCount` and each entry's `errorCode` (or use `bulkPut`, which retries them).
   */
  putRecords(params: PutRecordsParams, options?: RequestOptions): Promise<PutRecordsResult> {
    return putRecords(this.context, this.limits, params, options);
  }

  /** Gets an iterator for reading a shard (valid for 5 minutes). */
  getShardIterator(
    params: GetShardIteratorParams,
    options?: RequestOptions,
  ): Promise<GetShardIteratorResult> {
    return getShardIterator(this.context, params, options);
  }

  /** Reads records from a shard iterator. */
  getRecords(params: GetRecordsParams, options?: RequestOptions): Promise<GetRecordsResult> {
    return getRecords(this.context, params, options);
  }
}

/**
 * The request context of a client, for the helpers built on it (`bulkPut`, `readStream`). `context` is
 * protected in the type only, to keep it out of the public API; the helpers are part of this package.
 * @internal
 */
export function requestContextOf(client: KproxyCore): RequestContext {
  return (client as unknown as { context: RequestContext }).context;
}
