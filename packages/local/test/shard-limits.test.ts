/**
 * Shard limits, unit level: the spec parser, the buckets on a fake clock, the routing checked against
 * the engine's own choice, and the limiter in front of the real embedded engine on a fake clock (so
 * every count below is exact, whatever the machine's speed).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KinesisBackend } from '../src/kinesis/backend.ts';
import { createKinesisCaller, type KinesisCaller } from '../src/kinesis/call.ts';
import { startEmbeddedEngine } from '../src/kinesis/embedded.ts';
import { limitShards } from '../src/kinesis/shard-limits.ts';
import { ReadBuckets, ShardBucket, WriteBuckets } from '../src/kinesis/shard-limits-bucket.ts';
import {
  describeShardLimits,
  KINESIS_SHARD_LIMITS,
  parseShardLimits,
  resolveShardLimits,
  type ShardLimits,
} from '../src/kinesis/shard-limits-options.ts';
import { hashKeyOf, listOpenShards, shardFor } from '../src/kinesis/shard-limits-routing.ts';

const MiB = 1024 * 1024;

function fakeClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('the --shard-limits spec', () => {
  it('means Kinesis’s limits when empty or true', () => {
    expect(resolveShardLimits('')).toEqual(KINESIS_SHARD_LIMITS);
    expect(resolveShardLimits(true)).toEqual(KINESIS_SHARD_LIMITS);
    expect(KINESIS_SHARD_LIMITS).toEqual({
      writes: { recordsPerSecond: 1000, bytesPerSecond: MiB },
      reads: { callsPerSecond: 5, bytesPerSecond: 2 * MiB },
    });
    expect(resolveShardLimits(undefined)).toBeUndefined();
    expect(resolveShardLimits(false)).toBeUndefined();
  });

  it('parses rates and sizes in any order, units binary or decimal, /s optional', () => {
    expect(parseShardLimits('writes=1000rps,1MiB;reads=5rps,2MiB')).toEqual({
      writes: { recordsPerSecond: 1000, bytesPerSecond: MiB },
      reads: { callsPerSecond: 5, bytesPerSecond: 2 * MiB },
    });
    expect(parseShardLimits(' reads = 512KiB/s , 2.5rps ; writes=1MB ')).toEqual({
      reads: { callsPerSecond: 2.5, bytesPerSecond: 512 * 1024 },
      writes: { bytesPerSecond: 1_000_000 },
    });
    expect(parseShardLimits('writes=100B')).toEqual({ writes: { bytesPerSecond: 100 } });
  });

  it('keeps Kinesis’s value for what a spec leaves out, and lifts a direction with off', () => {
    expect(resolveShardLimits('writes=100rps;reads=off')).toEqual({
      writes: { recordsPerSecond: 100, bytesPerSecond: MiB },
      reads: undefined,
    });
    expect(resolveShardLimits({ reads: { bytesPerSecond: 1000 } })).toEqual({
      writes: KINESIS_SHARD_LIMITS.writes,
      reads: { callsPerSecond: 5, bytesPerSecond: 1000 },
    });
  });

  it.each([
    ['writes', 'must start with writes= or reads='],
    ['write=10rps', 'must start with writes= or reads='],
    ['writes=10', 'neither a rate'],
    ['writes=10rps,20rps', 'repeats a rate or a size'],
    ['writes=1GiB', 'neither a rate'],
    ['writes=1rps;writes=2rps', 'writes is given twice'],
  ])('rejects %j, saying why and showing the syntax', (spec, why) => {
    expect(() => parseShardLimits(spec)).toThrow(TypeError);
    expect(() => parseShardLimits(spec)).toThrow(why);
    expect(() => parseShardLimits(spec)).toThrow('writes=1000rps,1MiB;reads=5rps,2MiB');
  });

  it('rejects a zero or negative limit in an options object', () => {
    expect(() => resolveShardLimits({ writes: { recordsPerSecond: 0 } })).toThrow(
      'shardLimits.writes.recordsPerSecond must be a positive number',
    );
    expect(() => resolveShardLimits('writes=0rps')).toThrow('positive');
  });

  it('describes the limits for the banner', () => {
    expect(describeShardLimits(KINESIS_SHARD_LIMITS)).toBe(
      'writes 1000 records/s and 1 MiB/s, reads 5 calls/s and 2 MiB/s per shard',
    );
    expect(describeShardLimits(resolveShardLimits('writes=10rps,100B;reads=off')!)).toBe(
      'writes 10 records/s and 100 B/s, reads unlimited per shard',
    );
  });
});

describe('buckets (fake clock)', () => {
  it('hold one second’s worth and refill continuously, never above it', () => {
    const clock = fakeClock();
    const bucket = new ShardBucket(1000, clock.now);
    expect(bucket.balance).toBe(1000);
    bucket.spend(1000);
    expect(bucket.has(1)).toBe(false);
    clock.advance(250);
    expect(bucket.balance).toBe(250);
    clock.advance(10_000);
    expect(bucket.balance).toBe(1000);
  });

  it('writes: 1,000 records/s per shard, refused records take no tokens', () => {
    const clock = fakeClock();
    const shard = new WriteBuckets(1000, MiB, clock.now);
    let accepted = 0;
    for (let i = 0; i < 1500; i++) if (shard.tryAccept(100)) accepted++;
    expect(accepted).toBe(1000);
    clock.advance(100);
    accepted = 0;
    for (let i = 0; i < 500; i++) if (shard.tryAccept(100)) accepted++;
    expect(accepted).toBe(100);
  });

  it('writes: 1 MiB/s per shard, whichever limit is hit first', () => {
    const clock = fakeClock();
    const shard = new WriteBuckets(1000, MiB, clock.now);
    const size = 256 * 1024;
    expect([1, 2, 3, 4, 5].map(() => shard.tryAccept(size))).toEqual([true, true, true, true, false]);
    // A small record still fits in what is left of the record budget but not of the byte budget.
    expect(shard.tryAccept(1)).toBe(false);
    clock.advance(250);
    expect(shard.tryAccept(size)).toBe(true);
    expect(shard.tryAccept(size)).toBe(false);
  });

  it('writes: a record larger than a lowered byte limit passes on a full bucket and leaves a debt', () => {
    const clock = fakeClock();
    const shard = new WriteBuckets(1000, 1000, clock.now);
    expect(shard.tryAccept(3000)).toBe(true);
    clock.advance(1999);
    expect(shard.tryAccept(1)).toBe(false);
    clock.advance(2);
    expect(shard.tryAccept(1)).toBe(true);
  });

  it('reads: 5 calls/s per shard', () => {
    const clock = fakeClock();
    const shard = new ReadBuckets(5, 2 * MiB, clock.now);
    expect(Array.from({ length: 7 }, () => shard.tryAdmit())).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
    clock.advance(200);
    expect(shard.tryAdmit()).toBe(true);
    expect(shard.tryAdmit()).toBe(false);
  });

  it('reads: a call returning 10 MiB throttles the shard until 2 MiB/s have paid it back', () => {
    const clock = fakeClock();
    const shard = new ReadBuckets(5, 2 * MiB, clock.now);
    expect(shard.tryAdmit()).toBe(true);
    shard.charge(10 * MiB);
    // Balance 2 MiB - 10 MiB = -8 MiB: 4 s to pay back at 2 MiB/s.
    clock.advance(3999);
    expect(shard.tryAdmit()).toBe(false);
    clock.advance(2);
    expect(shard.tryAdmit()).toBe(true);
  });
});

describe('routing and the limiter, in front of the embedded engine', () => {
  let backend: KinesisBackend;
  let engine: KinesisCaller;
  let clock: ReturnType<typeof fakeClock>;
  beforeAll(async () => {
    backend = await startEmbeddedEngine({ dataDir: undefined, region: 'us-east-1' });
    engine = createKinesisCaller(backend);
  });
  afterAll(() => backend.close());
  beforeEach(() => {
    clock = fakeClock();
  });

  const b64 = (text: string) => Buffer.from(text).toString('base64');
  let streams = 0;
  async function createStream(shardCount: number): Promise<string> {
    const name = `limits-${++streams}`;
    const created = await engine(
      'CreateStream',
      JSON.stringify({ StreamName: name, ShardCount: shardCount }),
    );
    expect(created.status).toBe(200);
    return name;
  }
  async function readAll(call: KinesisCaller, stream: string): Promise<string[]> {
    const shards = (await listOpenShards(call, { StreamName: stream }))!;
    const texts: string[] = [];
    for (const shard of shards) {
      const it = await call(
        'GetShardIterator',
        JSON.stringify({ StreamName: stream, ShardId: shard.shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const got = await call(
        'GetRecords',
        JSON.stringify({ ShardIterator: JSON.parse(it.body).ShardIterator }),
      );
      for (const r of JSON.parse(got.body).Records) texts.push(Buffer.from(r.Data, 'base64').toString());
    }
    return texts;
  }

  it('computes the shard the engine chooses, for random, unicode and explicit hash keys', async () => {
    const stream = await createStream(5);
    const shards = (await listOpenShards(engine, { StreamName: stream }))!;
    expect(shards).toHaveLength(5);
    const entries: Array<{ PartitionKey: string; ExplicitHashKey?: string }> = [
      ...Array.from({ length: 200 }, () => ({ PartitionKey: randomBytes(12).toString('hex') })),
      { PartitionKey: 'ключ-🔑-鍵' },
      { PartitionKey: 'x'.repeat(256) },
      { PartitionKey: 'k', ExplicitHashKey: '0' },
      { PartitionKey: 'k', ExplicitHashKey: String(2n ** 128n - 1n) },
      ...shards.map((s) => ({ PartitionKey: 'k', ExplicitHashKey: String(s.endingHashKey) })),
    ];
    const put = await engine(
      'PutRecords',
      JSON.stringify({ StreamName: stream, Records: entries.map((e) => ({ ...e, Data: b64('x') })) }),
    );
    const results = JSON.parse(put.body).Records as Array<{ ShardId: string }>;
    const computed = entries.map(
      (e) => shardFor(shards, hashKeyOf(e.PartitionKey, e.ExplicitHashKey))?.shardId,
    );
    expect(computed).toEqual(results.map((r) => r.ShardId));
    // Every shard was hit, so the comparison covers all ranges.
    expect(new Set(computed).size).toBe(5);
  });

  it('hashes the partition key’s UTF-8 bytes with MD5, as a 128-bit unsigned integer', () => {
    const key = 'é';
    expect(hashKeyOf(key)).toBe(
      BigInt(
        `0x${createHash('md5')
          .update(Buffer.from([0xc3, 0xa9]))
          .digest('hex')}`,
      ),
    );
    expect(hashKeyOf('anything', '42')).toBe(42n);
  });

  const writeOnly: ShardLimits = { writes: { recordsPerSecond: 10, bytesPerSecond: MiB }, reads: undefined };

  it('PutRecords: a real partial failure, refusals in request order, refused entries not written', async () => {
    const stream = await createStream(2);
    const shards = (await listOpenShards(engine, { StreamName: stream }))!;
    const call = limitShards(engine, writeOnly, { clock: clock.now });
    // 30 entries alternating between the two shards (by explicit hash key): 10 fit each shard's bucket.
    const records = Array.from({ length: 30 }, (_, i) => ({
      Data: b64(`r${i}`),
      PartitionKey: `k${i}`,
      ExplicitHashKey: String(shards[i % 2]!.startingHashKey),
    }));
    const put = await call('PutRecords', JSON.stringify({ StreamName: stream, Records: records }));
    expect(put.status).toBe(200);
    const answer = JSON.parse(put.body) as {
      FailedRecordCount: number;
      Records: Array<{
        ShardId?: string;
        SequenceNumber?: string;
        ErrorCode?: string;
        ErrorMessage?: string;
      }>;
    };
    expect(answer.Records).toHaveLength(30);
    expect(answer.FailedRecordCount).toBe(10);
    answer.Records.forEach((r, i) => {
      if (i < 20) {
        expect(r.ShardId).toBe(shards[i % 2]!.shardId);
        expect(r.SequenceNumber).toMatch(/^\d+$/);
        expect(r.ErrorCode).toBeUndefined();
      } else {
        expect(r).toEqual({
          ErrorCode: 'ProvisionedThroughputExceededException',
          ErrorMessage: `Rate exceeded for shard ${shards[i % 2]!.shardId} in stream ${stream} under account 000000000000.`,
        });
      }
    });
    const stored = await readAll(engine, stream);
    expect(stored.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`).sort());
  });

  it('PutRecords: every entry refused is HTTP 200 with all failed, and nothing reaches the engine', async () => {
    const stream = await createStream(1);
    const call = limitShards(engine, writeOnly, { clock: clock.now });
    const batch = (from: number, n: number) =>
      JSON.stringify({
        StreamName: stream,
        Records: Array.from({ length: n }, (_, i) => ({ Data: b64(`r${from + i}`), PartitionKey: 'k' })),
      });
    expect(JSON.parse((await call('PutRecords', batch(0, 10))).body).FailedRecordCount).toBe(0);
    const refused = await call('PutRecords', batch(10, 3));
    expect(refused.status).toBe(200);
    expect(JSON.parse(refused.body)).toEqual({
      FailedRecordCount: 3,
      Records: Array.from({ length: 3 }, () => ({
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${stream} under account 000000000000.`,
      })),
    });
    clock.advance(300);
    // 3 tokens back after 0.3 s.
    const later = JSON.parse((await call('PutRecords', batch(13, 5))).body);
    expect(later.Records.map((r: { ErrorCode?: string }) => r.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'ok',
      'ok',
      'ProvisionedThroughputExceededException',
      'ProvisionedThroughputExceededException',
    ]);
    expect((await readAll(engine, stream)).sort()).toEqual(
      [...Array.from({ length: 10 }, (_, i) => `r${i}`), 'r13', 'r14', 'r15'].sort(),
    );
  });

  it('PutRecords: counts data plus partition key bytes against the byte limit', async () => {
    const stream = await createStream(1);
    const call = limitShards(
      engine,
      { writes: { recordsPerSecond: 1000, bytesPerSecond: 100 }, reads: undefined },
      {
        clock: clock.now,
      },
    );
    // 40 + 10 bytes each: two fit in 100 bytes.
    const records = Array.from({ length: 3 }, (_, i) => ({
      Data: b64('d'.repeat(40)),
      PartitionKey: `key-${i}-abcd`,
    }));
    const put = JSON.parse(
      (await call('PutRecords', JSON.stringify({ StreamName: stream, Records: records }))).body,
    );
    expect(put.FailedRecordCount).toBe(1);
    expect(put.Records[2].ErrorCode).toBe('ProvisionedThroughputExceededException');
  });

  it('PutRecord: the whole call refused with the exception (HTTP 400 from Kinesis), nothing written', async () => {
    const stream = await createStream(1);
    const call = limitShards(engine, writeOnly, { clock: clock.now });
    for (let i = 0; i < 10; i++) {
      const ok = await call(
        'PutRecord',
        JSON.stringify({ StreamName: stream, Data: b64(`p${i}`), PartitionKey: 'k' }),
      );
      expect(ok.status).toBe(200);
    }
    const refused = await call(
      'PutRecord',
      JSON.stringify({ StreamName: stream, Data: b64('p10'), PartitionKey: 'k' }),
    );
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({
      __type: 'ProvisionedThroughputExceededException',
      message: `Rate exceeded for shard shardId-000000000000 in stream ${stream} under account 000000000000.`,
    });
    expect(await readAll(engine, stream)).not.toContain('p10');
  });

  it('leaves requests the engine will refuse to the engine: unknown stream, bad partition key', async () => {
    const call = limitShards(engine, writeOnly, { clock: clock.now });
    const unknown = await call(
      'PutRecords',
      JSON.stringify({ StreamName: 'nope', Records: [{ Data: 'eA==', PartitionKey: 'k' }] }),
    );
    expect(JSON.parse(unknown.body).__type).toMatch(/ResourceNotFoundException/);
    const stream = await createStream(1);
    const badKey = await call(
      'PutRecord',
      JSON.stringify({ StreamName: stream, Data: 'eA==', PartitionKey: '' }),
    );
    expect(badKey.status).toBe(400);
    expect(JSON.parse(badKey.body).__type).not.toBe('ProvisionedThroughputExceededException');
  });

  it('follows a reshard: the shard map is fetched again once the engine routes elsewhere', async () => {
    const stream = await createStream(1);
    const call = limitShards(
      engine,
      { writes: { recordsPerSecond: 2, bytesPerSecond: MiB }, reads: undefined },
      {
        clock: clock.now,
      },
    );
    const put = (key: string) =>
      call(
        'PutRecords',
        JSON.stringify({
          StreamName: stream,
          Records: [{ Data: 'eA==', PartitionKey: key, ExplicitHashKey: key }],
        }),
      );
    expect(JSON.parse((await put('1')).body).Records[0].ShardId).toBe('shardId-000000000000');
    // Split behind the limiter's back (as another client of the engine could).
    const split = await engine(
      'SplitShard',
      JSON.stringify({
        StreamName: stream,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: String(2n ** 127n),
      }),
    );
    expect(split.status).toBe(200);
    for (let i = 0; i < 50; i++) {
      const d = JSON.parse((await engine('DescribeStream', JSON.stringify({ StreamName: stream }))).body);
      if (d.StreamDescription.StreamStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // First put after the split: charged to the stale shard, answered by a child shard → map refreshed.
    expect(JSON.parse((await put('2')).body).Records[0].ShardId).toBe('shardId-000000000001');
    // That put was charged to the closed parent (the map was stale); from now on each child has its own
    // budget of 2 records: with the stale map the third put below would have been refused already.
    const low = [await put('3'), await put('4'), await put('5')].map((r) => JSON.parse(r.body).Records[0]);
    expect(low.map((r) => r.ShardId ?? r.ErrorCode)).toEqual([
      'shardId-000000000001',
      'shardId-000000000001',
      'ProvisionedThroughputExceededException',
    ]);
    const high = JSON.parse((await put(String(2n ** 127n + 5n))).body).Records[0];
    expect(high.ShardId).toBe('shardId-000000000002');
  });

  it('GetRecords: 5 calls/s per shard, then the exception; iterators keep their shard across calls', async () => {
    const stream = await createStream(2);
    const call = limitShards(
      engine,
      { writes: undefined, reads: { callsPerSecond: 5, bytesPerSecond: 2 * MiB } },
      {
        clock: clock.now,
      },
    );
    const iteratorOf = async (shardId: string) =>
      JSON.parse(
        (
          await call(
            'GetShardIterator',
            JSON.stringify({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
          )
        ).body,
      ).ShardIterator as string;
    let iterator = await iteratorOf('shardId-000000000000');
    for (let i = 0; i < 5; i++) {
      const got = await call('GetRecords', JSON.stringify({ ShardIterator: iterator }));
      expect(got.status).toBe(200);
      iterator = JSON.parse(got.body).NextShardIterator;
    }
    const refused = await call('GetRecords', JSON.stringify({ ShardIterator: iterator }));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({
      __type: 'ProvisionedThroughputExceededException',
      message: `Rate exceeded for shard shardId-000000000000 in stream ${stream} under account 000000000000.`,
    });
    // The other shard has its own budget.
    const other = await call(
      'GetRecords',
      JSON.stringify({ ShardIterator: await iteratorOf('shardId-000000000001') }),
    );
    expect(other.status).toBe(200);
    clock.advance(200);
    expect((await call('GetRecords', JSON.stringify({ ShardIterator: iterator }))).status).toBe(200);
  });

  it('GetRecords: an answer holds at most 10 MiB; the next iterator starts after the last record kept', async () => {
    const stream = await createStream(1);
    const call = limitShards(
      engine,
      { writes: undefined, reads: { callsPerSecond: 1000, bytesPerSecond: 100 * MiB } },
      { clock: clock.now },
    );
    for (let i = 0; i < 12; i++) {
      const put = await engine(
        'PutRecord',
        JSON.stringify({
          StreamName: stream,
          PartitionKey: 'k',
          Data: Buffer.alloc(1_000_000, i).toString('base64'),
        }),
      );
      expect(put.status).toBe(200);
    }
    const it = await call(
      'GetShardIterator',
      JSON.stringify({
        StreamName: stream,
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const first = JSON.parse(
      (await call('GetRecords', JSON.stringify({ ShardIterator: JSON.parse(it.body).ShardIterator }))).body,
    );
    expect(first.Records).toHaveLength(10);
    const second = JSON.parse(
      (await call('GetRecords', JSON.stringify({ ShardIterator: first.NextShardIterator }))).body,
    );
    expect(second.Records.map((r: { Data: string }) => Buffer.from(r.Data, 'base64')[0])).toEqual([10, 11]);
  });

  it('GetRecords: the bytes returned are paid after the call (2 MiB/s)', async () => {
    const stream = await createStream(1);
    const call = limitShards(
      engine,
      { writes: undefined, reads: { callsPerSecond: 1000, bytesPerSecond: 1000 } },
      {
        clock: clock.now,
      },
    );
    await engine(
      'PutRecords',
      JSON.stringify({
        StreamName: stream,
        Records: Array.from({ length: 3 }, () => ({ Data: b64('x'.repeat(1000)), PartitionKey: 'k' })),
      }),
    );
    const it = JSON.parse(
      (
        await call(
          'GetShardIterator',
          JSON.stringify({
            StreamName: stream,
            ShardId: 'shardId-000000000000',
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).body,
    ).ShardIterator;
    const first = await call('GetRecords', JSON.stringify({ ShardIterator: it }));
    expect(JSON.parse(first.body).Records).toHaveLength(3);
    // 3000 bytes read with 1000 in the bucket: 2 s of debt.
    const next = JSON.parse(first.body).NextShardIterator;
    clock.advance(1999);
    expect((await call('GetRecords', JSON.stringify({ ShardIterator: next }))).status).toBe(400);
    clock.advance(2);
    expect((await call('GetRecords', JSON.stringify({ ShardIterator: next }))).status).toBe(200);
  });
});
