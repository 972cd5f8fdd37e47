/** Writing and reading records: `/record`, `/records`, `/sharditerator`. */
import type { OperationSpec } from '../operation.ts';
import {
  GetRecordsOutput,
  GetShardIteratorOutput,
  PutRecordBody,
  PutRecordOutput,
  PutRecordsBody,
  PutRecordsOutput,
} from '../schemas.ts';
import { param, quotedParam, setParam } from '../vtl.ts';
import {
  limitParam,
  shardIdParam,
  shardIteratorHeader,
  shardIteratorTypeParam,
  startingSequenceNumberParam,
  streamNameParam,
  timestampParam,
} from './params.ts';

/*
 * Data: with `encoding` "text" (the default) the template base64-encodes the string's UTF-8 bytes, so
 * Kinesis stores exactly the text sent (the seed's `$input.json('$.Data')` stored it with its quotes);
 * with "base64" the string is passed through as the base64 Kinesis expects, so any bytes can be stored.
 * Optional fields are tested on the parsed body (`$body.X`), which is null when absent in API Gateway.
 */

export const putRecord = {
  id: 'putRecord',
  action: 'PutRecord',
  method: 'PUT',
  path: '/streams/{stream-name}/record',
  summary: 'Write one record: `{"Data", "PartitionKey"}`, optionally `ExplicitHashKey` and `Encoding`.',
  params: [streamNameParam],
  body: PutRecordBody,
  output: PutRecordOutput,
  requestTemplate: `#set($body = $input.path('$'))
{
  "StreamName": ${quotedParam('stream-name')},
#if($body.Encoding == "base64")
  "Data": $input.json('$.Data'),
#else
  "Data": "$util.base64Encode($body.Data)",
#end
#if($body.ExplicitHashKey)
  "ExplicitHashKey": $input.json('$.ExplicitHashKey'),
#end
#if($body.SequenceNumberForOrdering)
  "SequenceNumberForOrdering": $input.json('$.SequenceNumberForOrdering'),
#end
  "PartitionKey": $input.json('$.PartitionKey')
}`,
} as const satisfies OperationSpec;

export const putRecords = {
  id: 'putRecords',
  action: 'PutRecords',
  method: 'PUT',
  path: '/streams/{stream-name}/records',
  summary: 'Write up to 500 records: `{"records": [{"data", "partition-key"}]}`.',
  params: [streamNameParam],
  body: PutRecordsBody,
  output: PutRecordsOutput,
  // $input.json with the element's index JSON-escapes each caller string exactly as API Gateway does.
  requestTemplate: `#set($body = $input.path('$'))
{
  "StreamName": ${quotedParam('stream-name')},
  "Records": [
#foreach($elem in $body.records)
    {
#if($elem.encoding == "base64")
      "Data": $input.json("$.records[$foreach.index].data"),
#else
      "Data": "$util.base64Encode($elem.data)",
#end
#if($elem.explicit-hash-key)
      "ExplicitHashKey": $input.json("$.records[$foreach.index]['explicit-hash-key']"),
#end
      "PartitionKey": $input.json("$.records[$foreach.index]['partition-key']")
    }#if($foreach.hasNext),#end
#end
  ]
}`,
} as const satisfies OperationSpec;

export const getShardIterator = {
  id: 'getShardIterator',
  action: 'GetShardIterator',
  method: 'GET',
  path: '/streams/{stream-name}/sharditerator',
  summary: 'Get an iterator for a shard: from TRIM_HORIZON unless a type says otherwise.',
  params: [
    streamNameParam,
    shardIdParam,
    shardIteratorTypeParam,
    startingSequenceNumberParam,
    timestampParam,
  ],
  body: undefined,
  output: GetShardIteratorOutput,
  requestTemplate: `${setParam('type', 'shard-iterator-type')}
${setParam('sequence', 'starting-sequence-number')}
${setParam('timestamp', 'timestamp')}
{
  "StreamName": ${quotedParam('stream-name')},
  "ShardId": ${quotedParam('shard-id')},
#if($type != "")
  "ShardIteratorType": ${quotedParam('shard-iterator-type')}
#else
  "ShardIteratorType": "TRIM_HORIZON"
#end
#if($sequence != ""),"StartingSequenceNumber": ${quotedParam('starting-sequence-number')}#end
#if($timestamp != ""),"Timestamp": ${param('timestamp')}#end
}`,
} as const satisfies OperationSpec;

export const getRecords = {
  id: 'getRecords',
  action: 'GetRecords',
  method: 'GET',
  path: '/streams/{stream-name}/records',
  summary: 'Read records from a shard iterator passed in the `Shard-Iterator` header.',
  params: [streamNameParam, shardIteratorHeader, limitParam('Records per call (1–10000).')],
  body: undefined,
  output: GetRecordsOutput,
  requestTemplate: `${setParam('limit', 'limit')}
{
  "ShardIterator": ${quotedParam('Shard-Iterator')}
#if($limit != ""),"Limit": ${param('limit')}#end
}`,
} as const satisfies OperationSpec;
