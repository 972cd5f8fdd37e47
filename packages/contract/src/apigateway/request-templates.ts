/**
 * The request mapping templates (VTL) API Gateway renders for each method, keyed by operation id: each
 * reads as the template API Gateway receives, with `${quoted(...)}` and `${number(...)}` (`vtl.ts`) the
 * only insertions. Kept apart from the operation specs so that a client bundle never carries them: only
 * the deployed API (infra) and the local emulator read these.
 *
 * Conventions, which API Gateway's engine (Apache Velocity 1.7) and the emulator's agree on (the
 * conformance suite renders every template with both):
 * - optional fields come first, each ending with its comma, so the fields always present close the object;
 * - `#if($body.X)` tests a body field: false only when it is absent or null (`""` and `0` are true);
 * - Data with `Encoding: "base64"` passes through as the base64 Kinesis expects (any bytes); otherwise the
 *   template base64-encodes the string's UTF-8 bytes, so Kinesis stores exactly the text sent (the seed's
 *   `$input.json('$.Data')` stored it with its quotes).
 */
import type { OperationId } from '../operations/index.ts';
import { number, quoted } from './vtl.ts';

const streamName = quoted(`$input.params('stream-name')`);

export const REQUEST_TEMPLATES: Readonly<Record<OperationId, string>> = {
  listStreams: `#set($limit = $input.params('limit'))
#set($start = $input.params('exclusive-start-stream-name'))
{
#if($limit != "")
  "Limit": ${number('$limit')}#if($start != ""),#end
#end
#if($start != "")
  "ExclusiveStartStreamName": ${quoted('$start')}
#end
}`,

  createStream: `#set($body = $input.path('$'))
{
#if($body.StreamMode == "ON_DEMAND")
  "StreamModeDetails": {"StreamMode": "ON_DEMAND"},
#elseif($body.ShardCount)
  "ShardCount": $input.json('$.ShardCount'),
#else
  "ShardCount": 5,
#end
  "StreamName": ${streamName}
}`,

  describeStream: `#set($limit = $input.params('limit'))
#set($start = $input.params('exclusive-start-shard-id'))
{
#if($limit != "")
  "Limit": ${number('$limit')},
#end
#if($start != "")
  "ExclusiveStartShardId": ${quoted('$start')},
#end
  "StreamName": ${streamName}
}`,

  deleteStream: `{
  "StreamName": ${streamName}
}`,

  putRecord: `#set($body = $input.path('$'))
{
#if($body.ExplicitHashKey)
  "ExplicitHashKey": $input.json('$.ExplicitHashKey'),
#end
#if($body.SequenceNumberForOrdering)
  "SequenceNumberForOrdering": $input.json('$.SequenceNumberForOrdering'),
#end
#if($body.Encoding == "base64")
  "Data": $input.json('$.Data'),
#else
  "Data": "$util.base64Encode($body.Data)",
#end
  "PartitionKey": $input.json('$.PartitionKey'),
  "StreamName": ${streamName}
}`,

  putRecords: `#set($body = $input.path('$'))
{
  "StreamName": ${streamName},
  "Records": [
#foreach($record in $body.records)
    {
#if($record.explicit-hash-key)
      "ExplicitHashKey": $input.json("$.records[$foreach.index]['explicit-hash-key']"),
#end
#if($record.encoding == "base64")
      "Data": $input.json("$.records[$foreach.index].data"),
#else
      "Data": "$util.base64Encode($record.data)",
#end
      "PartitionKey": $input.json("$.records[$foreach.index]['partition-key']")
    }#if($foreach.hasNext),#end
#end
  ]
}`,

  getShardIterator: `#set($type = $input.params('shard-iterator-type'))
#set($sequence = $input.params('starting-sequence-number'))
#set($timestamp = $input.params('timestamp'))
{
#if($sequence != "")
  "StartingSequenceNumber": ${quoted('$sequence')},
#end
#if($timestamp != "")
  "Timestamp": ${number('$timestamp')},
#end
#if($type == "")
  "ShardIteratorType": "TRIM_HORIZON",
#else
  "ShardIteratorType": ${quoted('$type')},
#end
  "ShardId": ${quoted(`$input.params('shard-id')`)},
  "StreamName": ${streamName}
}`,

  getRecords: `#set($limit = $input.params('limit'))
{
#if($limit != "")
  "Limit": ${number('$limit')},
#end
  "ShardIterator": ${quoted(`$input.params('Shard-Iterator')`)}
}`,

  // kproxy's additions to the seed API.

  // A next-token continues a listing: Kinesis refuses it together with a stream name, start or filter.
  // The filter is sent only with its type; its shard id and timestamp only with it.
  listShards: `#set($max = $input.params('max-results'))
#set($token = $input.params('next-token'))
#set($start = $input.params('exclusive-start-shard-id'))
#set($type = $input.params('shard-filter-type'))
#set($afterShard = $input.params('shard-filter-shard-id'))
#set($at = $input.params('shard-filter-timestamp'))
{
#if($max != "")
  "MaxResults": ${number('$max')},
#end
#if($token != "")
  "NextToken": ${quoted('$token')}
#else
#if($start != "")
  "ExclusiveStartShardId": ${quoted('$start')},
#end
#if($type != "")
  "ShardFilter": {
#if($afterShard != "")
    "ShardId": ${quoted('$afterShard')},
#end
#if($at != "")
    "Timestamp": ${number('$at')},
#end
    "Type": ${quoted('$type')}
  },
#end
  "StreamName": ${streamName}
#end
}`,

  updateShardCount: `#set($body = $input.path('$'))
{
#if($body.ScalingType)
  "ScalingType": $input.json('$.ScalingType'),
#else
  "ScalingType": "UNIFORM_SCALING",
#end
  "TargetShardCount": $input.json('$.TargetShardCount'),
  "StreamName": ${streamName}
}`,

  describeStreamSummary: `{
  "StreamName": ${streamName}
}`,
};

/** The request template of an operation; throws for an operation the contract does not define. */
export function requestTemplateOf(op: { readonly id: string }): string {
  const template = (REQUEST_TEMPLATES as Readonly<Record<string, string>>)[op.id];
  if (template === undefined) throw new Error(`The contract has no request template for "${op.id}"`);
  return template;
}
