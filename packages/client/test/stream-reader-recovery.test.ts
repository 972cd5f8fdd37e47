/**
 * readStream under faults and the starts that need the API: outages retried forever while following,
 * expired iterators renewed where the reader was, a sequence number resolved to its shard, the last N
 * records of each shard, batches, and a signal of its own for every request. Fake clock throughout.
 */
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type InputError, isInputError, type ReadFailure, type StreamRecord } from '../src/index.ts';
import { FakeKinesis, type FakeShard } from './fake-kinesis.ts';
import { BASE, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();

const rec = (seq: number, at?: number) => ({
  seq: String(seq),
  key: 'k',
  data: `d${seq}`,
  ...(at ? { at } : {}),
});
const id = (n: number) => `shardId-00000000000${n}`;
const seqs = (records: StreamRecord[]) => records.map((r) => r.sequenceNumber);

function setup(shards: FakeShard[], options: Parameters<typeof makeClient>[0] = {}) {
  const fake = new FakeKinesis('events', shards);
  server.use(...fake.handlers());
  return { fake, ...makeClient(options) };
}

async function collect(iterable: AsyncIterable<StreamRecord>, max = Infinity): Promise<StreamRecord[]> {
  const out: StreamRecord[] = [];
  for await (const record of iterable) {
    out.push(record);
    if (out.length >= max) break;
  }
  return out;
}

/** Waits (real time, a few ms at most) until the fake has seen `n` GetRecords calls. */
async function untilReads(fake: FakeKinesis, n: number): Promise<void> {
  while (fake.recordsCalls < n) await new Promise((resolve) => setTimeout(resolve, 1));
}

afterEach(() => vi.restoreAllMocks());

describe('an expired iterator is renewed at the position the reader had reached', () => {
  it('an idle shard read from latest: AT_TIMESTAMP of when the reader started, so nothing written meanwhile is skipped', async () => {
    const { client, fake, clock } = setup([{ id: id(0), records: [rec(1, Date.UTC(2026, 0, 15, 11))] }]);
    const startedAt = clock.now();
    const reader = client.readStream({ streamName: 'events', from: 'latest', pollIntervalMs: 1000 });
    const iterator = reader[Symbol.asyncIterator]();
    const next = iterator.next();
    await untilReads(fake, 2);
    // Idle for longer than an iterator lives; a record arrives; the next read finds the iterator expired.
    fake.expireNext = 1;
    fake.shard(id(0)).records.push(rec(2, startedAt + 400_000));
    const { value } = await next;
    expect(value?.sequenceNumber).toBe('2');
    const types = fake.iteratorRequests.map((p) => p.get('shard-iterator-type'));
    expect(types).toEqual(['LATEST', 'AT_TIMESTAMP']);
    expect(Number(fake.iteratorRequests[1]!.get('timestamp')) * 1000).toBe(startedAt);
    reader.close();
  });

  it('after records were read: AFTER_SEQUENCE_NUMBER of the last one, whatever the start', async () => {
    const { client, fake } = setup([{ id: id(0), records: [] }]);
    const reader = client.readStream({ streamName: 'events', from: 'latest' });
    const iterator = reader[Symbol.asyncIterator]();
    const first = iterator.next();
    await untilReads(fake, 1);
    fake.shard(id(0)).records.push(rec(5));
    expect((await first).value?.sequenceNumber).toBe('5');
    fake.expireNext = 1;
    const second = iterator.next();
    await untilReads(fake, 3);
    fake.shard(id(0)).records.push(rec(6));
    expect((await second).value?.sequenceNumber).toBe('6');
    expect(fake.calls.filter((c) => c.startsWith('iterator'))).toEqual([
      `iterator ${id(0)} LATEST`,
      `iterator ${id(0)} AFTER_SEQUENCE_NUMBER 5`,
    ]);
    reader.close();
  });
});

describe('outages while following', () => {
  it('retries forever with backoff, reports each failure to onError and the recovery to onRecover', async () => {
    const { client, fake, clock } = setup([{ id: id(0), records: [rec(1), rec(2)] }], { maxRetries: 0 });
    let down = 40;
    // Connection refused, 503 and throttling in turn, 40 times, before the reads work again.
    const failures = [
      () => HttpResponse.error(),
      () => HttpResponse.json({ message: 'Service Unavailable' }, { status: 503 }),
      () => HttpResponse.json(kinesisError('ProvisionedThroughputExceededException'), { status: 400 }),
    ];
    server.use(
      http.get(`${BASE}/streams/events/records`, () => (down > 0 ? failures[down-- % 3]!() : undefined)),
    );
    const errors: [unknown, ReadFailure][] = [];
    const recoveries: { failures: number; downMs: number }[] = [];
    const reader = client.readStream({
      streamName: 'events',
      onError: (error, failure) => errors.push([error, failure]),
      onRecover: (recovery) => recoveries.push(recovery),
    });
    const records = await collect(reader, 2);
    expect(seqs(records)).toEqual(['1', '2']);
    expect(errors).toHaveLength(40);
    expect(errors.map(([, f]) => f.failures)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(errors.every(([, f]) => f.shardId === id(0) && f.retryInMs <= 20_000)).toBe(true);
    expect(new Set(errors.map(([e]) => (e as Error).name))).toEqual(
      new Set(['ConnectionError', 'ServerError', 'ThrottledError']),
    );
    // The waits between attempts are the backoff onError announced.
    const announced = errors.map(([, f]) => f.retryInMs).filter((ms) => ms > 0);
    expect(clock.sleeps.filter((ms) => announced.includes(ms)).length).toBeGreaterThanOrEqual(
      announced.length,
    );
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]!.failures).toBe(40);
    expect(recoveries[0]!.downMs).toBeGreaterThan(0);
    expect(fake.recordsCalls).toBeGreaterThanOrEqual(1);
  });

  it('answers slower than the timeout are failures like any other: retried until one comes in time', async () => {
    const { client } = setup([{ id: id(0), records: [rec(1)] }], { maxRetries: 0, timeout: 20 });
    let slow = 3;
    server.use(
      http.get(`${BASE}/streams/events/records`, async () => {
        if (slow-- <= 0) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return HttpResponse.json({ message: 'too late' }, { status: 500 });
      }),
    );
    const errors: string[] = [];
    const reader = client.readStream({
      streamName: 'events',
      onError: (error) => errors.push((error as Error).name),
    });
    expect(seqs(await collect(reader, 1))).toEqual(['1']);
    expect(errors).toEqual(['TimeoutError', 'TimeoutError', 'TimeoutError']);
  });

  it('an outage while listing the shards at the start is retried too', async () => {
    const { client } = setup([{ id: id(0), records: [rec(1)] }], { maxRetries: 0 });
    let down = 5;
    server.use(
      http.get(`${BASE}/streams/events/shards`, () => (down-- > 0 ? HttpResponse.error() : undefined)),
    );
    const failed: (string | undefined)[] = [];
    const reader = client.readStream({
      streamName: 'events',
      onError: (_, failure) => failed.push(failure.shardId),
    });
    expect(seqs(await collect(reader, 1))).toEqual(['1']);
    expect(failed).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('an error that cannot pass ends a following reader (the stream was deleted)', async () => {
    const { client } = setup([{ id: id(0), records: [] }]);
    server.use(
      http.get(`${BASE}/streams/events/records`, () =>
        HttpResponse.json(kinesisError('ResourceNotFoundException'), { status: 404 }),
      ),
    );
    const onError = vi.fn();
    await expect(collect(client.readStream({ streamName: 'events', onError }))).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(onError).not.toHaveBeenCalled();
  });

  it('without follow, an outage ends the reader after the requests’ own retries', async () => {
    const { client, clock } = setup([{ id: id(0), records: [rec(1)] }], { maxRetries: 2 });
    server.use(http.get(`${BASE}/streams/events/records`, () => HttpResponse.error()));
    const onError = vi.fn();
    await expect(
      collect(client.readStream({ streamName: 'events', follow: false, onError })),
    ).rejects.toMatchObject({ name: 'ConnectionError' });
    expect(onError).not.toHaveBeenCalled();
    expect(clock.sleeps).toHaveLength(2);
  });

  it('a hook that throws ends the iteration with its error', async () => {
    const { client } = setup([{ id: id(0), records: [rec(1)] }], { maxRetries: 0 });
    server.use(http.get(`${BASE}/streams/events/records`, () => HttpResponse.error()));
    const broken = new Error('hook bug');
    await expect(
      collect(
        client.readStream({
          streamName: 'events',
          onError: () => {
            throw broken;
          },
        }),
      ),
    ).rejects.toBe(broken);
  });
});

describe('from a sequence number', () => {
  const twoOpen = () => [
    { id: id(0), records: [rec(1), rec(6), rec(8)] },
    { id: id(1), records: [rec(5), rec(7)] },
  ];

  it('finds the shard that holds it when several may, and reads that shard only', async () => {
    const { client, fake } = setup(twoOpen());
    fake.strictSequenceNumbers = true;
    const reader = client.readStream({ streamName: 'events', follow: false, from: { sequenceNumber: '7' } });
    expect(seqs(await collect(reader))).toEqual(['7']);
    expect(fake.calls.filter((c) => c.startsWith('iterator'))).toEqual([
      `iterator ${id(0)} AT_SEQUENCE_NUMBER 7`,
      `iterator ${id(1)} AT_SEQUENCE_NUMBER 7`,
    ]);
    // The probe's iterator is the one read with; the position names the shard, so a resume asks nothing.
    expect(fake.recordsCalls).toBe(2);
    expect(reader.position().start).toEqual({ sequenceNumber: '7', shardId: id(1) });

    const resumed = setup(twoOpen());
    resumed.fake.strictSequenceNumbers = true;
    const position = { ...reader.position(), shards: {} };
    await collect(resumed.client.readStream({ streamName: 'events', follow: false, from: { position } }));
    expect(resumed.fake.calls.filter((c) => c.startsWith('iterator'))).toEqual([
      `iterator ${id(1)} AT_SEQUENCE_NUMBER 7`,
    ]);
  });

  it('when more than one shard accepts it: an InputError with the candidates, before any record', async () => {
    const { client, fake } = setup(twoOpen());
    const error: InputError = await collect(
      client.readStream({ streamName: 'events', follow: false, from: { sequenceNumber: '6' } }),
    ).then(
      () => expect.fail('resolved'),
      (e: unknown) => e as InputError,
    );
    expect(isInputError(error)).toBe(true);
    expect(error.field).toBe('from.sequenceNumber');
    expect(error.candidates).toEqual([id(0), id(1)]);
    expect(error.message).toMatch(/may belong to any of 2 shards.*Pass shardIds/);
    expect(fake.recordsCalls).toBe(0);
  });

  it('when no shard holds it: an InputError naming the shards tried', async () => {
    const { client, fake } = setup(twoOpen());
    fake.strictSequenceNumbers = true;
    await expect(
      collect(client.readStream({ streamName: 'events', follow: false, from: { sequenceNumber: '9' } })),
    ).rejects.toMatchObject({
      name: 'InputError',
      candidates: [id(0), id(1)],
      message: expect.stringMatching(/is not in any shard of stream events/),
    });
  });

  it("then reads that shard's children after a reshard, and no unrelated shard", async () => {
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1), rec(3)] },
      { id: id(1), records: [rec(2), rec(4)] },
      { id: id(2), parents: [id(0)], records: [rec(10)] },
      { id: id(3), parents: [id(0)], records: [rec(11)] },
    ]);
    fake.strictSequenceNumbers = true;
    const records = await collect(
      client.readStream({ streamName: 'events', follow: false, from: { sequenceNumber: '3' } }),
    );
    expect(seqs(records).sort()).toEqual(['10', '11', '3']);
    expect(records[0]!.sequenceNumber).toBe('3');
    expect(fake.calls.some((c) => c.includes(id(1)) && !/^(describe|list-shards)/.test(c))).toBe(true); // probed
    expect(fake.calls.some((c) => c.startsWith(`records ${id(1)}`))).toBe(false); // never read
  });
});

