/** Writing and reading records: `/record`, `/records`, `/sharditerator`. */
import { LIMITS } from '../limits.ts';
import type { OperationSpec } from '../operation.ts';
import {
  GetRecordsOutput,
  GetShardIteratorOutput,
  PutRecordBody,
  PutRecordOutput,
  PutRecordsBody,
  PutRecordsOutput,
} from '../schemas.ts';
import {
  limitParam,
  shardIdParam,
  shardIteratorHeader,
  shardIteratorTypeParam,
  startingSequenceNumberParam,
  streamNameParam,
  timestampParam,
} from './params.ts';

export const putRecord = {
  id: 'putRecord',
  action: 'PutRecord',
  method: 'PUT',
  path: '/streams/{stream-name}/record',
  summary: 'Write one record: `{"Data", "PartitionKey"}`, optionally `ExplicitHashKey` and `Encoding`.',
  params: [streamNameParam],
  body: PutRecordBody,
  output: PutRecordOutput,
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
} as const satisfies OperationSpec;

export const getRecords = {
  id: 'getRecords',
  action: 'GetRecords',
  method: 'GET',
  path: '/streams/{stream-name}/records',
  summary: 'Read records from a shard iterator passed in the `Shard-Iterator` header.',
  params: [streamNameParam, shardIteratorHeader, limitParam('Records', LIMITS.maxGetRecordsLimit)],
  body: undefined,
  output: GetRecordsOutput,
} as const satisfies OperationSpec;
