/**
 * kproxy's additions to the seed API: listShards, updateShardCount, describeStreamSummary. Types of
 * their parameters and results. A deployment made from the seeds lacks these routes (API Gateway answers
 * 403 "Missing Authentication Token"); see `helpers/shard-discovery.ts` for how the reader copes.
 */
import {
  describeStreamSummary as describeStreamSummarySpec,
  StreamDescriptionSummary as KinesisStreamDescriptionSummary,
  LIMITS,
  type ListShardsOutput,
  listShards as listShardsSpec,
  ScalingType,
  ShardFilterType,
  type UpdateShardCountBody,
  type UpdateShardCountOutput,
  updateShardCount as updateShardCountSpec,
} from '@kproxy/contract';
import { PagePromise } from '../core/page-promise.ts';
import { callOperation, type RequestContext } from '../core/request.ts';
import { InputError } from '../errors/InputError.ts';
import type { RequestOptions } from '../types/options.ts';
import { checkLimit, checkShardId, checkStreamName, toEpochSeconds } from '../validate/input.ts';
import { type CamelCase, toCamelCase } from './kinesis-shape.ts';
import type { Shard } from './streams.ts';

/** Invalid parameters reject when the page is awaited or iterated, like any other failure. */
const rejectedPage = <Page, Item>(error: unknown): PagePromise<Page, Item> =>
  new PagePromise<Page, Item>(
    () => Promise.reject(error),
    () => undefined,
    () => [],
  );

// ---------------------------------------------------------------------------------------------
// listShards
// ---------------------------------------------------------------------------------------------

/** Which shards to list (Kinesis's `ShardFilter`). */
export interface ShardFilter {
  /**
   * `AFTER_SHARD_ID` (with `shardId`), `AT_TRIM_HORIZON`, `FROM_TRIM_HORIZON` (every shard within the
   * retention period: Kinesis's default), `AT_LATEST` (the open ones), `AT_TIMESTAMP` (open at
   * `timestamp`), `FROM_TIMESTAMP` (open at or after `timestamp`).
   */
  type: ShardFilterType;
  /** For AFTER_SHARD_ID: list the shards after this one. */
  shardId?: string | undefined;
  /** For AT_TIMESTAMP and FROM_TIMESTAMP. */
  timestamp?: Date | undefined;
}

export interface ListShardsParams {
  streamName: string;
  /** Shards per page (1–10000). @default Kinesis's (10000) */
  maxResults?: number | undefined;
  /** List the shards after this one. */
  exclusiveStartShardId?: string | undefined;
  shardFilter?: ShardFilter | undefined;
  /**
   * Go on with a listing from the `nextToken` of one of its pages (valid for 5 minutes): it carries the
   * filter and the place, so neither `exclusiveStartShardId` nor `shardFilter` goes with it.
   */
  nextToken?: string | undefined;
}

/** One page of shards (`shards`), and `nextToken` while more remain. */
export type ListShardsPage = CamelCase<ListShardsOutput>;

/** The query parameters of a shard filter, checked. */
function filterParams(filter: ShardFilter | undefined): Record<string, string | undefined> {
  if (filter === undefined) return {};
  if (!ShardFilterType.safeParse(filter.type).success) {
    throw new InputError(
      'shardFilter.type',
      `is not a shard filter type (${JSON.stringify(filter.type)})`,
      `Use one of ${ShardFilterType.options.join(', ')}`,
    );
  }
  const after = filter.type === 'AFTER_SHARD_ID';
  const atTime = filter.type === 'AT_TIMESTAMP' || filter.type === 'FROM_TIMESTAMP';
  if (after) checkShardId(filter.shardId, 'shardFilter.shardId');
  else if (filter.shardId !== undefined) {
    throw new InputError('shardFilter.shardId', `is only for AFTER_SHARD_ID, not ${filter.type}`);
  }
  let timestamp: string | undefined;
  if (atTime) timestamp = toEpochSeconds(filter.timestamp, 'shardFilter.timestamp');
  else if (filter.timestamp !== undefined) {
    throw new InputError(
      'shardFilter.timestamp',
      `is only for AT_TIMESTAMP and FROM_TIMESTAMP, not ${filter.type}`,
    );
  }
  return {
    'shard-filter-type': filter.type,
    'shard-filter-shard-id': after ? filter.shardId : undefined,
    'shard-filter-timestamp': timestamp,
  };
}

