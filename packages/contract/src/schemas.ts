/**
 * zod schemas of what each method accepts (the method request models API Gateway validates, and that
 * infra exports as JSON Schema draft-04) and of what it returns (Kinesis's JSON, passed through).
 *
 * Built with `zod/mini` so a browser app that imports the client pays only for the schemas it uses.
 * Response schemas are loose: Kinesis adds fields over time and a client must not break on them.
 */
import * as z from 'zod/mini';
import {
  BASE64_PATTERN,
  EXPLICIT_HASH_KEY_PATTERN,
  LIMITS,
  NAME_PATTERN,
  SEQUENCE_NUMBER_PATTERN,
} from './limits.ts';

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

export const StreamName = z.string().check(z.regex(NAME_PATTERN));
export const ShardId = z.string().check(z.regex(NAME_PATTERN));
/**
 * 1–256 UTF-16 code units, as the Kinesis engines count them (see `LIMITS.partitionKeyMaxLength`). The
 * deployed request model's JSON Schema `maxLength` counts code points, so API Gateway lets keys of 129–256
 * emoji through for Kinesis to refuse; the client refuses them before sending.
 */
export const PartitionKey = z.string().check(
  z.minLength(LIMITS.partitionKeyMinLength),
  // zod's maxLength counts code points (as JSON Schema does, in the request model); this counts units.
  z.maxLength(LIMITS.partitionKeyMaxLength),
  z.refine((key) => key.length <= LIMITS.partitionKeyMaxLength, {
    message: `Too long: at most ${LIMITS.partitionKeyMaxLength} UTF-16 units (an emoji counts as two)`,
  }),
);
export const ExplicitHashKey = z.string().check(z.regex(EXPLICIT_HASH_KEY_PATTERN));
export const SequenceNumber = z.string().check(z.regex(SEQUENCE_NUMBER_PATTERN));
export const Base64 = z.string().check(z.regex(BASE64_PATTERN));

/**
 * How the `data` of a put is to be read: `text` (the default) stores the UTF-8 bytes of the string
 * exactly as given; `base64` says the string already is base64 of arbitrary bytes (binary-safe).
 */
export const DataEncoding = z.enum(['text', 'base64']);
export type DataEncoding = z.infer<typeof DataEncoding>;

export const ShardIteratorType = z.enum([
  'TRIM_HORIZON',
  'LATEST',
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'AT_TIMESTAMP',
]);
export type ShardIteratorType = z.infer<typeof ShardIteratorType>;

export const StreamMode = z.enum(['PROVISIONED', 'ON_DEMAND']);
export type StreamMode = z.infer<typeof StreamMode>;

/**
 * Which shards ListShards lists (Kinesis's `ShardFilter.Type`): `AFTER_SHARD_ID` those after a shard id;
 * `AT_TRIM_HORIZON` those open at the trim horizon; `FROM_TRIM_HORIZON` (Kinesis's default) every shard
 * within the retention period; `AT_LATEST` the open ones; `AT_TIMESTAMP` those open at a time;
 * `FROM_TIMESTAMP` those open at or after a time.
 */
export const ShardFilterType = z.enum([
  'AFTER_SHARD_ID',
  'AT_TRIM_HORIZON',
  'FROM_TRIM_HORIZON',
  'AT_LATEST',
  'AT_TIMESTAMP',
  'FROM_TIMESTAMP',
]);
export type ShardFilterType = z.infer<typeof ShardFilterType>;

/** How UpdateShardCount reshards: `UNIFORM_SCALING` (the only type Kinesis has) leaves equal hash-key ranges. */
export const ScalingType = z.enum(['UNIFORM_SCALING']);
export type ScalingType = z.infer<typeof ScalingType>;

// ---------------------------------------------------------------------------------------------
// Request bodies (method request models). Field names keep the seed API's shapes.
// ---------------------------------------------------------------------------------------------

/** `POST /streams/{stream-name}`: `{"ShardCount": 2}`; ShardCount defaults to 5 as in the seed API. */
export const CreateStreamBody = z.object({
  ShardCount: z.optional(z.int().check(z.gte(1), z.lte(LIMITS.maxShardCount))),
  StreamMode: z.optional(StreamMode),
});
export type CreateStreamBody = z.infer<typeof CreateStreamBody>;

/**
 * `PUT /streams/{stream-name}/shard-count` (kproxy's addition): `{"TargetShardCount": 4}`; `ScalingType`
 * defaults to `UNIFORM_SCALING`, the only one Kinesis has.
 */
