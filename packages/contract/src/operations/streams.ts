/** The stream resources: `/streams` and `/streams/{stream-name}`. */
import { LIMITS } from '../limits.ts';
import type { OperationSpec } from '../operation.ts';
import { CreateStreamBody, DescribeStreamOutput, EmptyOutput, ListStreamsOutput } from '../schemas.ts';
import {
  exclusiveStartShardIdParam,
  exclusiveStartStreamNameParam,
  limitParam,
  streamNameParam,
} from './params.ts';

export const listStreams = {
  id: 'listStreams',
  action: 'ListStreams',
  method: 'GET',
  path: '/streams',
  summary: 'List the streams the API can see, one page at a time.',
  params: [limitParam('Streams', LIMITS.maxListLimit), exclusiveStartStreamNameParam],
  body: undefined,
  output: ListStreamsOutput,
} as const satisfies OperationSpec;

export const createStream = {
  id: 'createStream',
  action: 'CreateStream',
  method: 'POST',
  path: '/streams/{stream-name}',
  summary:
    'Create a stream: `{"ShardCount": n}` (5 when absent, as in the seed API) or `{"StreamMode": "ON_DEMAND"}`.',
  params: [streamNameParam],
  body: CreateStreamBody,
  output: EmptyOutput,
} as const satisfies OperationSpec;

export const describeStream = {
  id: 'describeStream',
  action: 'DescribeStream',
  method: 'GET',
  path: '/streams/{stream-name}',
  summary: 'Describe a stream and one page of its shards.',
  params: [streamNameParam, limitParam('Shards', LIMITS.maxDescribeLimit), exclusiveStartShardIdParam],
  body: undefined,
  output: DescribeStreamOutput,
} as const satisfies OperationSpec;

export const deleteStream = {
  id: 'deleteStream',
  action: 'DeleteStream',
  method: 'DELETE',
  path: '/streams/{stream-name}',
  summary: 'Delete a stream and all its records.',
  params: [streamNameParam],
  body: undefined,
  output: EmptyOutput,
} as const satisfies OperationSpec;
