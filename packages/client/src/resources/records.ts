/** Writing and reading records: putRecord, putRecords, getShardIterator, getRecords. */
import {
  type GetRecordsOutput,
  type GetShardIteratorOutput,
  getRecords as getRecordsSpec,
  getShardIterator as getShardIteratorSpec,
  type ChildShard as KinesisChildShard,
  PutRecordsResultEntry as KinesisPutRecordsResultEntry,
  LIMITS,
  type PutRecordBody,
  type PutRecordOutput,
  type PutRecordsOutput,
  putRecord as putRecordSpec,
  putRecords as putRecordsSpec,
  type ShardIteratorType,
} from '@kproxy/contract';
import { utf8Length } from '#utf8';
import { callOperation, type RequestContext } from '../core/request.ts';
import {
  BODY_OVERHEAD,
  type EncodedEntry,
  encodeEntry,
  type PutRecordInput,
  putRecordsBody,
} from '../data/entry.ts';
import { type ReceivedRecord, toReceivedRecord } from '../data/received-record.ts';
import { encodeData, type RecordData } from '../data/record-data.ts';
import { InputError } from '../errors/InputError.ts';
import { ResponseValidationError } from '../errors/ResponseValidationError.ts';
import type { ClientLimits, RequestOptions } from '../types/options.ts';
import {
  checkExplicitHashKey,
  checkIteratorType,
  checkLimit,
  checkPartitionKey,
  checkSequenceNumber,
  checkShardId,
  checkStreamName,
  recordTooLarge,
  toEpochSeconds,
} from '../validate/input.ts';
import { type CamelCase, camelCaseInto, type Flatten, toCamelCase } from './kinesis-shape.ts';

// ---------------------------------------------------------------------------------------------
// putRecord
// ---------------------------------------------------------------------------------------------

export interface PutRecordParams {
  streamName: string;
  data: RecordData;
  partitionKey: string;
  explicitHashKey?: string | undefined;
  /** Strict ordering per partition key: the sequence number of the previous record of this key. */
  sequenceNumberForOrdering?: string | undefined;
}

/** `shardId`, `sequenceNumber` (a decimal string), `encryptionType`, …: PutRecord's answer. */
export type PutRecordResult = CamelCase<PutRecordOutput>;

export async function putRecord(
  context: RequestContext,
  limits: ClientLimits,
  params: PutRecordParams,
  options?: RequestOptions,
): Promise<PutRecordResult> {
  checkStreamName(params.streamName);
  checkPartitionKey(params.partitionKey, 'partitionKey');
  if (params.explicitHashKey !== undefined) checkExplicitHashKey(params.explicitHashKey, 'explicitHashKey');
  if (params.sequenceNumberForOrdering !== undefined) {
    checkSequenceNumber(params.sequenceNumberForOrdering, 'sequenceNumberForOrdering');
  }
  const data = encodeData(params.data, 'data');
  const recordBytes = data.bytes + utf8Length(params.partitionKey);
  if (recordBytes > limits.maxRecordBytes) throw recordTooLarge('data', recordBytes, limits.maxRecordBytes);
  const body: PutRecordBody = { Data: data.text, PartitionKey: params.partitionKey };
  if (params.explicitHashKey !== undefined) body.ExplicitHashKey = params.explicitHashKey;
  if (params.sequenceNumberForOrdering !== undefined) {
    body.SequenceNumberForOrdering = params.sequenceNumberForOrdering;
  }
  if (data.base64) body.Encoding = 'base64';
  const out = await callOperation(
    context,
    putRecordSpec,
    { 'stream-name': params.streamName },
    JSON.stringify(body),
    options,
  );
  return toCamelCase(putRecordSpec.output, out);
}

// ---------------------------------------------------------------------------------------------
// putRecords
// ---------------------------------------------------------------------------------------------

export interface PutRecordsParams {
  streamName: string;
  /** 1–500 records (`limits.maxRecordsPerBatch`), at most `limits.maxBatchBytes` together. */
  records: readonly PutRecordInput[];
}

/** One entry of PutRecords's answer in the client's shape, before it is told success or failure. */
type ResultEntry = CamelCase<KinesisPutRecordsResultEntry>;
type Outcome = 'sequenceNumber' | 'shardId' | 'errorCode' | 'errorMessage';

