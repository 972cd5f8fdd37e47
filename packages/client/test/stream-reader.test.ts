/** readStream: all shards in one iterator, reshards parents first, expired iterators, positions. */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ReadPosition, StreamRecord } from '../src/index.ts';
import { FakeKinesis, type FakeShard } from './fake-kinesis.ts';
import { makeClient, useServer } from './helpers.ts';

const server = useServer();

const rec = (seq: number, key = 'k') => ({ seq: String(seq), key, data: `d${seq}` });
const id = (n: number) => `shardId-00000000000${n}`;

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

const seqs = (records: StreamRecord[]) => records.map((r) => r.sequenceNumber);

describe('readStream', () => {
  it('reads every shard from the trim horizon and stops at the end without follow', async () => {
    const { client } = setup([
      { id: id(0), records: [rec(1), rec(3), rec(5)] },
      { id: id(1), records: [rec(2), rec(4)] },
    ]);
    const records = await collect(client.readStream({ streamName: 'events', follow: false }));
    expect(records).toHaveLength(5);
    expect(seqs(records.filter((r) => r.shardId === id(0)))).toEqual(['1', '3', '5']);
    expect(seqs(records.filter((r) => r.shardId === id(1)))).toEqual(['2', '4']);
    expect(records[0]!.text()).toMatch(/^d\d$/);
  });

  it('without follow, reads past a full read that reports MillisBehindLatest 0 (kinesalite)', async () => {
    const { client, fake, clock } = setup([
      { id: id(0), records: Array.from({ length: 25 }, (_, i) => rec(i + 1)) },
      { id: id(1), records: [rec(100)] },
    ]);
    fake.alwaysZeroBehind = true;
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, recordsPerRead: 10 }),
    );
    expect(seqs(records.filter((r) => r.shardId === id(0)))).toEqual(
      Array.from({ length: 25 }, (_, i) => String(i + 1)),
    );
    expect(seqs(records.filter((r) => r.shardId === id(1)))).toEqual(['100']);
    // Shard 0: 10 + 10 + 5 records, then the empty read at the tip that ends it; shard 1: 1, then empty.
    expect(fake.calls.filter((c) => c.startsWith(`records ${id(0)}`))).toHaveLength(4);
    expect(fake.calls.filter((c) => c.startsWith(`records ${id(1)}`))).toHaveLength(2);
    // Paced: never two reads of a shard without a wait of at least 200 ms between them.
    expect(clock.sleeps.every((ms) => ms >= 200)).toBe(true);
  });

  it('without follow, an empty read behind the tip is not the end (a gap in the shard)', async () => {
    const { client, fake } = setup([{ id: id(0), emptyReads: 2, records: [rec(1), rec(2)] }]);
    const records = await collect(client.readStream({ streamName: 'events', follow: false }));
    expect(seqs(records)).toEqual(['1', '2']);
    expect(fake.calls.filter((c) => c.startsWith('records'))).toEqual([
      `records ${id(0)} `,
      `records ${id(0)} `,
      `records ${id(0)} 1,2`,
      `records ${id(0)} `,
    ]);
  });

  it('reads a closed parent to its end before its children (reshard)', async () => {
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1), rec(2), rec(3)] },
      { id: id(1), parents: [id(0)], records: [rec(10), rec(11)] },
      { id: id(2), parents: [id(0)], records: [rec(20)] },
    ]);
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, recordsPerRead: 2 }),
    );
    expect(seqs(records).slice(0, 3)).toEqual(['1', '2', '3']);
    expect(seqs(records).slice(3).sort()).toEqual(['10', '11', '20']);
    // No child iterator was asked for before the parent's last read.
    const parentEnd = fake.calls.indexOf(`records ${id(0)} 3`);
    const firstChild = fake.calls.findIndex(
      (c) => c.startsWith(`iterator ${id(1)}`) || c.startsWith(`iterator ${id(2)}`),
    );
    expect(parentEnd).toBeGreaterThan(-1);
    expect(firstChild).toBeGreaterThan(parentEnd);
  });

  it('waits for both parents of a merged shard, and finds children named only by ChildShards', async () => {
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1), rec(2)] },
      { id: id(1), closed: true, records: [rec(3)] },
      { id: id(2), parents: [id(0), id(1)], hidden: true, records: [rec(9)] },
    ]);
    const reader = client.readStream({ streamName: 'events', follow: false, recordsPerRead: 1 });
    const records = await collect(reader);
    expect(seqs(records).at(-1)).toBe('9');
    expect(seqs(records).slice(0, 3).sort()).toEqual(['1', '2', '3']);
    expect(fake.calls.filter((c) => c.startsWith(`iterator ${id(2)}`))).toEqual([
      `iterator ${id(2)} TRIM_HORIZON`,
    ]);
    expect(reader.position()).toMatchObject({
      finished: expect.arrayContaining([id(0), id(1)]),
      shards: { [id(2)]: '9' },
    });
  });

  it('a child named by ChildShards waits for a parent the reader has not listed yet (a later split)', async () => {
    // A and B at the start; then B split into B1 and B2, and A merged with B1 into C. A's last read names
    // C with parents A and B1: B1 must be found (and read after B) before C starts.
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1, 'a'), rec(2, 'a')] },
      { id: id(1), closed: true, records: [rec(3, 'b'), rec(4, 'b'), rec(5, 'b'), rec(6, 'b')] },
      { id: id(2), parents: [id(1)], closed: true, hidden: true, records: [rec(7, 'b')] },
      { id: id(3), parents: [id(1)], hidden: true, records: [rec(8, 'c')] },
      { id: id(4), parents: [id(0), id(2)], hidden: true, records: [rec(9, 'b')] },
    ]);
    const seen: string[] = [];
    const reader = client.readStream({ streamName: 'events', follow: false, recordsPerRead: 1 });
    let revealed = false;
    for await (const record of reader) {
      seen.push(record.sequenceNumber);
      if (!revealed) {
        // The reshards happen after the reader's first listing.
        revealed = true;
        for (const n of [2, 3, 4]) fake.shard(id(n)).hidden = false;
      }
    }
    // Key b: 3, 4, 5, 6 (B), then 7 (B1), then 9 (C).
    expect(seen.filter((seq) => ['3', '4', '5', '6', '7', '9'].includes(seq))).toEqual([
      '3',
      '4',
      '5',
      '6',
      '7',
      '9',
    ]);
    expect(seen.sort()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('a new child listed before its new parent still waits for it', async () => {
    // Some engines list shards in another order than their ids; both appear while following.
    const { client, fake } = setup([
      { id: id(0), records: [rec(1)] },
      { id: id(2), parents: [id(3)], hidden: true, records: [rec(8)] },
      { id: id(3), closed: true, hidden: true, records: [rec(5), rec(6), rec(7)] },
    ]);
    const reader = client.readStream({ streamName: 'events', discoveryIntervalMs: 1000, recordsPerRead: 1 });
    const seen: string[] = [];
    for await (const record of reader) {
      seen.push(record.sequenceNumber);
      if (seen.length === 1) {
        fake.shard(id(2)).hidden = false;
        fake.shard(id(3)).hidden = false;
      }
      if (seen.length === 5) reader.close();
    }
    expect(seen).toEqual(['1', '5', '6', '7', '8']);
  });

  it('finds the children of a closed shard by listing the shards when ChildShards is missing', async () => {
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1)] },
      { id: id(1), parents: [id(0)], hidden: true, records: [rec(2)] },
    ]);
    fake.omitChildShards = true;
    const seen: string[] = [];
    for await (const record of client.readStream({ streamName: 'events', follow: false })) {
      seen.push(record.sequenceNumber);
      // The child appears after the reader started; only a new listing can find it.
      fake.shard(id(1)).hidden = false;
    }
    expect(seen).toEqual(['1', '2']);
  });

  it("starts a shard found after the start at the reader's start time, not at its oldest record", async () => {
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1)] },
      { id: id(1), parents: [id(0)], hidden: true, records: [rec(2)] },
    ]);
    const from = { timestamp: new Date(1_700_000_000_000) };
    await collect(client.readStream({ streamName: 'events', follow: false, from }));
    expect(fake.iteratorRequests.map((p) => [p.get('shard-id'), p.get('shard-iterator-type')])).toEqual([
      [id(0), 'AT_TIMESTAMP'],
      [id(1), 'AT_TIMESTAMP'],
    ]);
    expect(fake.iteratorRequests[1]!.get('timestamp')).toBe('1700000000');
  });

  it('an empty stream without follow ends after one read per shard, without waiting', async () => {
    const { client, fake, clock } = setup([
      { id: id(0), records: [] },
      { id: id(1), records: [] },
    ]);
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, pollIntervalMs: 60_000 }),
    );
    expect(records).toEqual([]);
    expect(fake.recordsCalls).toBe(2);
    expect(clock.sleeps).toEqual([]);
  });

  it('discovers shards created while following', async () => {
    const { client, fake } = setup([
      { id: id(0), records: [rec(1)] },
      { id: id(1), hidden: true, records: [rec(7)] },
    ]);
    const reader = client.readStream({ streamName: 'events', discoveryIntervalMs: 5000 });
    const seen: string[] = [];
    for await (const record of reader) {
      seen.push(`${record.shardId}:${record.sequenceNumber}`);
      if (seen.length === 1) fake.shard(id(1)).hidden = false;
      if (seen.length === 2) reader.close();
    }
    expect(seen).toEqual([`${id(0)}:1`, `${id(1)}:7`]);
    expect(fake.calls.filter((c) => c.startsWith('list-shards')).length).toBeGreaterThan(1);
  });

  it('replaces an expired iterator with one after the last record read', async () => {
    const { client, fake, clock } = setup([{ id: id(0), records: [rec(1), rec(2), rec(3), rec(4), rec(5)] }]);
    fake.expireAtCall.add(2);
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, recordsPerRead: 2 }),
    );
    expect(seqs(records)).toEqual(['1', '2', '3', '4', '5']);
    expect(fake.calls).toContain(`records ${id(0)} expired`);
    expect(fake.calls).toContain(`iterator ${id(0)} AFTER_SEQUENCE_NUMBER 2`);
    // The failed read counts against the shard's 5 reads a second: the retry waits its turn too.
    expect(clock.sleeps).toHaveLength(fake.recordsCalls - 1);
    expect(clock.sleeps.every((ms) => ms >= 200)).toBe(true);
  });

  it('resumes exactly after the last record yielded, from a JSON round-tripped position', async () => {
    const shards = [
      { id: id(0), closed: true, records: [rec(1)] },
      { id: id(1), parents: [id(0)], records: [rec(2), rec(3), rec(4), rec(5)] },
    ];
    const first = setup(shards);
    const reader = first.client.readStream({ streamName: 'events', follow: false, recordsPerRead: 10 });
    const got = await collect(reader, 3);
    expect(seqs(got)).toEqual(['1', '2', '3']);
    const saved: ReadPosition = JSON.parse(JSON.stringify(reader.position()));
    expect(saved).toEqual({ shards: { [id(1)]: '3' }, finished: [id(0)], start: 'trim-horizon' });

    const second = setup(shards);
    const rest = await collect(
      second.client.readStream({ streamName: 'events', follow: false, from: { position: saved } }),
    );
    expect(seqs(rest)).toEqual(['4', '5']);
    expect(second.fake.calls.filter((c) => c.startsWith('iterator'))).toEqual([
      `iterator ${id(1)} AFTER_SEQUENCE_NUMBER 3`,
    ]);
  });

  it('rejects a malformed position before reading', () => {
    const { client } = setup([]);
    expect(() =>
      client.readStream({
        streamName: 'events',
        from: { position: { shards: { [id(0)]: 12 }, finished: [] } as never },
      }),
    ).toThrow(/from\.position\.shards\["shardId-000000000000"\] is not a valid sequence number/);
  });

  it('starts from latest, a timestamp or a sequence number', async () => {
    const shards = [
      { id: id(0), closed: true, records: [rec(1), rec(2)] },
      { id: id(1), records: [rec(5), rec(6), rec(7)] },
    ];
    const latest = setup(shards);
    expect(
      await collect(latest.client.readStream({ streamName: 'events', follow: false, from: 'latest' })),
    ).toEqual([]);
    expect(latest.fake.calls.filter((c) => c.startsWith('iterator'))).toEqual([
      `iterator ${id(0)} LATEST`,
      `iterator ${id(1)} LATEST`,
    ]);

    const at = setup(shards);
    await collect(
      at.client.readStream({
        streamName: 'events',
        follow: false,
        from: { timestamp: new Date(1_700_000_000_000) },
      }),
    );
    expect(at.fake.iteratorRequests.map((p) => [p.get('shard-iterator-type'), p.get('timestamp')])).toEqual([
      ['AT_TIMESTAMP', '1700000000'],
      ['AT_TIMESTAMP', '1700000000'],
    ]);

    // Sequence number 6 is in shard 1; shard 0 closed before it and is skipped.
    const bySeq = setup(shards);
    const records = await collect(
      bySeq.client.readStream({ streamName: 'events', follow: false, from: { sequenceNumber: '6' } }),
    );
    expect(seqs(records)).toEqual(['6', '7']);
    expect(bySeq.fake.calls.filter((c) => c.startsWith('iterator'))).toEqual([
      `iterator ${id(1)} AT_SEQUENCE_NUMBER 6`,
    ]);

    // With two shards open at that point the shard must be named.
    const two = setup([
      { id: id(0), records: [rec(1), rec(6)] },
      { id: id(1), records: [rec(5), rec(7)] },
    ]);
    await expect(
      collect(two.client.readStream({ streamName: 'events', follow: false, from: { sequenceNumber: '6' } })),
    ).rejects.toThrow(/from\.sequenceNumber may belong to any of 2 shards.*Pass shardIds/);
    const named = await collect(
      two.client.readStream({
        streamName: 'events',
        follow: false,
        from: { sequenceNumber: '6' },
        shardIds: [id(0)],
      }),
    );
    expect(seqs(named)).toEqual(['6']);
  });

  it('reads each shard at most 5 times a second and pauses after an empty read', async () => {
    const { client, clock } = setup([{ id: id(0), records: [rec(1), rec(2), rec(3)] }]);
    const reader = client.readStream({ streamName: 'events', recordsPerRead: 1, pollIntervalMs: 1500 });
    const records = await collect(reader, 3);
    expect(seqs(records)).toEqual(['1', '2', '3']);
    // Between reads of the shard: 200 ms (5/s). No read was made without waiting its turn.
    expect(clock.sleeps).toEqual([200, 200]);
    reader.close();

    const idle = setup([{ id: id(0), records: [] }]);
    const follower = idle.client.readStream({ streamName: 'events', pollIntervalMs: 1500 });
    const iterator = follower[Symbol.asyncIterator]();
    const next = iterator.next();
    // After the first (empty) read the shard waits pollIntervalMs; append a record to end the wait.
    while (idle.fake.recordsCalls < 2) await new Promise((r) => setTimeout(r, 1));
    idle.fake.shard(id(0)).records.push(rec(8));
    const { value } = await next;
    expect(value!.sequenceNumber).toBe('8');
    expect(idle.clock.sleeps[0]).toBe(1500);
    follower.close();
    expect((await iterator.next()).done).toBe(true);
  });

  it('after a large read waits as long as the shard needs to serve it at 2 MB/s', async () => {
    const big = (seq: number) => ({ seq: String(seq), key: 'k', data: 'x'.repeat(1_000_000) });
    const { client, clock } = setup([{ id: id(0), records: [big(1), big(2), big(3), rec(4)] }]);
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, recordsPerRead: 3 }),
    );
    expect(seqs(records)).toEqual(['1', '2', '3', '4']);
    // 3 MB read: 1.5 s before the next read (not the 200 ms of a small read, nor a fixed 1 s).
    expect(clock.sleeps[0]).toBe(1500);
    expect(clock.sleeps[1]).toBe(200);
  });

  it('asks for 5 records at first (records may be 1 MiB: 5 fit one API Gateway response), then by size', async () => {
    const { client, fake } = setup([{ id: id(0), records: Array.from({ length: 8 }, (_, i) => rec(i + 1)) }]);
    await collect(client.readStream({ streamName: 'events', follow: false }));
    expect(fake.calls.filter((c) => c.startsWith('records'))).toEqual([
      `records ${id(0)} 1,2,3,4,5`,
      `records ${id(0)} 6,7,8`,
      `records ${id(0)} `,
    ]);
  });

  it('after a read of large records, asks for about 2 MB per read (under API Gateway response limit)', async () => {
    const big = (seq: number) => ({ seq: String(seq), key: 'k', data: 'x'.repeat(500_000) });
    const { client, fake } = setup([{ id: id(0), records: [big(1), big(2)] }]);
    const reader = client.readStream({ streamName: 'events' });
    const iterator = reader[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    fake.shard(id(0)).records.push(...Array.from({ length: 30 }, (_, i) => big(10 + i)));
    await iterator.next();
    reader.close();
    // 2 records of 500 KB read: the next read asks for 4 (2 MB), though 30 are there.
    expect(fake.calls.filter((c) => c.startsWith('records')).at(-1)).toBe(`records ${id(0)} 10,11,12,13`);
  });

  it('follows new records until closed, and honours limit and shardIds', async () => {
    const { client, fake } = setup([
      { id: id(0), records: [rec(1)] },
      { id: id(1), records: [rec(2), rec(3)] },
    ]);
    const limited = await collect(
      client.readStream({ streamName: 'events', follow: false, shardIds: [id(1)], limit: 1 }),
    );
    expect(seqs(limited)).toEqual(['2']);
    expect(fake.calls.some((c) => c.includes(id(0)))).toBe(false);

    const reader = client.readStream({ streamName: 'events', shardIds: [id(0)] });
    const seen: string[] = [];
    for await (const record of reader) {
      seen.push(record.sequenceNumber);
      if (seen.length === 1) fake.shard(id(0)).records.push(rec(4));
      if (seen.length === 2) reader.close();
    }
    expect(seen).toEqual(['1', '4']);
    expect(reader.position().shards).toEqual({ [id(0)]: '4' });
  });

  it('rejects an unknown shard id and a second iteration', async () => {
    const { client } = setup([{ id: id(0), records: [] }]);
    await expect(collect(client.readStream({ streamName: 'events', shardIds: [id(7)] }))).rejects.toThrow(
      /shardIds\[0\] is not a shard of stream events/,
    );
    const reader = client.readStream({ streamName: 'events', follow: false });
    await collect(reader);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it("the caller's signal stops a following reader with its reason; a reader leaves no listener on it", async () => {
    const { client } = setup([{ id: id(0), records: [rec(1), rec(2)] }]);
    const controller = new AbortController();
    const reader = client.readStream({ streamName: 'events', signal: controller.signal });
    const seen: string[] = [];
    const reason = new Error('stop now');
    await expect(
      (async () => {
        for await (const record of reader) {
          seen.push(record.sequenceNumber);
          if (seen.length === 2) controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual(['1', '2']);

    const shared = new AbortController();
    for (let i = 0; i < 3; i++) {
      await collect(client.readStream({ streamName: 'events', follow: false, signal: shared.signal }));
    }
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });
});