export const UpdateShardCountBody = z.object({
  TargetShardCount: z.int().check(z.gte(1), z.lte(LIMITS.maxShardCount)),
  ScalingType: z.optional(ScalingType),
});
export type UpdateShardCountBody = z.infer<typeof UpdateShardCountBody>;

/** `PUT /streams/{stream-name}/record`: the seed's `{"Data", "PartitionKey"}` plus optional fields. */
export const PutRecordBody = z.object({
  Data: z.string(),
  PartitionKey,
  ExplicitHashKey: z.optional(ExplicitHashKey),
  SequenceNumberForOrdering: z.optional(SequenceNumber),
  Encoding: z.optional(DataEncoding),
});
export type PutRecordBody = z.infer<typeof PutRecordBody>;

/** One entry of `PUT /streams/{stream-name}/records`, in the seed's lower-case, hyphenated style. */
export const PutRecordsEntry = z.object({
  data: z.string(),
  'partition-key': PartitionKey,
  'explicit-hash-key': z.optional(ExplicitHashKey),
  encoding: z.optional(DataEncoding),
});
export type PutRecordsEntry = z.infer<typeof PutRecordsEntry>;

/** `PUT /streams/{stream-name}/records`: the seed's `{"records": [{"data", "partition-key"}]}`. */
export const PutRecordsBody = z.object({
  records: z.array(PutRecordsEntry).check(z.minLength(1), z.maxLength(LIMITS.maxRecordsPerBatch)),
});
export type PutRecordsBody = z.infer<typeof PutRecordsBody>;

// ---------------------------------------------------------------------------------------------
// Responses: Kinesis output shapes as the API passes them through
// ---------------------------------------------------------------------------------------------

/**
 * An optional response field. Real Kinesis omits absent fields; other Kinesis-compatible engines (such as
 * kinesis-mock) write them as `null`, so both mean "absent".
 */
const maybe = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/** Epoch seconds, possibly fractional. */
const EpochSeconds = z.number();

export const HashKeyRange = z.looseObject({ StartingHashKey: z.string(), EndingHashKey: z.string() });

export type HashKeyRange = z.infer<typeof HashKeyRange>;

export const StreamSummary = z.looseObject({
  StreamName: z.string(),
  StreamARN: maybe(z.string()),
  StreamStatus: maybe(z.string()),
  StreamModeDetails: maybe(z.looseObject({ StreamMode: z.string() })),
  StreamCreationTimestamp: maybe(EpochSeconds),
});
export type StreamSummary = z.infer<typeof StreamSummary>;

export const ListStreamsOutput = z.looseObject({
  StreamNames: z.array(z.string()),
  HasMoreStreams: z.boolean(),
  NextToken: maybe(z.string()),
  StreamSummaries: maybe(z.array(StreamSummary)),
});
export type ListStreamsOutput = z.infer<typeof ListStreamsOutput>;

export const Shard = z.looseObject({
  ShardId: z.string(),
  ParentShardId: maybe(z.string()),
  AdjacentParentShardId: maybe(z.string()),
  HashKeyRange,
  SequenceNumberRange: z.looseObject({
    StartingSequenceNumber: z.string(),
    EndingSequenceNumber: maybe(z.string()),
  }),
});
export type Shard = z.infer<typeof Shard>;

/** The shard-level metrics enabled for a stream (one entry, as Kinesis answers). */
export const EnhancedMetrics = z.looseObject({ ShardLevelMetrics: maybe(z.array(z.string())) });
export type EnhancedMetrics = z.infer<typeof EnhancedMetrics>;

export const StreamDescription = z.looseObject({
  StreamName: z.string(),
  StreamARN: z.string(),
  StreamStatus: z.string(),
  Shards: z.array(Shard),
  HasMoreShards: z.boolean(),
  RetentionPeriodHours: maybe(z.number()),
  StreamCreationTimestamp: maybe(EpochSeconds),
  StreamModeDetails: maybe(z.looseObject({ StreamMode: z.string() })),
  /** Shard-level CloudWatch metrics switched on (`[{ "ShardLevelMetrics": [] }]` when none). */
  EnhancedMonitoring: maybe(z.array(EnhancedMetrics)),
  EncryptionType: maybe(z.string()),
  KeyId: maybe(z.string()),
});
export type StreamDescription = z.infer<typeof StreamDescription>;

export const DescribeStreamOutput = z.looseObject({ StreamDescription });
export type DescribeStreamOutput = z.infer<typeof DescribeStreamOutput>;

