/** Request parameters shared by several operations. */
import * as z from 'zod/mini';
import { LIMITS } from '../limits.ts';
import type { ParamSpec } from '../operation.ts';
import { SequenceNumber, ShardFilterType, ShardId, ShardIteratorType, StreamName } from '../schemas.ts';

/** A decimal integer from 1 to `max`, as a query-string value. */
const integerUpTo = (max: number) =>
  z.string().check(
    z.regex(/^[1-9]\d*$/),
    z.refine((value) => Number(value) <= max, { message: `must be at most ${max}` }),
  );

export const streamNameParam: ParamSpec = {
  name: 'stream-name',
  in: 'path',
  required: true,
  description: 'Name of the Kinesis stream.',
  schema: StreamName,
};

/** The `limit` query parameter: `what` per call, from 1 to `max` (one of `LIMITS`). */
export const limitParam = (what: string, max: number): ParamSpec => ({
  name: 'limit',
  in: 'query',
  required: false,
  description: `${what} per call (1–${max}).`,
  schema: integerUpTo(max),
});

export const exclusiveStartStreamNameParam: ParamSpec = {
  name: 'exclusive-start-stream-name',
  in: 'query',
  required: false,
  description: 'List streams after this name (paging).',
  schema: StreamName,
};

export const exclusiveStartShardIdParam: ParamSpec = {
  name: 'exclusive-start-shard-id',
  in: 'query',
  required: false,
  description: 'Describe shards after this shard id (paging).',
  schema: ShardId,
};

export const shardIdParam: ParamSpec = {
  name: 'shard-id',
  in: 'query',
  required: true,
  description: 'The shard to read, e.g. `shardId-000000000000`.',
  schema: ShardId,
};

export const shardIteratorTypeParam: ParamSpec = {
  name: 'shard-iterator-type',
  in: 'query',
  required: false,
  description: 'Where the iterator starts; TRIM_HORIZON when absent.',
  schema: ShardIteratorType,
};

export const startingSequenceNumberParam: ParamSpec = {
  name: 'starting-sequence-number',
  in: 'query',
  required: false,
  description: 'For AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER.',
  schema: SequenceNumber,
};

/** Epoch seconds, fractions allowed, as a query-string value (Kinesis's timestamps are JSON numbers). */
const EpochSecondsText = z.string().check(z.regex(/^\d{1,12}(\.\d{1,6})?$/));

export const timestampParam: ParamSpec = {
  name: 'timestamp',
  in: 'query',
  required: false,
  description: 'For AT_TIMESTAMP: epoch seconds, fractions allowed (e.g. `1700000000.5`).',
  schema: EpochSecondsText,
};

// ListShards (kproxy's addition). A next-token names its stream and carries the filter of the listing it
// continues: with it, Kinesis takes no stream name, start or filter, so the template sends none of them.

export const maxResultsParam: ParamSpec = {
  name: 'max-results',
  in: 'query',
  required: false,
  description: `Shards per call (1–${LIMITS.maxListShardsResults}; Kinesis's default is ${LIMITS.maxListShardsResults}).`,
  schema: integerUpTo(LIMITS.maxListShardsResults),
};

export const nextTokenParam: ParamSpec = {
  name: 'next-token',
  in: 'query',
  required: false,
  description:
    'The NextToken of the previous page (valid for 5 minutes); the other parameters but max-results are then ignored.',
  schema: z.string().check(z.minLength(1), z.maxLength(LIMITS.maxNextTokenLength)),
};

export const listShardsStartParam: ParamSpec = {
  ...exclusiveStartShardIdParam,
  description: 'List shards after this shard id.',
};

export const shardFilterTypeParam: ParamSpec = {
  name: 'shard-filter-type',
  in: 'query',
  required: false,
  description:
    'Which shards: AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON (all, the default), AT_LATEST (open ones), AT_TIMESTAMP or FROM_TIMESTAMP.',
  schema: ShardFilterType,
};

export const shardFilterShardIdParam: ParamSpec = {
  name: 'shard-filter-shard-id',
  in: 'query',
  required: false,
  description: 'With shard-filter-type AFTER_SHARD_ID: list the shards after this one.',
  schema: ShardId,
};

export const shardFilterTimestampParam: ParamSpec = {
  name: 'shard-filter-timestamp',
  in: 'query',
  required: false,
  description: 'With shard-filter-type AT_TIMESTAMP or FROM_TIMESTAMP: epoch seconds, fractions allowed.',
  schema: EpochSecondsText,
};

export const shardIteratorHeader: ParamSpec = {
  name: 'Shard-Iterator',
  in: 'header',
  required: true,
  description: 'The iterator returned by GetShardIterator or by the previous GetRecords.',
  schema: z.string().check(z.minLength(1), z.maxLength(LIMITS.maxShardIteratorLength)),
};
