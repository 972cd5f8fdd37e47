/**
 * Facts that several packages read from the contract agree with each other: limits and the parameter
 * schemas that enforce them, partition keys counted as Kinesis counts them, auth modes in both
 * spellings, defaults.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  AUTH_MODES,
  authModeOf,
  CLIENT_AUTH_TYPES,
  DEFAULTS,
  isAuthMode,
  LIMITS,
  LOCAL_DEFAULTS,
  operations,
  PartitionKey,
  PutRecordsEntry,
} from '../src/index.ts';

const paramOf = (op: { params: readonly { name: string; schema: z.ZodMiniType }[] }, name: string) =>
  op.params.find((p) => p.name === name)!.schema;

describe('limits', () => {
  it('the limit parameter of each operation accepts exactly 1 to its LIMITS value', () => {
    const cases = [
      [operations.listStreams, LIMITS.maxListLimit],
      [operations.describeStream, LIMITS.maxDescribeLimit],
      [operations.getRecords, LIMITS.maxGetRecordsLimit],
    ] as const;
    for (const [op, max] of cases) {
      const limit = paramOf(op, 'limit');
      expect(limit.safeParse('1').success, op.id).toBe(true);
      expect(limit.safeParse(String(max)).success, op.id).toBe(true);
      expect(limit.safeParse(String(max + 1)).success, op.id).toBe(false);
      expect(limit.safeParse('999999').success, op.id).toBe(false);
      expect(limit.safeParse('0').success, op.id).toBe(false);
      expect(limit.safeParse('01').success, op.id).toBe(false);
      expect(limit.safeParse('1.5').success, op.id).toBe(false);
    }
  });

  it('ListShards takes 1 to LIMITS.maxListShardsResults shards per call, and filter types from the schema', () => {
    const max = paramOf(operations.listShards, 'max-results');
    expect(max.safeParse('1').success).toBe(true);
    expect(max.safeParse(String(LIMITS.maxListShardsResults)).success).toBe(true);
    expect(max.safeParse(String(LIMITS.maxListShardsResults + 1)).success).toBe(false);
    expect(max.safeParse('0').success).toBe(false);
    const type = paramOf(operations.listShards, 'shard-filter-type');
    expect(type.safeParse('AT_LATEST').success).toBe(true);
    expect(type.safeParse('at_latest').success).toBe(false);
    const token = paramOf(operations.listShards, 'next-token');
    expect(token.safeParse('').success).toBe(false);
    expect(token.safeParse('t'.repeat(LIMITS.maxNextTokenLength)).success).toBe(true);
    expect(token.safeParse('t'.repeat(LIMITS.maxNextTokenLength + 1)).success).toBe(false);
  });

  it('the Shard-Iterator header is at most LIMITS.maxShardIteratorLength long', () => {
    const header = paramOf(operations.getRecords, 'Shard-Iterator');
    expect(header.safeParse('a'.repeat(LIMITS.maxShardIteratorLength)).success).toBe(true);
    expect(header.safeParse('a'.repeat(LIMITS.maxShardIteratorLength + 1)).success).toBe(false);
  });
});

describe('partition keys are counted in UTF-16 units, as the Kinesis engines count them', () => {
  const emoji = '😀'; // one code point, two UTF-16 units

  it('the schema accepts 128 emoji and refuses 129, and refuses the empty key', () => {
    expect(PartitionKey.safeParse(emoji.repeat(128)).success).toBe(true);
    expect(PartitionKey.safeParse(emoji.repeat(129)).success).toBe(false);
    expect(PartitionKey.safeParse('k'.repeat(LIMITS.partitionKeyMaxLength)).success).toBe(true);
    expect(PartitionKey.safeParse('k'.repeat(LIMITS.partitionKeyMaxLength + 1)).success).toBe(false);
    expect(PartitionKey.safeParse('').success).toBe(false);
    expect(PutRecordsEntry.safeParse({ data: 'x', 'partition-key': emoji.repeat(128) }).success).toBe(true);
    expect(operations.putRecord.body.safeParse({ Data: 'x', PartitionKey: emoji.repeat(129) }).success).toBe(
      false,
    );
  });

  it('the request model (JSON Schema) states the same bounds (JSON Schema counts code points: API Gateway lets a few astral keys through for Kinesis to refuse)', () => {
    const model = z.toJSONSchema(operations.putRecord.body, { target: 'draft-04' }) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(model.properties.PartitionKey).toMatchObject({
      type: 'string',
      minLength: LIMITS.partitionKeyMinLength,
      maxLength: LIMITS.partitionKeyMaxLength,
    });
  });
});

describe('auth modes', () => {
  it('maps every mode to the client spelling and back', () => {
    expect(AUTH_MODES).toEqual(['iam', 'api-key', 'none']);
    expect(Object.keys(CLIENT_AUTH_TYPES)).toEqual([...AUTH_MODES]);
    expect(CLIENT_AUTH_TYPES).toEqual({ iam: 'sigv4', 'api-key': 'apiKey', none: 'none' });
    for (const mode of AUTH_MODES) expect(authModeOf(CLIENT_AUTH_TYPES[mode])).toBe(mode);
    expect(isAuthMode('api-key')).toBe(true);
    expect(isAuthMode('apiKey')).toBe(false);
    expect(isAuthMode('toString')).toBe(false);
  });
});

describe('defaults', () => {
  it('the emulator serves the default stage and signs for the default region', () => {
    expect(LOCAL_DEFAULTS.stage).toBe(DEFAULTS.stage);
    expect(LOCAL_DEFAULTS.region).toBe(DEFAULTS.region);
    expect(AUTH_MODES).toContain(DEFAULTS.authMode);
  });
});
