/** The stream resources: list, create, describe, delete. Types of their parameters and results. */

import {
  type CreateStreamBody,
  createStream as createStreamSpec,
  deleteStream as deleteStreamSpec,
  describeStream as describeStreamSpec,
  type HashKeyRange as KinesisHashKeyRange,
  type Shard as KinesisShard,
  StreamDescription as KinesisStreamDescription,
  type StreamSummary as KinesisStreamSummary,
  LIMITS,
  type ListStreamsOutput,
  listStreams as listStreamsSpec,
  StreamMode,
} from '@kproxy/contract';
import { PagePromise } from '../core/page-promise.ts';
import { callOperation, type RequestContext } from '../core/request.ts';
import { InputError } from '../errors/InputError.ts';
import type { RequestOptions } from '../types/options.ts';
import { checkLimit, checkShardId, checkStreamName } from '../validate/input.ts';
import { type CamelCase, toCamelCase } from './kinesis-shape.ts';

/** Invalid parameters reject when the page is awaited or iterated, like any other failure. */
const rejectedPage = <Page, Item>(error: unknown): PagePromise<Page, Item> =>
  new PagePromise<Page, Item>(
    () => Promise.reject(error),
    () => undefined,
    () => [],
  );

// ---------------------------------------------------------------------------------------------
// listStreams
// ---------------------------------------------------------------------------------------------

export interface ListStreamsParams {
  /** Streams per page (1–10000). @default the API's default (100) */
  limit?: number | undefined;
  /** Start after this stream name. */
  exclusiveStartStreamName?: string | undefined;
}

/** One entry of `streamSummaries`: the contract's `StreamSummary` in the client's shape. */
export type StreamSummary = CamelCase<KinesisStreamSummary>;

/** One page of stream names (`streamNames`, `hasMoreStreams`, `streamSummaries`, …). */
export type ListStreamsPage = CamelCase<ListStreamsOutput>;

export function listStreams(
  context: RequestContext,
  params: ListStreamsParams = {},
  options?: RequestOptions,
): PagePromise<ListStreamsPage, string> {
  try {
    if (params.limit !== undefined) checkLimit(params.limit, 'limit', LIMITS.maxListLimit);
    if (params.exclusiveStartStreamName !== undefined) {
      checkStreamName(params.exclusiveStartStreamName, 'exclusiveStartStreamName');
    }
  } catch (error) {
    return rejectedPage(error);
  }
  const fetchPage = (start: string | undefined) => async (): Promise<ListStreamsPage> => {
    const out = await callOperation(
      context,
      listStreamsSpec,
      { limit: params.limit?.toString(), 'exclusive-start-stream-name': start },
      undefined,
      options,
    );
    return toCamelCase(listStreamsSpec.output, out);
  };
  return new PagePromise(
    fetchPage(params.exclusiveStartStreamName),
    (page) =>
      page.hasMoreStreams && page.streamNames.length > 0 ? fetchPage(page.streamNames.at(-1)) : undefined,
    (page) => page.streamNames,
  );
}

// ---------------------------------------------------------------------------------------------
// createStream / deleteStream
// ---------------------------------------------------------------------------------------------

export interface CreateStreamParams {
  streamName: string;
  /** Shards of a PROVISIONED stream. @default 5 (the API's default, as in AWS's tutorial) */
  shardCount?: number | undefined;
  /** `ON_DEMAND` streams scale their shards themselves and take no shard count. @default 'PROVISIONED' */
  streamMode?: StreamMode | undefined;
}

export async function createStream(
  context: RequestContext,
  params: CreateStreamParams,
  options?: RequestOptions,
): Promise<void> {
  checkStreamName(params.streamName);
  const body: CreateStreamBody = {};
  if (params.shardCount !== undefined) {
    checkLimit(params.shardCount, 'shardCount', LIMITS.maxShardCount);
    body.ShardCount = params.shardCount;
  }
  if (params.streamMode !== undefined) {
    if (!StreamMode.safeParse(params.streamMode).success) {
      throw new InputError(
        'streamMode',
        `must be ${StreamMode.options.map((mode) => `"${mode}"`).join(' or ')} (got ${String(params.streamMode)})`,
      );
    }
    if (params.streamMode === 'ON_DEMAND' && params.shardCount !== undefined) {
      throw new InputError('shardCount', 'cannot be given for an ON_DEMAND stream', 'Leave shardCount out');
    }
    body.StreamMode = params.streamMode;
  }
  await callOperation(
    context,
    createStreamSpec,
    { 'stream-name': params.streamName },
    JSON.stringify(body),
    options,
  );
}

export interface DeleteStreamParams {
  streamName: string;
}

export async function deleteStream(
  context: RequestContext,
  params: DeleteStreamParams,
  options?: RequestOptions,
): Promise<void> {
  checkStreamName(params.streamName);
  await callOperation(context, deleteStreamSpec, { 'stream-name': params.streamName }, undefined, options);
}

// ---------------------------------------------------------------------------------------------
// describeStream
// ---------------------------------------------------------------------------------------------

export interface DescribeStreamParams {
  streamName: string;
  /** Shards per page (1–10000). @default the API's default (100) */
  limit?: number | undefined;
  /** Start after this shard id. */
  exclusiveStartShardId?: string | undefined;
}

export type HashKeyRange = CamelCase<KinesisHashKeyRange>;

/** A shard: `shardId`, `hashKeyRange`, `sequenceNumberRange` (with `endingSequenceNumber` once closed), … */
export type Shard = CamelCase<KinesisShard>;

/**
 * A stream and one page of its shards: `streamName`, `streamARN`, `streamStatus` (`CREATING`, `ACTIVE`,
 * `UPDATING` or `DELETING`), `shards`, `hasMoreShards`, `streamCreationTimestamp` (a `Date`), …
 */
export type StreamDescription = CamelCase<KinesisStreamDescription>;

export function describeStream(
  context: RequestContext,
  params: DescribeStreamParams,
  options?: RequestOptions,
): PagePromise<StreamDescription, Shard> {
  try {
    checkStreamName(params.streamName);
    if (params.limit !== undefined) checkLimit(params.limit, 'limit', LIMITS.maxDescribeLimit);
    if (params.exclusiveStartShardId !== undefined)
      checkShardId(params.exclusiveStartShardId, 'exclusiveStartShardId');
  } catch (error) {
    return rejectedPage(error);
  }
  const fetchPage = (start: string | undefined) => async (): Promise<StreamDescription> => {
    const out = await callOperation(
      context,
      describeStreamSpec,
      {
        'stream-name': params.streamName,
        limit: params.limit?.toString(),
        'exclusive-start-shard-id': start,
      },
      undefined,
      options,
    );
    return toCamelCase(KinesisStreamDescription, out.StreamDescription);
  };
  return new PagePromise(
    fetchPage(params.exclusiveStartShardId),
    (page) =>
      page.hasMoreShards && page.shards.length > 0 ? fetchPage(page.shards.at(-1)!.shardId) : undefined,
    (page) => page.shards,
  );
}
