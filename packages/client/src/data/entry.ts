/**
 * One record of a put, validated and encoded in a single pass: its JSON text as it goes into the
 * request body, the bytes Kinesis counts, and the bytes it adds to the body. bulkPut calls this once per
 * record; it is the hot path.
 */
import { utf8Length } from '#utf8';
import { InputError } from '../errors/InputError.ts';
import type { ClientLimits } from '../types/options.ts';
import { checkExplicitHashKey, checkPartitionKey, recordTooLarge } from '../validate/input.ts';
import { encodeData, type RecordData } from './record-data.ts';

/** A record to put. */
export interface PutRecordInput {
  data: RecordData;
  /** Decides the shard (hashed with MD5): 1–256 Unicode characters. */
  partitionKey: string;
  /** A decimal 128-bit hash key that overrides the partition key's hash. */
  explicitHashKey?: string | undefined;
}

export interface EncodedEntry {
  /** The entry's JSON text in the PutRecords body (`{"data":…,"partition-key":…}`). */
  json: string;
  /** Data plus partition key bytes: what Kinesis counts against record and batch limits. */
  recordBytes: number;
  /** UTF-8 bytes of `json`. */
  bodyBytes: number;
}

/** `{"records":[` … `]}` around the entries, and the comma between two. */
export const BODY_PREFIX = '{"records":[';
export const BODY_SUFFIX = ']}';
export const BODY_OVERHEAD = BODY_PREFIX.length + BODY_SUFFIX.length;

/** The PutRecords body for entries encoded with `encodeEntry`. */
export const putRecordsBody = (jsons: readonly string[]): string =>
  `${BODY_PREFIX}${jsons.join(',')}${BODY_SUFFIX}`;

/**
 * The checks every record to put passes before its data is looked at: an object, a valid partition key
 * and explicit hash key, and a `data` field. `field` names it in errors (`records[3]`).
 */
export function checkRecordFields(record: PutRecordInput, field: string): void {
  if (typeof record !== 'object' || record === null) {
    throw new InputError(field, 'must be an object { data, partitionKey }');
  }
  checkPartitionKey(record.partitionKey, `${field}.partitionKey`);
  if (record.explicitHashKey !== undefined) {
    checkExplicitHashKey(record.explicitHashKey, `${field}.explicitHashKey`);
  }
  if (!('data' in record)) throw new InputError(`${field}.data`, 'is required');
}

/** Checks and encodes one record; `field` names it in errors (`records[3]`). Throws `InputError`. */
export function encodeEntry(record: PutRecordInput, field: string, limits: ClientLimits): EncodedEntry {
  checkRecordFields(record, field);
  const { partitionKey, explicitHashKey } = record;
  const data = encodeData(record.data, `${field}.data`);
  const keyBytes = utf8Length(partitionKey);
  const recordBytes = data.bytes + keyBytes;
  if (recordBytes > limits.maxRecordBytes) {
    throw recordTooLarge(`${field}.data`, recordBytes, limits.maxRecordBytes);
  }
  // The contract's `PutRecordsEntry` as JSON text, written out: stringifying two strings costs far less
  // than building and stringifying an object per record. The hash key is digits only (checked above).
  let json = `{"data":${JSON.stringify(data.text)},"partition-key":${JSON.stringify(partitionKey)}`;
  if (explicitHashKey !== undefined) json += `,"explicit-hash-key":"${explicitHashKey}"`;
  json += data.base64 ? ',"encoding":"base64"}' : '}';
  // JSON.stringify escapes only ASCII (and lone surrogates, counted high by utf8Length): the non-ASCII
  // bytes of data and key add to the body exactly as they add to the strings.
  const bodyBytes = json.length + data.extraBodyBytes + (keyBytes - partitionKey.length);
  return { json, recordBytes, bodyBytes };
}
