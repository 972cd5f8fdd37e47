/**
 * The client's results are derived from the contract's schemas: the public types are `CamelCase` of the
 * schemas' outputs, and a field added to a schema reaches the caller's type and value with no client
 * change. `toKinesisShape` inverts the mapping exactly (the CLI prints AWS-shaped JSON with it).
 */
import {
  type DescribeStreamOutput,
  GetRecordsOutput,
  type GetShardIteratorOutput,
  type ChildShard as KinesisChildShard,
  type KinesisRecord,
  type Shard as KinesisShard,
  StreamDescription as KinesisStreamDescription,
  type StreamSummary as KinesisStreamSummary,
  type ListStreamsOutput,
  PartitionKey,
  PutRecordOutput,
} from '@kproxy/contract';
import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import * as z from 'zod/mini';
import {
  type CamelCase,
  type ChildShard,
  type GetShardIteratorResult,
  type KinesisShape,
  type ListStreamsPage,
  type PutRecordResult,
  type ReceivedRecord,
  type Shard,
  type StreamDescription,
  type StreamSummary,
  toCamelCase,
  toKinesisShape,
} from '../src/index.ts';
import { checkPartitionKey } from '../src/validate/input.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

/** PutRecord's output plus a text field and a timestamp (both optional, as Kinesis adds fields). */
const { withNewFields } = vi.hoisted(() => ({
  withNewFields: (zod: typeof z, schema: typeof PutRecordOutput) =>
    zod.extend(schema, {
      ShardLevelHint: zod.optional(zod.string()),
      WrittenTimestamp: zod.optional(zod.nullable(zod.number())),
    }),
}));

/**
 * The contract as this file sees it: PutRecord's output schema has fields the real one does not (yet),
 * as if someone had just added them to `packages/contract/src/schemas.ts`.
 */
vi.mock('@kproxy/contract', async (importOriginal) => {
  const contract = await importOriginal<typeof import('@kproxy/contract')>();
  const zod = await import('zod/mini');
  const putRecord = {
    ...contract.operations.putRecord,
    output: withNewFields(zod, contract.PutRecordOutput),
  };
  return { ...contract, putRecord, operations: { ...contract.operations, putRecord } };
});

const ExtendedPutRecordOutput = withNewFields(z, PutRecordOutput);

const server = useServer();

