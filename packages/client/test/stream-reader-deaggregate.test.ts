/**
 * readStream de-aggregates KPL aggregated records by default: user records with their own keys and
 * sub-sequence numbers, look-alikes passed as they are, positions that resume inside an aggregated
 * record, and `deaggregate: false` for the raw records. Aggregates come from our codec and from
 * aws-kinesis-agg (AWS Labs' implementation, a dev dependency), which the reader did not write.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { ReadPosition, StreamBatch, StreamRecord } from '../src/index.ts';
import { encodeAggregatedRecord, KPL_MAGIC } from '../src/kpl/format.ts';
import { FakeKinesis, type FakeShard } from './fake-kinesis.ts';
import { makeClient, useServer } from './helpers.ts';

const server = useServer();
const id = (n: number) => `shardId-00000000000${n}`;
const bytes = (text: string) => new TextEncoder().encode(text);

/** An aggregated record of `count` user records `<prefix>0…`, keys `<prefix>-k0…`. */
function aggregateOf(prefix: string, count: number, explicitHashKey?: string): Uint8Array {
  return encodeAggregatedRecord(
    Array.from({ length: count }, (_, i) => ({
      partitionKey: `${prefix}-k${i}`,
      data: bytes(`${prefix}${i}`),
      ...(explicitHashKey !== undefined && i === 0 ? { explicitHashKey } : {}),
    })),
  );
}

/** aws-kinesis-agg's aggregate of the same user records. */
function theirAggregateOf(prefix: string, count: number): Uint8Array {
  const require = createRequire(import.meta.url);
  const agg = require('aws-kinesis-agg') as {
    RecordAggregator: new () => {
      addUserRecord(record: { partitionKey: string; data: Buffer }): void;
      build(): { data: Buffer };
    };
  };
  const aggregator = new agg.RecordAggregator();
  for (let i = 0; i < count; i++)
    aggregator.addUserRecord({ partitionKey: `${prefix}-k${i}`, data: Buffer.from(`${prefix}${i}`) });
  return new Uint8Array(aggregator.build().data);
}

function setup(shards: FakeShard[]) {
  const fake = new FakeKinesis('events', shards);
  server.use(...fake.handlers());
  return { fake, ...makeClient() };
}

async function collect(iterable: AsyncIterable<StreamRecord>, max = Infinity): Promise<StreamRecord[]> {
  const out: StreamRecord[] = [];
  for await (const record of iterable) {
    out.push(record);
    if (out.length >= max) break;
  }
  return out;
}

/** `seq/sub data key` for each record (`seq data key` for a plain one). */
const show = (records: readonly StreamRecord[]) =>
  records.map(
    (r) =>
      `${r.sequenceNumber}${r.subSequenceNumber === undefined ? '' : `/${r.subSequenceNumber}`} ${r.text()} ${r.partitionKey}`,
  );

/** A stream of one shard: plain, aggregated (3), plain, aggregated by aws-kinesis-agg (2). */
const mixed = (): FakeShard[] => [
  {
    id: id(0),
    records: [
      { seq: '10', key: 'p', data: 'plain1' },
      { seq: '20', key: 'outer', data: aggregateOf('a', 3) },
      { seq: '30', key: 'p', data: 'plain2' },
      { seq: '40', key: 'outer', data: theirAggregateOf('b', 2) },
    ],
  },
];

describe('readStream de-aggregates KPL aggregated records', () => {
  it('hands out user records with their own keys and sub-sequence numbers, plain records as they are', async () => {
    const { client } = setup(mixed());
    const records = await collect(client.readStream({ streamName: 'events', follow: false }));
    expect(show(records)).toEqual([
      '10 plain1 p',
      '20/0 a0 a-k0',
      '20/1 a1 a-k1',
      '20/2 a2 a-k2',
      '30 plain2 p',
      '40/0 b0 b-k0',
      '40/1 b1 b-k1',
    ]);
    // The Kinesis record's fields carry over; the methods work on the user record's bytes.
    expect(records[1]!.shardId).toBe(id(0));
    expect(records[1]!.approximateArrivalTimestamp).toEqual(records[0]!.approximateArrivalTimestamp);
    expect(JSON.parse(JSON.stringify(records[2]))).toMatchObject({
      sequenceNumber: '20',
      subSequenceNumber: 1,
      partitionKey: 'a-k1',
    });
  });

  it('gives each user record its explicit hash key, when the producer gave one', async () => {
    const { client } = setup([
      { id: id(0), records: [{ seq: '1', key: 'outer', data: aggregateOf('e', 2, '12345') }] },
    ]);
    const records = await collect(client.readStream({ streamName: 'events', follow: false }));
    expect(records.map((r) => r.explicitHashKey)).toEqual(['12345', undefined]);
  });

  it('passes a record that starts with the magic bytes but fails the checksum or the parse as it is', async () => {
    const corrupt = aggregateOf('c', 2);
    corrupt[corrupt.length - 1]! ^= 0xff;
    // Magic, then bytes that are not an AggregatedRecord, with a valid checksum over them.
    const notProtobuf = new Uint8Array([...KPL_MAGIC, 0xff, 0xff, ...new Uint8Array(16)]);
    const { client } = setup([
      {
        id: id(0),
        records: [
          { seq: '1', key: 'x', data: corrupt },
          { seq: '2', key: 'y', data: notProtobuf },
        ],
      },
    ]);
    const records = await collect(client.readStream({ streamName: 'events', follow: false }));
    expect(records.map((r) => [r.sequenceNumber, r.subSequenceNumber, r.partitionKey])).toEqual([
      ['1', undefined, 'x'],
      ['2', undefined, 'y'],
    ]);
    expect(records[0]!.data).toEqual(corrupt);
    expect(records[1]!.data).toEqual(notProtobuf);
  });

  it('deaggregate: false hands out the Kinesis records as stored', async () => {
    const { client } = setup(mixed());
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, deaggregate: false }),
    );
    expect(records.map((r) => [r.sequenceNumber, r.subSequenceNumber])).toEqual([
      ['10', undefined],
      ['20', undefined],
      ['30', undefined],
      ['40', undefined],
    ]);
    expect(records[1]!.data).toEqual(aggregateOf('a', 3));
  });

  it('limit counts user records', async () => {
    const { client } = setup(mixed());
    const records = await collect(client.readStream({ streamName: 'events', follow: false, limit: 3 }));
    expect(show(records)).toEqual(['10 plain1 p', '20/0 a0 a-k0', '20/1 a1 a-k1']);
  });
});

