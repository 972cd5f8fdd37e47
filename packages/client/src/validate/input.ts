/**
 * Checks of the caller's parameters before anything is sent, with messages that say which field, what
 * is wrong and how to fix it. Patterns and limits come from the contract.
 */
import {
  EXPLICIT_HASH_KEY_PATTERN,
  LIMITS,
  NAME_PATTERN,
  SEQUENCE_NUMBER_PATTERN,
  ShardIteratorType,
} from '@kproxy/contract';
import { checkKeyText } from '../data/gateway-text.ts';
import { InputError } from '../errors/InputError.ts';

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

function checkName(value: unknown, field: string, what: string): asserts value is string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw new InputError(
      field,
      `is not a valid ${what} (${show(value)})`,
      `Use 1–128 characters of letters, digits, "_", "." and "-"`,
    );
  }
}

export function checkStreamName(value: unknown, field = 'streamName'): asserts value is string {
  checkName(value, field, 'stream name');
}

export function checkShardId(value: unknown, field = 'shardId'): asserts value is string {
  checkName(value, field, 'shard id');
}

/** Partition keys: 1–256 UTF-16 code units, as the contract's `PartitionKey` schema counts them. */
export function checkPartitionKey(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new InputError(field, `must be a string (got ${show(value)})`);
  }
  const length = value.length;
  if (length < LIMITS.partitionKeyMinLength || length > LIMITS.partitionKeyMaxLength) {
    throw new InputError(
      field,
      `must be ${LIMITS.partitionKeyMinLength}–${LIMITS.partitionKeyMaxLength} characters (got ${length}${
        length === [...value].length
          ? ''
          : ' UTF-16 units: Kinesis counts a character such as an emoji as two'
      })`,
      length === 0 ? 'Give every record a non-empty partition key' : 'Shorten or hash the key',
    );
  }
  checkKeyText(value, field);
}

/** The error for a record over `limits.maxRecordBytes` (data plus partition key). */
export function recordTooLarge(field: string, bytes: number, max: number): InputError {
  return new InputError(
    field,
    `is too large: ${bytes} bytes with the partition key, over the ${max}-byte record limit`,
    'Split the record, or raise limits.maxRecordBytes if the stream allows larger records',
  );
}

export function checkExplicitHashKey(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !EXPLICIT_HASH_KEY_PATTERN.test(value)) {
    throw new InputError(
      field,
      `is not a valid explicit hash key (${show(value)})`,
      'Use a decimal integer from 0 to 2^128-1 as a string, without leading zeros',
    );
  }
}

export function checkSequenceNumber(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !SEQUENCE_NUMBER_PATTERN.test(value)) {
    throw new InputError(
      field,
      `is not a valid sequence number (${show(value)})`,
      'Pass the decimal string Kinesis returned, unchanged (never a number)',
    );
  }
}

export function checkLimit(value: unknown, field: string, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError(field, `must be an integer from 1 to ${max} (got ${show(value)})`);
  }
}

export function checkIteratorType(value: unknown, field: string): asserts value is ShardIteratorType {
  if (!ShardIteratorType.safeParse(value).success) {
    throw new InputError(
      field,
      `is not a shard iterator type (${show(value)})`,
      `Use one of ${ShardIteratorType.options.join(', ')}`,
    );
  }
}

/** `Date` → epoch seconds as the `timestamp` query parameter expects (`1700000000.5`). */
export function toEpochSeconds(value: unknown, field: string): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()) || value.getTime() < 0) {
    throw new InputError(field, `must be a valid Date (got ${show(value)})`);
  }
  const ms = value.getTime();
  return ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(3);
}
