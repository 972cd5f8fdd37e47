/** The stream resources: `/streams` and `/streams/{stream-name}`. */
import type { OperationSpec } from '../operation.ts';
import { CreateStreamBody, DescribeStreamOutput, EmptyOutput, ListStreamsOutput } from '../schemas.ts';
import { param, quotedParam, setParam } from '../vtl.ts';
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
  params: [limitParam('Streams per page (1–10000).'), exclusiveStartStreamNameParam],
  body: undefined,
  output: ListStreamsOutput,
  // No field is required, so the separator is tracked instead of assumed.
  requestTemplate: `${setParam('limit', 'limit')}
${setParam('start', 'exclusive-start-stream-name')}
#set($sep = "")
{
#if($limit != "")$sep"Limit": ${param('limit')}#set($sep = ",")#end
#if($start != "")$sep"ExclusiveStartStreamName": ${quotedParam('exclusive-start-stream-name')}#end
}`,
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
  requestTemplate: `#set($body = $input.path('$'))
{
  "StreamName": ${quotedParam('stream-name')},
#if($body.StreamMode == "ON_DEMAND")
  "StreamModeDetails": {"StreamMode": "ON_DEMAND"}
#elseif($body.ShardCount)
  "ShardCount": $input.json('$.ShardCount')
#else
  "ShardCount": 5
#end
}`,
} as const satisfies OperationSpec;

export const describeStream = {
  id: 'describeStream',
  action: 'DescribeStream',
  method: 'GET',
  path: '/streams/{stream-name}',
  summary: 'Describe a stream and one page of its shards.',
  params: [streamNameParam, limitParam('Shards per page (1–10000).'), exclusiveStartShardIdParam],
  body: undefined,
  output: DescribeStreamOutput,
  requestTemplate: `${setParam('limit', 'limit')}
${setParam('start', 'exclusive-start-shard-id')}
{
  "StreamName": ${quotedParam('stream-name')}
#if($limit != ""),"Limit": ${param('limit')}#end
#if($start != ""),"ExclusiveStartShardId": ${quotedParam('exclusive-start-shard-id')}#end
}`,
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
  requestTemplate: `{
  "StreamName": ${quotedParam('stream-name')}
}`,
} as const satisfies OperationSpec;