describe('positions inside an aggregated record', () => {
  it('a position part-way through an aggregate names its sub-sequence number; after its last, the sequence number alone', async () => {
    const { client } = setup(mixed());
    const reader = client.readStream({ streamName: 'events', follow: false });
    const positions: ReadPosition['shards'][string][] = [];
    for await (const _ of reader) positions.push(reader.position().shards[id(0)]!);
    expect(positions).toEqual([
      '10',
      { sequenceNumber: '20', subSequenceNumber: 0 },
      { sequenceNumber: '20', subSequenceNumber: 1 },
      '20',
      '30',
      { sequenceNumber: '40', subSequenceNumber: 0 },
      '40',
    ]);
  });

  it('resumes inside the aggregate from a JSON round-tripped position: AT its sequence number, skipping what was handed out', async () => {
    const { client, fake } = setup(mixed());
    const first = client.readStream({ streamName: 'events', follow: false, limit: 3 });
    expect(show(await collect(first))).toEqual(['10 plain1 p', '20/0 a0 a-k0', '20/1 a1 a-k1']);
    const saved = JSON.parse(JSON.stringify(first.position())) as ReadPosition;
    expect(saved.shards[id(0)]).toEqual({ sequenceNumber: '20', subSequenceNumber: 1 });

    const resumed = client.readStream({ streamName: 'events', follow: false, from: { position: saved } });
    expect(show(await collect(resumed))).toEqual([
      '20/2 a2 a-k2',
      '30 plain2 p',
      '40/0 b0 b-k0',
      '40/1 b1 b-k1',
    ]);
    expect(fake.calls).toContain(`iterator ${id(0)} AT_SEQUENCE_NUMBER 20`);
  });

  it('a position after the last user record resumes after the record (nothing read twice)', async () => {
    const { client, fake } = setup(mixed());
    const position: ReadPosition = { shards: { [id(0)]: '20' }, finished: [] };
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, from: { position } }),
    );
    expect(show(records)[0]).toBe('30 plain2 p');
    expect(fake.calls).toContain(`iterator ${id(0)} AFTER_SEQUENCE_NUMBER 20`);
  });

  it('batch.position(n) stops inside the aggregate', async () => {
    const { client } = setup(mixed());
    const reader = client.readStream({ streamName: 'events', follow: false, recordsPerRead: 2 });
    let batch: StreamBatch | undefined;
    for await (const b of reader.batches()) {
      batch = b;
      break;
    }
    expect(show(batch!.records)).toEqual(['10 plain1 p', '20/0 a0 a-k0', '20/1 a1 a-k1', '20/2 a2 a-k2']);
    expect(batch!.position(2).shards[id(0)]).toEqual({ sequenceNumber: '20', subSequenceNumber: 0 });
    expect(batch!.position(4).shards[id(0)]).toBe('20');
    expect(batch!.position(1).shards[id(0)]).toBe('10');
  });

  it('with deaggregate: false a position inside an aggregate hands out the whole record again', async () => {
    const { client } = setup(mixed());
    const position: ReadPosition = {
      shards: { [id(0)]: { sequenceNumber: '20', subSequenceNumber: 1 } },
      finished: [],
    };
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, deaggregate: false, from: { position } }),
    );
    expect(records.map((r) => r.sequenceNumber)).toEqual(['20', '30', '40']);
  });

  it('the last N counts user records: the start may be inside an aggregate', async () => {
    const { client } = setup(mixed());
    const reader = client.readStream({ streamName: 'events', follow: false, from: { last: 4 } });
    await reader.start();
    expect(reader.position().shards[id(0)]).toEqual({ sequenceNumber: '20', subSequenceNumber: 1 });
    expect(show(await collect(reader))).toEqual([
      '20/2 a2 a-k2',
      '30 plain2 p',
      '40/0 b0 b-k0',
      '40/1 b1 b-k1',
    ]);
    const raw = setup(mixed());
    const rawReader = raw.client.readStream({
      streamName: 'events',
      follow: false,
      deaggregate: false,
      from: { last: 2 },
    });
    expect((await collect(rawReader)).map((r) => r.sequenceNumber)).toEqual(['30', '40']);
  });

  it('rejects a malformed sub-sequence position before reading', () => {
    const { client } = setup(mixed());
    for (const bad of [
      { sequenceNumber: '20', subSequenceNumber: -1 },
      { sequenceNumber: '20', subSequenceNumber: 1.5 },
      { sequenceNumber: 'x', subSequenceNumber: 1 },
      { sequenceNumber: '20' },
    ]) {
      expect(() =>
        client.readStream({
          streamName: 'events',
          from: { position: { shards: { [id(0)]: bad as never }, finished: [] } },
        }),
      ).toThrow(/from\.position\.shards\["shardId-000000000000"\]\.(sub)?[sS]equenceNumber/);
    }
  });
});