/** A record Kinesis accepted. */
export type PutRecordsSuccess = Flatten<
  Omit<ResultEntry, Outcome> & {
    sequenceNumber: string;
    shardId: string;
    errorCode?: undefined;
    errorMessage?: undefined;
  }
>;

/** A record Kinesis refused: `ProvisionedThroughputExceededException` or `InternalFailure` (retryable). */
export type PutRecordsFailure = Flatten<
  Omit<ResultEntry, Outcome> & {
    errorCode: string;
    errorMessage: string;
    sequenceNumber?: undefined;
    shardId?: undefined;
  }
>;

/** One result per record, in request order; test `entry.errorCode !== undefined` for a failure. */
export type PutRecordsResultEntry = PutRecordsSuccess | PutRecordsFailure;

/** PutRecords's answer: `failedRecordCount` (always set), `records` in request order, `encryptionType`, … */
export type PutRecordsResult = Flatten<
  Omit<CamelCase<PutRecordsOutput>, 'failedRecordCount' | 'records'> & {
    failedRecordCount: number;
    records: PutRecordsResultEntry[];
  }
>;

/** Sends entries already encoded with `encodeEntry` (used by putRecords and bulkPut). */
export async function sendEntries(
  context: RequestContext,
  streamName: string,
  jsons: readonly string[],
  options?: RequestOptions,
): Promise<PutRecordsResult> {
  const out: PutRecordsOutput = await callOperation(
    context,
    putRecordsSpec,
    { 'stream-name': streamName },
    putRecordsBody(jsons),
    options,
  );
  if (out.Records.length !== jsons.length) {
    throw new ResponseValidationError(
      `putRecords: sent ${jsons.length} records, the response has ${out.Records.length} results`,
      { body: out, status: 200, url: context.endpoint },
    );
  }
  let failed = 0;
  const records = out.Records.map((r): PutRecordsResultEntry => {
    const entry: Record<string, unknown> = camelCaseInto(KinesisPutRecordsResultEntry, {}, r);
    if (r.ErrorCode != null || r.SequenceNumber == null) {
      failed++;
      // A failure carries no sequence number or shard, whatever an engine wrote beside its error.
      if (r.SequenceNumber != null) delete entry.sequenceNumber;
      if (r.ShardId != null) delete entry.shardId;
      entry.errorCode ??= 'UnknownError';
      entry.errorMessage ??= '';
      return entry as PutRecordsFailure;
    }
    if (r.ErrorMessage != null) delete entry.errorMessage;
    entry.shardId ??= '';
    return entry as PutRecordsSuccess;
  });
  return {
    // Every other field by the schema; the entries are mapped above.
    ...toCamelCase(putRecordsSpec.output, { ...out, Records: [] }),
    failedRecordCount: out.FailedRecordCount ?? failed,
    records,
  };
}