export function listShards(
  context: RequestContext,
  params: ListShardsParams,
  options?: RequestOptions,
): PagePromise<ListShardsPage, Shard> {
  let first: Record<string, string | undefined>;
  try {
    checkStreamName(params.streamName);
    if (params.maxResults !== undefined)
      checkLimit(params.maxResults, 'maxResults', LIMITS.maxListShardsResults);
    if (params.nextToken !== undefined) {
      if (typeof params.nextToken !== 'string' || params.nextToken === '') {
        throw new InputError('nextToken', 'must be the nextToken of a page of this listing');
      }
      for (const field of ['exclusiveStartShardId', 'shardFilter'] as const) {
        if (params[field] !== undefined) {
          throw new InputError(
            field,
            'cannot go with nextToken: the token carries the place and the filter of the listing',
          );
        }
      }
      first = { 'next-token': params.nextToken };
    } else {
      if (params.exclusiveStartShardId !== undefined)
        checkShardId(params.exclusiveStartShardId, 'exclusiveStartShardId');
      first = {
        'exclusive-start-shard-id': params.exclusiveStartShardId,
        ...filterParams(params.shardFilter),
      };
    }
  } catch (error) {
    return rejectedPage(error);
  }
  const fetchPage = (query: Record<string, string | undefined>) => async (): Promise<ListShardsPage> => {
    const out = await callOperation(
      context,
      listShardsSpec,
      { 'stream-name': params.streamName, 'max-results': params.maxResults?.toString(), ...query },
      undefined,
      options,
    );
    return toCamelCase(listShardsSpec.output, out);
  };
  return new PagePromise(
    fetchPage(first),
    (page) => (page.nextToken ? fetchPage({ 'next-token': page.nextToken }) : undefined),
    (page) => page.shards,
  );
}

// ---------------------------------------------------------------------------------------------
// updateShardCount
// ---------------------------------------------------------------------------------------------

export interface UpdateShardCountParams {
  streamName: string;
  /** The number of open shards to end with: from half to double the current count. */
  targetShardCount: number;
  /** @default 'UNIFORM_SCALING' (the only type Kinesis has: equal hash-key ranges) */
  scalingType?: ScalingType | undefined;
}

/** `streamName`, `currentShardCount` (before), `targetShardCount`, `streamARN`. */
export type UpdateShardCountResult = CamelCase<UpdateShardCountOutput>;

export async function updateShardCount(
  context: RequestContext,
  params: UpdateShardCountParams,
  options?: RequestOptions,
): Promise<UpdateShardCountResult> {
  checkStreamName(params.streamName);
  checkLimit(params.targetShardCount, 'targetShardCount', LIMITS.maxShardCount);
  const body: UpdateShardCountBody = { TargetShardCount: params.targetShardCount };
  if (params.scalingType !== undefined) {
    if (!ScalingType.safeParse(params.scalingType).success) {
      throw new InputError(
        'scalingType',
        `must be ${ScalingType.options.map((type) => `"${type}"`).join(' or ')} (got ${JSON.stringify(params.scalingType)})`,
      );
    }
    body.ScalingType = params.scalingType;
  }
  const out = await callOperation(
    context,
    updateShardCountSpec,
    { 'stream-name': params.streamName },
    JSON.stringify(body),
    options,
  );
  return toCamelCase(updateShardCountSpec.output, out);
}

// ---------------------------------------------------------------------------------------------
// describeStreamSummary
// ---------------------------------------------------------------------------------------------

export interface DescribeStreamSummaryParams {
  streamName: string;
}

/**
 * A stream without its shards: `streamName`, `streamARN`, `streamStatus`, `openShardCount`,
 * `retentionPeriodHours`, `streamCreationTimestamp` (a `Date`), `streamModeDetails`, `consumerCount`, …
 */
export type StreamDescriptionSummary = CamelCase<KinesisStreamDescriptionSummary>;

export async function describeStreamSummary(
  context: RequestContext,
  params: DescribeStreamSummaryParams,
  options?: RequestOptions,
): Promise<StreamDescriptionSummary> {
  checkStreamName(params.streamName);
  const out = await callOperation(
    context,
    describeStreamSummarySpec,
    { 'stream-name': params.streamName },
    undefined,
    options,
  );
  return toCamelCase(KinesisStreamDescriptionSummary, out.StreamDescriptionSummary);
}