describe('from the last N records of each shard', () => {
  const T = Date.UTC(2026, 0, 15, 12);
  const minutesAgo = (m: number) => T - m * 60_000;

  it('starts each open shard N records before its tip, skips closed shards, then follows', async () => {
    const { client, fake } = setup([
      { id: id(0), closed: true, records: [rec(1, minutesAgo(900))] },
      {
        id: id(1),
        parents: [id(0)],
        // Spread over hours: the search has to widen its window several times.
        records: [
          rec(10, minutesAgo(600)),
          rec(11, minutesAgo(300)),
          rec(12, minutesAgo(30)),
          rec(13, minutesAgo(2)),
        ],
      },
      { id: id(2), parents: [id(0)], records: [rec(20, minutesAgo(1))] },
    ]);
    const reader = client.readStream({ streamName: 'events', from: { last: 3 } });
    const iterator = reader[Symbol.asyncIterator]();
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await iterator.next()).value!.sequenceNumber);
    expect(got.filter((s) => s.startsWith('1')).sort()).toEqual(['11', '12', '13']);
    expect(got.filter((s) => s.startsWith('2'))).toEqual(['20']);
    expect(fake.calls.some((c) => c.startsWith(`records ${id(0)} `) && c.includes('1'))).toBe(false);
    // Found starts are positions: a resume continues from them, it does not search again.
    expect(reader.position()).toMatchObject({ finished: [id(0)], start: 'trim-horizon' });
    const next = iterator.next();
    fake.shard(id(2)).records.push(rec(21, T));
    expect((await next).value!.sequenceNumber).toBe('21');
    reader.close();
  });

  it('searches back in windows 4 times longer each, each ending where the newer one began', async () => {
    // One record a minute for 40 minutes; the last 30 start after the 31st newest (record 109).
    const records = Array.from({ length: 40 }, (_, i) => rec(100 + i, minutesAgo(40 - i)));
    const { client, fake, clock } = setup([{ id: id(0), records }]);
    const got = await collect(client.readStream({ streamName: 'events', from: { last: 30 }, follow: false }));
    expect(seqs(got)).toEqual(records.slice(10).map((r) => r.seq));
    const iterators = fake.iteratorRequests.map((p) =>
      p.get('shard-iterator-type') === 'AT_TIMESTAMP'
        ? `AT_TIMESTAMP -${(T - Number(p.get('timestamp')) * 1000) / 60_000}m`
        : `${p.get('shard-iterator-type')} ${p.get('starting-sequence-number') ?? ''}`.trim(),
    );
    // The oldest record (where the shard begins), then 1, 4, 16 and 64 minutes back: 1 + 3 + 12 + 24
    // records, more than 30; then the reading proper, after record 109.
    expect(iterators).toEqual([
      'TRIM_HORIZON',
      'AT_TIMESTAMP -1m',
      'AT_TIMESTAMP -4m',
      'AT_TIMESTAMP -16m',
      'AT_TIMESTAMP -64m',
      'AFTER_SEQUENCE_NUMBER 109',
    ]);
    expect(clock.now()).toBeGreaterThan(T);
  });

  it('a shard with fewer records than asked is read from its oldest', async () => {
    const { client, fake } = setup([{ id: id(0), records: [rec(1, minutesAgo(5)), rec(2, minutesAgo(3))] }]);
    const got = await collect(client.readStream({ streamName: 'events', from: { last: 5 }, follow: false }));
    expect(seqs(got)).toEqual(['1', '2']);
    expect(fake.iteratorRequests.at(-1)!.get('shard-iterator-type')).toBe('TRIM_HORIZON');
  });
});