describe('result types are derived from the contract', () => {
  it('every public result type is CamelCase of its schema', () => {
    type Out<S extends z.ZodMiniType> = z.output<S>;
    expectTypeOf<StreamDescription>().toEqualTypeOf<CamelCase<Out<typeof KinesisStreamDescription>>>();
    expectTypeOf<StreamDescription>().toEqualTypeOf<
      CamelCase<Out<typeof DescribeStreamOutput>>['streamDescription']
    >();
    expectTypeOf<Shard>().toEqualTypeOf<CamelCase<Out<typeof KinesisShard>>>();
    expectTypeOf<StreamSummary>().toEqualTypeOf<CamelCase<Out<typeof KinesisStreamSummary>>>();
    expectTypeOf<ListStreamsPage>().toEqualTypeOf<CamelCase<Out<typeof ListStreamsOutput>>>();
    expectTypeOf<PutRecordResult>().toEqualTypeOf<CamelCase<Out<typeof PutRecordOutput>>>();
    expectTypeOf<GetShardIteratorResult>().toEqualTypeOf<CamelCase<Out<typeof GetShardIteratorOutput>>>();
    expectTypeOf<ChildShard>().toEqualTypeOf<CamelCase<KinesisChildShard>>();
    expectTypeOf<ReceivedRecord>().toExtend<CamelCase<Out<typeof KinesisRecord>>>();
  });

  it('the convention: first letter lower-cased, timestamps as Date, record data as bytes, null as absent', () => {
    expectTypeOf<StreamDescription['streamARN']>().toEqualTypeOf<string>();
    expectTypeOf<StreamDescription['hasMoreShards']>().toEqualTypeOf<boolean>();
    expectTypeOf<StreamDescription['streamCreationTimestamp']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<StreamDescription>().not.toHaveProperty('StreamARN');
    expectTypeOf<ReceivedRecord['data']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<ReceivedRecord['approximateArrivalTimestamp']>().toEqualTypeOf<Date | undefined>();
    // `maybe()` fields (optional and nullable in the schema) are optional, never null.
    expectTypeOf<Shard['parentShardId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<StreamDescription>().not.toExtend<{ [key: string]: unknown; unknownField: unknown }>();
  });

  it('a field added to a schema appears in the type', () => {
    type Result = CamelCase<z.output<typeof ExtendedPutRecordOutput>>;
    expectTypeOf<Result>().toEqualTypeOf<{
      shardId: string;
      sequenceNumber: string;
      encryptionType?: string;
      shardLevelHint?: string;
      writtenTimestamp?: Date;
    }>();
    expectTypeOf<KinesisShape<Result>>().toEqualTypeOf<{
      ShardId: string;
      SequenceNumber: string;
      EncryptionType?: string;
      ShardLevelHint?: string;
      WrittenTimestamp?: number;
    }>();
  });

  it('a field added to a schema appears in the output of the client method, with no client change', async () => {
    server.use(
      http.put(`${BASE}/streams/s/record`, () =>
        HttpResponse.json({
          ShardId: 'shardId-000000000000',
          SequenceNumber: '4959',
          ShardLevelHint: 'hot',
          WrittenTimestamp: 1700000000.125,
          NotInAnySchema: 'dropped',
        }),
      ),
    );
    const { client } = makeClient();
    const result = await client.putRecord({ streamName: 's', data: 'x', partitionKey: 'k' });
    expect(result).toEqual({
      shardId: 'shardId-000000000000',
      sequenceNumber: '4959',
      shardLevelHint: 'hot',
      writtenTimestamp: new Date(1700000000_125),
    });
  });
});

describe('toCamelCase and toKinesisShape', () => {
  const description = {
    StreamName: 'orders',
    StreamARN: 'arn:aws:kinesis:eu-west-1:1:stream/orders',
    StreamStatus: 'ACTIVE',
    HasMoreShards: false,
    StreamCreationTimestamp: 1700000000.123,
    StreamModeDetails: { StreamMode: 'PROVISIONED' },
    Shards: [
      {
        ShardId: 'shardId-000000000001',
        ParentShardId: 'shardId-000000000000',
        HashKeyRange: { StartingHashKey: '0', EndingHashKey: '99' },
        SequenceNumberRange: { StartingSequenceNumber: '4959', EndingSequenceNumber: '4960' },
      },
    ],
  };

  it('maps by the schema: declared fields only, nulls left out, nested objects and arrays', () => {
    const parsed = KinesisStreamDescription.parse({ ...description, KeyId: null, Extra: 1 });
    const mapped = toCamelCase(KinesisStreamDescription, parsed);
    expect(mapped).toEqual({
      streamName: 'orders',
      streamARN: 'arn:aws:kinesis:eu-west-1:1:stream/orders',
      streamStatus: 'ACTIVE',
      hasMoreShards: false,
      streamCreationTimestamp: new Date(1700000000_123),
      streamModeDetails: { streamMode: 'PROVISIONED' },
      shards: [
        {
          shardId: 'shardId-000000000001',
          parentShardId: 'shardId-000000000000',
          hashKeyRange: { startingHashKey: '0', endingHashKey: '99' },
          sequenceNumberRange: { startingSequenceNumber: '4959', endingSequenceNumber: '4960' },
        },
      ],
    });
  });

  it('toKinesisShape inverts it exactly', () => {
    const mapped = toCamelCase(KinesisStreamDescription, KinesisStreamDescription.parse(description));
    expect(toKinesisShape(mapped)).toEqual(description);
    // Millisecond timestamps survive the round trip, also where seconds × 1000 lands just below the
    // millisecond (1089918608.574 × 1000 = 1089918608573.9999: truncated, it would lose 1 ms).
    for (const seconds of [1700000000.001, 1733011199.457, 1089918608.574, 1084257931.656, 0.3]) {
      const schema = z.looseObject({ SomeTimestamp: z.number() });
      const back = toKinesisShape(toCamelCase(schema, { SomeTimestamp: seconds }));
      expect(back).toEqual({ SomeTimestamp: seconds });
    }
  });

  it('inverts a read record: data back to base64, methods left out', () => {
    const wire = {
      SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
      ApproximateArrivalTimestamp: 1700000000.25,
      Data: Buffer.from([0, 1, 2, 250, 255]).toString('base64'),
      PartitionKey: 'k',
    };
    const output = toCamelCase(GetRecordsOutput, { Records: [wire], NextShardIterator: 'next' });
    expect(output.records[0]!.data).toEqual(new Uint8Array([0, 1, 2, 250, 255]));
    expect(toKinesisShape(output)).toEqual({ Records: [wire], NextShardIterator: 'next' });
  });

  it('formats timestamps another way when asked (the AWS CLI prints ISO 8601)', () => {
    const output = toCamelCase(PutRecordOutput, { ShardId: 's', SequenceNumber: '1' });
    const stamped = { ...output, arrivalTimestamp: new Date(1700000000_250) };
    const shape = toKinesisShape(stamped, { timestamp: (date) => date.toISOString() });
    expectTypeOf(shape.ArrivalTimestamp).toEqualTypeOf<string>();
    expect(shape).toEqual({
      ShardId: 's',
      SequenceNumber: '1',
      ArrivalTimestamp: '2023-11-14T22:13:20.250Z',
    });
  });
});

describe('the client checks inputs by the contract’s rules', () => {
  it('accepts a partition key of a length exactly when the contract’s schema does (UTF-16 units, emoji included)', () => {
    const keys = ['k', '', '😀'.repeat(200), '😀'.repeat(256), '😀'.repeat(257), 'k'.repeat(256)];
    // (Lone surrogates are left out: the client refuses them whatever their length, as text API Gateway
    // would alter — see gateway-text.test.ts.)
    keys.push(
      'k'.repeat(257),
      `${'😀'.repeat(255)}k`,
      `${'😀'.repeat(256)}k`,
      'é'.repeat(256),
      '𝄞'.repeat(129),
    );
    for (const key of keys) {
      const clientAccepts = (() => {
        try {
          checkPartitionKey(key, 'partitionKey');
          return true;
        } catch {
          return false;
        }
      })();
      expect(clientAccepts, `${key.length} UTF-16 units`).toBe(PartitionKey.safeParse(key).success);
    }
  });
});
