/** The stream resources: list, create, describe, delete. Types of their parameters and results. */

import type { Shard as KinesisShard, StreamSummary as KinesisStreamSummary } from '@kproxy/contract';
import { type CreateStreamBody, LIMITS, operations, StreamMode } from '@kproxy/contract';
import { PagePromise } from '../core/page-promise.ts';
import { callOperation, type RequestContext } from '../core/request.ts';
import { InputError } from '../errors/InputError.ts';
import type { RequestOptions } from '../types/options.ts';
import { checkLimit, checkShardId, checkStreamName } from '../validate/input.ts';

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

export interface StreamSummary {
  streamName: string;
  streamARN?: string;
  streamStatus?: string;
  streamModeDetails?: { streamMode: string };
  streamCreationTimestamp?: Date;
}

export interface ListStreamsPage {
  streamNames: string[];
  hasMoreStreams: boolean;
  streamSummaries?: StreamSummary[];
}

const epoch = (seconds: number): Date => new Date(seconds * 1000);

function toStreamSummary(s: KinesisStreamSummary): StreamSummary {
  const out: StreamSummary = { streamName: s.StreamName };
  if (s.StreamARN != null) out.streamARN = s.StreamARN;
  if (s.StreamStatus != null) out.streamStatus = s.StreamStatus;
  if (s.StreamModeDetails) out.streamModeDetails = { streamMode: s.StreamModeDetails.StreamMode };
  if (s.StreamCreationTimestamp != null) out.streamCreationTimestamp = epoch(s.StreamCreationTimestamp);
  return out;
}

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
      operations.listStreams,
      { limit: params.limit?.toString(), 'exclusive-start-stream-name': start },
      undefined,
      options,
    );
    const page: ListStreamsPage = { streamNames: out.StreamNames, hasMoreStreams: out.HasMoreStreams };
    if (out.StreamSummaries) page.streamSummaries = out.StreamSummaries.map(toStreamSummary);
    return page;
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
    operations.createStream,
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
  await callOperation(
    context,
    operations.deleteStream,
    { 'stream-name': params.streamName },
    undefined,
    options,
  );
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

export interface HashKeyRange {
  startingHashKey: string;
  endingHashKey: string;
}

export interface Shard {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  hashKeyRange: HashKeyRange;
  sequenceNumberRange: {
    startingSequenceNumber: string;
    /** Present once the shard is closed (after a reshard). */
    endingSequenceNumber?: string;
  };
}

/** A stream and one page of its shards. */
export interface StreamDescription {
  streamName: string;
  streamARN: string;
  /** `CREATING`, `ACTIVE`, `UPDATING` or `DELETING`. */
  streamStatus: string;
  shards: Shard[];
  hasMoreShards: boolean;
  retentionPeriodHours?: number;
  streamCreationTimestamp?: Date;
  streamModeDetails?: { streamMode: string };
  encryptionType?: string;
  keyId?: string;
}

export function toShard(s: KinesisShard): Shard {
  const shard: Shard = {
    shardId: s.ShardId,
    hashKeyRange: {
      startingHashKey: s.HashKeyRange.StartingHashKey,
      endingHashKey: s.HashKeyRange.EndingHashKey,
    },
    sequenceNumberRange: { startingSequenceNumber: s.SequenceNumberRange.StartingSequenceNumber },
  };
  if (s.ParentShardId != null) shard.parentShardId = s.ParentShardId;
  if (s.AdjacentParentShardId != null) shard.adjacentParentShardId = s.AdjacentParentShardId;
  if (s.SequenceNumberRange.EndingSequenceNumber != null) {
    shard.sequenceNumberRange.endingSequenceNumber = s.SequenceNumberRange.EndingSequenceNumber;
  }
  return shard;
}

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
    const { StreamDescription: d } = await callOperation(
      context,
      operations.describeStream,
      {
        'stream-name': params.streamName,
        limit: params.limit?.toString(),
        'exclusive-start-shard-id': start,
      },
      undefined,
      options,
    );
    const out: StreamDescription = {
      streamName: d.StreamName,
      streamARN: d.StreamARN,
      streamStatus: d.StreamStatus,
      shards: d.Shards.map(toShard),
      hasMoreShards: d.HasMoreShards,
    };
    if (d.RetentionPeriodHours != null) out.retentionPeriodHours = d.RetentionPeriodHours;
    if (d.StreamCreationTimestamp != null) out.streamCreationTimestamp = epoch(d.StreamCreationTimestamp);
    if (d.StreamModeDetails) out.streamModeDetails = { streamMode: d.StreamModeDetails.StreamMode };
    if (d.EncryptionType != null) out.encryptionType = d.EncryptionType;
    if (d.KeyId != null) out.keyId = d.KeyId;
    return out;
  };
  return new PagePromise(
    fetchPage(params.exclusiveStartShardId),
    (page) =>
      page.hasMoreShards && page.shards.length > 0 ? fetchPage(page.shards.at(-1)!.shardId) : undefined,
    (page) => page.shards,
  );
}