describe('start()', () => {
  it('decides where reading starts before the first record, so position() can be saved first', async () => {
    const T = Date.UTC(2026, 0, 15, 12);
    const { client, fake, clock } = setup([
      { id: id(0), records: [rec(1, T - 3000), rec(2, T - 2000), rec(3, T - 1000)] },
      { id: id(1), closed: true, records: [rec(9, T - 5000)] },
    ]);
    const reader = client.readStream({ streamName: 'events', from: { last: 1 }, follow: false });
    await reader.start();
    expect(fake.recordsCalls).toBeGreaterThan(0); // the search ran
    const before = reader.position();
    expect(before).toEqual({ shards: { [id(0)]: '2' }, finished: [id(1)], start: 'trim-horizon' });
    expect(seqs(await collect(reader))).toEqual(['3']);
    // Started once: iteration did not search again.
    expect(fake.iteratorRequests.filter((p) => p.get('shard-iterator-type') === 'TRIM_HORIZON')).toHaveLength(
      1,
    );

    const latest = setup([{ id: id(0), records: [rec(1)] }]);
    const fromNow = latest.client.readStream({ streamName: 'events', from: 'latest' });
    await fromNow.start();
    expect(fromNow.position()).toEqual({
      shards: {},
      finished: [],
      start: { timestamp: new Date(latest.clock.now()).toISOString() },
    });
    fromNow.close();
    expect(clock.now()).toBeGreaterThanOrEqual(T);
  });
});