export async function putRecords(
  context: RequestContext,
  limits: ClientLimits,
  params: PutRecordsParams,
  options?: RequestOptions,
): Promise<PutRecordsResult> {
  checkStreamName(params.streamName);
  const { records } = params;
  if (!Array.isArray(records) || records.length === 0 || records.length > limits.maxRecordsPerBatch) {
    throw new InputError(
      'records',
      `must hold 1–${limits.maxRecordsPerBatch} records (got ${Array.isArray(records) ? records.length : typeof records})`,
      'Use bulkPut() to send any number of records in batches',
    );
  }
  const entries: EncodedEntry[] = records.map((record, i) => encodeEntry(record, `records[${i}]`, limits));
  let recordBytes = 0;
  let bodyBytes = BODY_OVERHEAD + entries.length - 1;
  for (const entry of entries) {
    recordBytes += entry.recordBytes;
    bodyBytes += entry.bodyBytes;
  }
  if (recordBytes > limits.maxBatchBytes) {
    throw new InputError(
      'records',
      `hold ${recordBytes} bytes, over the ${limits.maxBatchBytes}-byte PutRecords limit`,
      'Send fewer records per call, or use bulkPut() which batches by size',
    );
  }
  if (bodyBytes > limits.maxRequestBodyBytes) {
    throw new InputError(
      'records',
      `make a ${bodyBytes}-byte request body, over API Gateway's ${limits.maxRequestBodyBytes}-byte limit`,
      'Send fewer records per call, or use bulkPut() which batches by size',
    );
  }
  return sendEntries(
    context,
    params.streamName,
    entries.map((e) => e.json),
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// getShardIterator
// ---------------------------------------------------------------------------------------------

export interface GetShardIteratorParams {
  streamName: string;
  shardId: string;
  /** Where to start. @default 'TRIM_HORIZON' */
  type?: ShardIteratorType | undefined;
  /** For AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER. */
  startingSequenceNumber?: string | undefined;
  /** For AT_TIMESTAMP. */
  timestamp?: Date | undefined;
}

/** `shardIterator`: GetShardIterator's answer. */
export type GetShardIteratorResult = CamelCase<GetShardIteratorOutput>;

export async function getShardIterator(
  context: RequestContext,
  params: GetShardIteratorParams,
  options?: RequestOptions,
): Promise<GetShardIteratorResult> {
  checkStreamName(params.streamName);
  checkShardId(params.shardId);
  const type = params.type ?? 'TRIM_HORIZON';
  checkIteratorType(type, 'type');
  const needsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (needsSequence) checkSequenceNumber(params.startingSequenceNumber, 'startingSequenceNumber');
  else if (params.startingSequenceNumber !== undefined) {
    throw new InputError(
      'startingSequenceNumber',
      `is only for AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER, not ${type}`,
    );
  }
  let timestamp: string | undefined;
  if (type === 'AT_TIMESTAMP') timestamp = toEpochSeconds(params.timestamp, 'timestamp');
  else if (params.timestamp !== undefined) {
    throw new InputError('timestamp', `is only for AT_TIMESTAMP, not ${type}`);
  }
  const out = await callOperation(
    context,
    getShardIteratorSpec,
    {
      'stream-name': params.streamName,
      'shard-id': params.shardId,
      'shard-iterator-type': type,
      'starting-sequence-number': needsSequence ? params.startingSequenceNumber : undefined,
      timestamp,
    },
    undefined,
    options,
  );
  return toCamelCase(getShardIteratorSpec.output, out);
}

// ---------------------------------------------------------------------------------------------
// getRecords
// ---------------------------------------------------------------------------------------------

export interface GetRecordsParams {
  /** The stream the iterator belongs to (the API's path names it). */
  streamName: string;
  shardIterator: string;
  /** Records per call (1–10000). @default Kinesis's default (10000) */
  limit?: number | undefined;
}

/** On the last read of a closed shard: a shard that replaced it (`shardId`, `parentShards`, …). */
export type ChildShard = CamelCase<KinesisChildShard>;

/**
 * GetRecords's answer: `records` (each a `ReceivedRecord`), `nextShardIterator` (null once a closed
 * shard has been read to its end), `millisBehindLatest` (0 means caught up), `childShards`, …
 */
export type GetRecordsResult = Flatten<
  Omit<CamelCase<GetRecordsOutput>, 'records' | 'nextShardIterator'> & {
    records: ReceivedRecord[];
    nextShardIterator: string | null;
  }
>;

export async function getRecords(
  context: RequestContext,
  params: GetRecordsParams,
  options?: RequestOptions,
): Promise<GetRecordsResult> {
  checkStreamName(params.streamName);
  if (typeof params.shardIterator !== 'string' || params.shardIterator === '') {
    throw new InputError(
      'shardIterator',
      'is required',
      'Pass the iterator from getShardIterator or the last getRecords',
    );
  }
  if (params.limit !== undefined) checkLimit(params.limit, 'limit', LIMITS.maxGetRecordsLimit);
  const out = await callOperation(
    context,
    getRecordsSpec,
    {
      'stream-name': params.streamName,
      'Shard-Iterator': params.shardIterator,
      limit: params.limit?.toString(),
    },
    undefined,
    options,
  );
  return {
    // Every other field by the schema; records become `ReceivedRecord`s.
    ...toCamelCase(getRecordsSpec.output, { ...out, Records: [] }),
    records: out.Records.map(toReceivedRecord),
    nextShardIterator: out.NextShardIterator ?? null,
  };
}