/** ListShards: one page of shards, and the token of the next page when there is one. */
export const ListShardsOutput = z.looseObject({
  Shards: z.array(Shard),
  /** Present while more shards remain; valid for 5 minutes. */
  NextToken: maybe(z.string()),
});
export type ListShardsOutput = z.infer<typeof ListShardsOutput>;

/** UpdateShardCount answers at once with the counts; the stream is UPDATING until the reshard is done. */
export const UpdateShardCountOutput = z.looseObject({
  StreamName: z.string(),
  StreamARN: maybe(z.string()),
  CurrentShardCount: z.number(),
  TargetShardCount: z.number(),
});
export type UpdateShardCountOutput = z.infer<typeof UpdateShardCountOutput>;

/** DescribeStreamSummary: the stream without its shards, with the count of open ones. */
export const StreamDescriptionSummary = z.looseObject({
  StreamName: z.string(),
  StreamARN: z.string(),
  StreamStatus: z.string(),
  StreamModeDetails: maybe(z.looseObject({ StreamMode: z.string() })),
  RetentionPeriodHours: maybe(z.number()),
  StreamCreationTimestamp: maybe(EpochSeconds),
  EnhancedMonitoring: maybe(z.array(EnhancedMetrics)),
  EncryptionType: maybe(z.string()),
  KeyId: maybe(z.string()),
  OpenShardCount: z.number(),
  ConsumerCount: maybe(z.number()),
});
export type StreamDescriptionSummary = z.infer<typeof StreamDescriptionSummary>;

export const DescribeStreamSummaryOutput = z.looseObject({ StreamDescriptionSummary });
export type DescribeStreamSummaryOutput = z.infer<typeof DescribeStreamSummaryOutput>;

/** CreateStream and DeleteStream answer with an empty body. */
export const EmptyOutput = z.looseObject({});
export type EmptyOutput = z.infer<typeof EmptyOutput>;

export const PutRecordOutput = z.looseObject({
  ShardId: z.string(),
  SequenceNumber: z.string(),
  EncryptionType: maybe(z.string()),
});
export type PutRecordOutput = z.infer<typeof PutRecordOutput>;

/** One result of PutRecords, in request order: a sequence number, or an error code. */
export const PutRecordsResultEntry = z.looseObject({
  SequenceNumber: maybe(z.string()),
  ShardId: maybe(z.string()),
  ErrorCode: maybe(z.string()),
  ErrorMessage: maybe(z.string()),
});
export type PutRecordsResultEntry = z.infer<typeof PutRecordsResultEntry>;

export const PutRecordsOutput = z.looseObject({
  FailedRecordCount: maybe(z.number()),
  Records: z.array(PutRecordsResultEntry),
  EncryptionType: maybe(z.string()),
});
export type PutRecordsOutput = z.infer<typeof PutRecordsOutput>;

export const GetShardIteratorOutput = z.looseObject({ ShardIterator: z.string() });
export type GetShardIteratorOutput = z.infer<typeof GetShardIteratorOutput>;

export const KinesisRecord = z.looseObject({
  SequenceNumber: z.string(),
  ApproximateArrivalTimestamp: maybe(EpochSeconds),
  /** base64 of the record's bytes. */
  Data: z.string(),
  PartitionKey: z.string(),
  EncryptionType: maybe(z.string()),
});
export type KinesisRecord = z.infer<typeof KinesisRecord>;

export const ChildShard = z.looseObject({
  ShardId: z.string(),
  ParentShards: z.array(z.string()),
  HashKeyRange: maybe(HashKeyRange),
});
export type ChildShard = z.infer<typeof ChildShard>;

export const GetRecordsOutput = z.looseObject({
  Records: z.array(KinesisRecord),
  /** Absent or null once a closed shard has been read to its end. */
  NextShardIterator: maybe(z.string()),
  MillisBehindLatest: maybe(z.number()),
  ChildShards: maybe(z.array(ChildShard)),
});
export type GetRecordsOutput = z.infer<typeof GetRecordsOutput>;

/** The error body Kinesis returns, kept by the API's integration responses. */
export const KinesisErrorBody = z.looseObject({
  __type: z.string(),
  message: maybe(z.string()),
  Message: maybe(z.string()),
});
export type KinesisErrorBody = z.infer<typeof KinesisErrorBody>;

/** API Gateway's own error body (`{"message": "Missing Authentication Token"}` and the like). */
export const GatewayErrorBody = z.looseObject({
  message: maybe(z.string()),
  Message: maybe(z.string()),
});
