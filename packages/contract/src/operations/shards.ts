/**
 * Shard administration: kproxy's additions to the seed API's eight routes, `/shards`, `/shard-count` and
 * `/summary`. A deployment made from the seeds lacks them (API Gateway answers 403 "Missing
 * Authentication Token" for an unknown route); the client's stream reader falls back to DescribeStream
 * there.
 */
import type { OperationSpec } from '../operation.ts';
import {
  DescribeStreamSummaryOutput,
  ListShardsOutput,
  UpdateShardCountBody,
  UpdateShardCountOutput,
} from '../schemas.ts';
import {
  listShardsStartParam,
  maxResultsParam,
  nextTokenParam,
  shardFilterShardIdParam,
  shardFilterTimestampParam,
  shardFilterTypeParam,
  streamNameParam,
} from './params.ts';

export const listShards = {
  id: 'listShards',
  action: 'ListShards',
  method: 'GET',
  path: '/streams/{stream-name}/shards',
  summary:
    'List the shards of a stream, one page at a time (next-token), optionally filtered (open ones, at a time, …).',
  params: [
    streamNameParam,
    maxResultsParam,
    nextTokenParam,
    listShardsStartParam,
    shardFilterTypeParam,
    shardFilterShardIdParam,
    shardFilterTimestampParam,
  ],
  body: undefined,
  output: ListShardsOutput,
} as const satisfies OperationSpec;

export const updateShardCount = {
  id: 'updateShardCount',
  action: 'UpdateShardCount',
  method: 'PUT',
  path: '/streams/{stream-name}/shard-count',
  summary:
    'Reshard to `{"TargetShardCount": n}` open shards of equal hash-key ranges; the stream is UPDATING until done.',
  params: [streamNameParam],
  body: UpdateShardCountBody,
  output: UpdateShardCountOutput,
} as const satisfies OperationSpec;

export const describeStreamSummary = {
  id: 'describeStreamSummary',
  action: 'DescribeStreamSummary',
  method: 'GET',
  path: '/streams/{stream-name}/summary',
  summary: 'Describe a stream without its shards: status, mode, retention and the count of open shards.',
  params: [streamNameParam],
  body: undefined,
  output: DescribeStreamSummaryOutput,
} as const satisfies OperationSpec;
