/**
 * The request mapping templates (VTL) API Gateway renders for each method, keyed by operation id.
 * Kept apart from the operation specs so that a client bundle never carries them: only the deployed
 * API (infra) and the local emulator read these.
 */
import type { OperationId } from '../operations/index.ts';
import { param, quotedParam, setParam } from './vtl.ts';

/*
 * Data (putRecord, putRecords): with `encoding` "text" (the default) the template base64-encodes the string's UTF-8 bytes, so
 * Kinesis stores exactly the text sent (the seed's `$input.json('$.Data')` stored it with its quotes);
 * with "base64" the string is passed through as the base64 Kinesis expects, so any bytes can be stored.
 * Optional fields are tested on the parsed body (`$body.X`), which is null when absent in API Gateway.
 */

export const REQUEST_TEMPLATES: Readonly<Record<OperationId, string>> = {
  // No field is required, so the separator is tracked instead of assumed.
  listStreams: `${setParam('limit', 'limit')}
${setParam('start', 'exclusive-start-stream-name')}
#set($sep = "")
{
#if($limit != "")$sep"Limit": ${param('limit')}#set($sep = ",")#end
#if($start != "")$sep"ExclusiveStartStreamName": ${quotedParam('exclusive-start-stream-name')}#end
}`,
  createStream: `#set($body = $input.path('$'))
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
  describeStream: `${setParam('limit', 'limit')}
${setParam('start', 'exclusive-start-shard-id')}
{
  "StreamName": ${quotedParam('stream-name')}
#if($limit != ""),"Limit": ${param('limit')}#end
#if($start != ""),"ExclusiveStartShardId": ${quotedParam('exclusive-start-shard-id')}#end
}`,
  deleteStream: `{
  "StreamName": ${quotedParam('stream-name')}
}`,
  putRecord: `#set($body = $input.path('$'))
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
  // $input.json with the element's index JSON-escapes each caller string exactly as API Gateway does.
  putRecords: `#set($body = $input.path('$'))
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
  getShardIterator: `${setParam('type', 'shard-iterator-type')}
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
  getRecords: `${setParam('limit', 'limit')}
{
  "ShardIterator": ${quotedParam('Shard-Iterator')}
#if($limit != ""),"Limit": ${param('limit')}#end
}`,
};

/** The request template of an operation; throws for an operation the contract does not define. */
export function requestTemplateOf(op: { readonly id: string }): string {
  const template = (REQUEST_TEMPLATES as Readonly<Record<string, string | undefined>>)[op.id];
  if (template === undefined) throw new Error(`The contract has no request template for "${op.id}"`);
  return template;
}