describe('batches()', () => {
  it('hands out each read whole, and the position moves past the batch', async () => {
    const { client } = setup([
      { id: id(0), records: [rec(1), rec(2), rec(3)] },
      { id: id(1), records: [rec(4)] },
    ]);
    const reader = client.readStream({ streamName: 'events', follow: false, recordsPerRead: 2 });
    const seen: string[][] = [];
    for await (const batch of reader.batches()) {
      const records = [...batch.records];
      seen.push(seqs(records));
      expect(records.every((r) => r.shardId === batch.shardId)).toBe(true);
      expect(reader.position().shards[batch.shardId]).toBe(records.at(-1)!.sequenceNumber);
      // Part-way: the position after the first record, and before any.
      expect(batch.position(1).shards[batch.shardId]).toBe(records[0]!.sequenceNumber);
      expect(batch.position(0).shards[batch.shardId]).toBe(
        seen.length > 1 && batch.shardId === 'shardId-000000000000' && records[0]!.sequenceNumber === '3'
          ? '2'
          : undefined,
      );
      expect(batch.position()).toEqual(reader.position());
    }
    expect(seen.flat().sort()).toEqual(['1', '2', '3', '4']);
    expect(seen).toContainEqual(['1', '2']);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('cuts the last batch at the limit', async () => {
    const { client } = setup([{ id: id(0), records: [rec(1), rec(2), rec(3)] }]);
    const reader = client.readStream({ streamName: 'events', follow: false, limit: 2, recordsPerRead: 3 });
    const batches: string[][] = [];
    for await (const batch of reader.batches()) batches.push(seqs([...batch.records]));
    expect(batches).toEqual([['1', '2']]);
    expect(reader.position().shards).toEqual({ [id(0)]: '2' });
  });
});

describe('requests and the long-lived signals', () => {
  it('every request gets a signal of its own: neither the caller’s nor the reader’s is handed on', async () => {
    const combined: AbortSignal[] = [];
    const any = AbortSignal.any.bind(AbortSignal);
    vi.spyOn(AbortSignal, 'any').mockImplementation((signals) => {
      combined.push(...signals);
      return any(signals);
    });
    const { client, fake } = setup([{ id: id(0), records: [rec(1), rec(2), rec(3), rec(4)] }]);
    const caller = new AbortController();
    const reader = client.readStream({
      streamName: 'events',
      recordsPerRead: 1,
      signal: caller.signal,
    });
    expect(seqs(await collect(reader, 4))).toEqual(['1', '2', '3', '4']);
    const requests = fake.calls.length;
    expect(requests).toBeGreaterThanOrEqual(6);
    expect(combined).not.toContain(caller.signal);
    // One signal per request: none is shared between two requests.
    expect(new Set(combined).size).toBe(combined.length);
  });
});

describe('withRetries, as the reader uses it', () => {
  it('maxRetries: Infinity retries until success; onRetry hears each retry and its wait', async () => {
    const { withRetries } = await import('../src/core/retry.ts');
    const { ConnectionError } = await import('../src/index.ts');
    const { clock } = makeClient();
    const heard: { retry: number; delayMs: number }[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        if (++calls <= 100) throw new ConnectionError('refused', { method: 'GET', url: 'u' });
        return 'ok';
      },
      {
        maxRetries: Number.POSITIVE_INFINITY,
        clock,
        onRetry: ({ retry, delayMs }) => heard.push({ retry, delayMs }),
      },
    );
    expect(result).toBe('ok');
    expect(heard.map((h) => h.retry)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(clock.sleeps).toEqual(heard.map((h) => h.delayMs));
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(20_000);
  });
});
