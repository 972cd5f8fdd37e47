/**
 * bulkPut({ aggregate: true }): records packed into KPL aggregated records per destination shard, read
 * back with aws-kinesis-agg (AWS Labs' implementation, which we did not write); an aggregated record's
 * fate is its records' fate; the shard map is listed again after a reshard; and every record read is
 * acknowledged or reported failed, also when the run stops with records waiting in aggregates.
 */
import { createRequire } from 'node:module';
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  type BulkPutFailureReason,
  type BulkPutResult,
  decodeAggregatedRecord,
  hasKplMagic,
  isBulkPutError,
  partitionKeyHash,
} from '../src/index.ts';
import { BASE, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();
const MAX = 2n ** 128n - 1n;
const HALF = 2n ** 127n;

interface Range {
  id: string;
  start: bigint;
  end: bigint;
}
const whole: Range[] = [{ id: 'shardId-000000000000', start: 0n, end: MAX }];
const halves: Range[] = [
  { id: 'shardId-000000000001', start: 0n, end: HALF - 1n },
  { id: 'shardId-000000000002', start: HALF, end: MAX },
];

interface WireEntry {
  data: string;
  'partition-key': string;
  'explicit-hash-key'?: string;
  encoding?: string;
}

/** An entry as Kinesis stored it, with the shard its hash key routed it to. */
interface Stored {
  shardId: string;
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Uint8Array;
  /** The request it came in (1-based). */
  request: number;
}

type Decide = (entry: WireEntry, request: number) => { ErrorCode: string; ErrorMessage: string } | undefined;

/**
 * DescribeStream and PutRecords of one stream `s`: shards by hash-key range (`shards()` may change
 * between calls: a reshard), each entry routed as Kinesis routes it and stored, unless `decide` fails it.
 */
function fakeStream(shards: () => Range[], decide: Decide = () => undefined) {
  const stored: Stored[] = [];
  const calls = { list: 0, put: 0 };
  server.use(
    http.get(`${BASE}/streams/s/shards`, () => {
      calls.list++;
      return HttpResponse.json({
        Shards: shards().map((r) => ({
          ShardId: r.id,
          HashKeyRange: { StartingHashKey: String(r.start), EndingHashKey: String(r.end) },
          SequenceNumberRange: { StartingSequenceNumber: '1' },
        })),
      });
    }),
    http.put(`${BASE}/streams/s/records`, async ({ request }) => {
      const n = ++calls.put;
      const { records } = (await request.json()) as { records: WireEntry[] };
      const results = records.map((entry) => {
        const failure = decide(entry, n);
        if (failure) return failure;
        const ehk = entry['explicit-hash-key'];
        const hash = ehk !== undefined ? BigInt(ehk) : partitionKeyHash(entry['partition-key']);
        const shard = shards().find((r) => r.start <= hash && hash <= r.end)!;
        stored.push({
          shardId: shard.id,
          partitionKey: entry['partition-key'],
          explicitHashKey: ehk,
          data:
            entry.encoding === 'base64'
              ? new Uint8Array(Buffer.from(entry.data, 'base64'))
              : new TextEncoder().encode(entry.data),
          request: n,
        });
        return { SequenceNumber: String(stored.length), ShardId: shard.id };
      });
      return HttpResponse.json({
        FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
        Records: results,
      });
    }),
  );
  return { stored, calls };
}

// aws-kinesis-agg is CommonJS: typed by what the test uses.
const agg = createRequire(import.meta.url)('aws-kinesis-agg') as {
  deaggregateSync(
    record: { data: string; partitionKey: string; sequenceNumber: string },
    computeChecksums: boolean,
    done: (error: Error | null, records?: Array<{ partitionKey: string; data: string }>) => void,
  ): void;
};

/** The records a reader gets from what was stored, de-aggregated by aws-kinesis-agg. */
function readBack(stored: readonly Stored[]): Array<{ partitionKey: string; data: string; shardId: string }> {
  return stored.flatMap((s) => {
    if (!hasKplMagic(s.data)) {
      return [{ partitionKey: s.partitionKey, data: new TextDecoder().decode(s.data), shardId: s.shardId }];
    }
    let users: Array<{ partitionKey: string; data: string }> = [];
    agg.deaggregateSync(
      { data: Buffer.from(s.data).toString('base64'), partitionKey: s.partitionKey, sequenceNumber: '1' },
      true,
      (error, records) => {
        if (error) throw error;
        users = records!;
      },
    );
    return users.map((u) => ({
      partitionKey: u.partitionKey,
      data: Buffer.from(u.data, 'base64').toString(),
      shardId: s.shardId,
    }));
  });
}

const shardOf = (partitionKey: string, ranges: Range[]) => {
  const hash = partitionKeyHash(partitionKey);
  return ranges.find((r) => r.start <= hash && hash <= r.end)!.id;
};

const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ data: `d${i}`, partitionKey: `k${i}`, i }));

function expectAccounted(result: BulkPutResult<unknown>) {
  expect(result.read).toBe(result.succeeded + result.failed);
}

describe('bulkPut({ aggregate: true })', () => {
  it('packs records per shard into aggregated records of at most 25,000 bytes; read back, every record once, on its own shard', async () => {
    const { stored, calls } = fakeStream(() => halves);
    const { client } = makeClient();
    const input = records(5_000);
    const result = await client.bulkPut({ streamName: 's', records: input, aggregate: true });
    expect(result).toMatchObject({ read: 5_000, succeeded: 5_000, failed: 0 });
    expect(result.kinesisRecords).toBe(stored.length);
    expect(stored.length).toBeLessThan(50);
    expect(calls.list).toBe(1);
    for (const s of stored) {
      expect(hasKplMagic(s.data)).toBe(true);
      expect(s.data.length + Buffer.byteLength(s.partitionKey)).toBeLessThanOrEqual(25_000);
    }
    const read = readBack(stored);
    expect(read.map((r) => `${r.partitionKey}=${r.data}`).sort()).toEqual(
      input.map((r) => `${r.partitionKey}=${r.data}`).sort(),
    );
    // Each user record is on the shard its own key routes to: a reader of a shard misses none.
    for (const r of read) expect(r.shardId).toBe(shardOf(r.partitionKey, halves));
  });

  it("keeps a record's explicit hash key, and routes by it", async () => {
    const { stored } = fakeStream(() => halves);
    const { client } = makeClient();
    const input = [
      { data: 'low', partitionKey: 'a', explicitHashKey: '5' },
      { data: 'high', partitionKey: 'b', explicitHashKey: String(MAX) },
      { data: 'low2', partitionKey: 'c', explicitHashKey: '7' },
    ];
    await client.bulkPut({ streamName: 's', records: input, aggregate: true });
    const low = stored.find((s) => s.shardId === halves[0]!.id)!;
    expect(decodeAggregatedRecord(low.data)!.map((u) => [u.partitionKey, u.explicitHashKey])).toEqual([
      ['a', '5'],
      ['c', '7'],
    ]);
    // Alone on its shard: sent as the record itself, not as an aggregate of one.
    const high = stored.find((s) => s.shardId === halves[1]!.id)!;
    expect(hasKplMagic(high.data)).toBe(false);
    expect(high.explicitHashKey).toBe(String(MAX));
  });

  it('an aggregated record that fails fails every record in it, each reported with its own object; a refused one is sent again whole', async () => {
    const holds = (entry: WireEntry, key: string) =>
      entry.encoding === 'base64' &&
      decodeAggregatedRecord(Buffer.from(entry.data, 'base64'))!.some((u) => u.partitionKey === key);
    const { stored } = fakeStream(
      () => whole,
      (entry, n) => {
        if (n === 1 && holds(entry, 'k0'))
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' };
        if (holds(entry, 'k300')) return { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'refused' };
        return undefined;
      },
    );
    const { client } = makeClient();
    const input = records(600);
    const failed: Array<[(typeof input)[number], BulkPutFailureReason]> = [];
    const result = await client.bulkPut({
      streamName: 's',
      records: input,
      aggregate: { maxBytes: 2_000 },
      onFailure: (record, reason) => failed.push([record, reason]),
    });
    // The aggregate holding k300 was refused: all its records failed, none stored.
    const refusedIds = failed.map(([r]) => r.i);
    expect(refusedIds).toContain(300);
    expect(refusedIds.length).toBeGreaterThan(10);
    expect(refusedIds).toEqual(Array.from({ length: refusedIds.length }, (_, k) => refusedIds[0]! + k));
    expect(failed.every(([, reason]) => reason.errorCode === 'InvalidArgumentException')).toBe(true);
    const read = readBack(stored);
    expect(read.some((r) => refusedIds.includes(Number(r.data.slice(1))))).toBe(false);
    // Everything else stored exactly once, the throttled aggregate (k0…) included, after a retry.
    expect(read.map((r) => Number(r.data.slice(1))).sort((a, b) => a - b)).toEqual(
      input.map((r) => r.i).filter((i) => !refusedIds.includes(i)),
    );
    expect(stored.filter((s) => s.partitionKey === 'k0')).toHaveLength(1);
    expect(result.succeeded).toBe(600 - refusedIds.length);
    expect(result.failed).toBe(refusedIds.length);
    expect(result.retries).toBeGreaterThan(10); // the throttled aggregate's records were re-sent
    expectAccounted(result);
  });

  it('lists the shards again when Kinesis puts an aggregate on another shard (a reshard), and packs for the new map', async () => {
    const { client, clock } = makeClient();
    let resharded = false;
    const { stored, calls } = fakeStream(
      () => (resharded ? halves : whole),
      (_, n) => {
        // After the first request the stream is split in two; time passes.
        if (n === 2 && !resharded) {
          resharded = true;
          clock.time += 5_000;
        }
        return undefined;
      },
    );
    const input = records(3_000);
    const result = await client.bulkPut({
      streamName: 's',
      records: input,
      aggregate: { maxBytes: 1_000 },
      maxBatchRecords: 5,
      concurrency: 1,
    });
    expect(result.succeeded).toBe(3_000);
    expect(calls.list).toBe(2);
    // Once the new map is known, no aggregate mixes the two halves.
    const read = readBack(stored.filter((s) => s.request > 3));
    expect(read.length).toBeGreaterThan(1_000);
    for (const r of read) expect(r.shardId).toBe(shardOf(r.partitionKey, halves));
    expect(
      readBack(stored)
        .map((r) => r.data)
        .sort(),
    ).toEqual(input.map((r) => r.data).sort());
  });

  it('a record whose hash key no listed shard covers is sent alone, and the shards are listed again', async () => {
    const { client, clock } = makeClient();
    // The first listing misses the upper half.
    let listed = 0;
    const { stored, calls } = fakeStream(
      () => (listed++ === 0 ? [halves[0]!] : halves),
      () => {
        clock.time += 2_000; // time passes between requests
        return undefined;
      },
    );
    const input = [
      { data: 'in', partitionKey: 'x', explicitHashKey: '1' },
      { data: 'gap', partitionKey: 'y', explicitHashKey: String(MAX) },
      ...Array.from({ length: 20 }, (_, i) => ({
        data: `more${i}`,
        partitionKey: `m${i}`,
        explicitHashKey: String(MAX - BigInt(i)),
      })),
    ];
    const result = await client.bulkPut({
      streamName: 's',
      records: input,
      aggregate: true,
      maxBatchRecords: 1,
      concurrency: 1,
    });
    expect(result.succeeded).toBe(22);
    const gap = stored.find((s) => s.partitionKey === 'y')!;
    expect(hasKplMagic(gap.data)).toBe(false);
    expect(new TextDecoder().decode(gap.data)).toBe('gap');
    expect(calls.list).toBe(2);
    // Listed again: the upper half's records are aggregated again.
    expect(stored.some((s) => s.shardId === halves[1]!.id && hasKplMagic(s.data))).toBe(true);
  });

  it('refuses bad records as it would unaggregated, and sends a record too large to share alone', async () => {
    const { stored } = fakeStream(() => whole);
    const { client } = makeClient();
    const failed: string[] = [];
    const big = 'B'.repeat(30_000);
    const result = await client.bulkPut({
      streamName: 's',
      records: [
        { data: 'a', partitionKey: 'k1' },
        { data: 'x', partitionKey: '' },
        { data: big, partitionKey: 'k2' },
        { data: 'b', partitionKey: 'k3' },
        { data: 'c'.repeat(2 * 1024 * 1024), partitionKey: 'k4' },
      ],
      aggregate: true,
      onFailure: (record, reason) => failed.push(`${record.partitionKey}: ${reason.errorCode}`),
    });
    expect(failed).toEqual([': InputError', 'k4: InputError']);
    expect(result).toMatchObject({ read: 5, succeeded: 3, failed: 2 });
    const alone = stored.find((s) => s.partitionKey === 'k2')!;
    expect(hasKplMagic(alone.data)).toBe(false);
    expect(alone.data.length).toBe(30_000);
    expect(
      readBack(stored)
        .map((r) => r.data.slice(0, 3))
        .sort(),
    ).toEqual(['BBB', 'a', 'b']);
  });

  it('stops when the shards cannot be listed (an unknown stream), reporting every record read', async () => {
    server.use(
      http.get(`${BASE}/streams/s/shards`, () =>
        HttpResponse.json(kinesisError('ResourceNotFoundException', 'Stream s not found.'), { status: 404 }),
      ),
    );
    const { client } = makeClient();
    const failed: string[] = [];
    const error = await client
      .bulkPut({
        streamName: 's',
        records: records(10),
        aggregate: true,
        onFailure: (r) => failed.push(r.data),
      })
      .catch((e: unknown) => e);
    expect(isBulkPutError(error)).toBe(true);
    if (!isBulkPutError(error)) return;
    expect(error.stoppedBy).toBe('fatal');
    expect(error.reason.errorCode).toBe('ResourceNotFoundException');
    expect(error.result.succeeded).toBe(0);
    expect(error.result.read).toBe(failed.length);
    expectAccounted(error.result);
  });

  it('on abort, the records waiting in aggregates are reported NotSent, those in flight Aborted: each once', async () => {
    let puts = 0;
    server.use(
      http.get(`${BASE}/streams/s/shards`, () =>
        HttpResponse.json({
          Shards: halves.map((r) => ({
            ShardId: r.id,
            HashKeyRange: { StartingHashKey: String(r.start), EndingHashKey: String(r.end) },
            SequenceNumberRange: { StartingSequenceNumber: '1' },
          })),
        }),
      ),
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        const { records: entries } = (await request.json()) as { records: unknown[] };
        if (++puts === 1)
          return HttpResponse.json({ Records: entries.map(() => ({ SequenceNumber: '1', ShardId: 'x' })) });
        await new Promise(() => undefined); // in flight forever
        return HttpResponse.json({});
      }),
    );
    let pulled = 0;
    function* source() {
      for (let i = 0; ; i++) {
        pulled++;
        yield { data: `r${i}`, partitionKey: `k${i}`, i };
      }
    }
    const controller = new AbortController();
    const failed: Array<[number, string]> = [];
    const { client } = makeClient();
    const run = client.bulkPut({
      streamName: 's',
      records: source(),
      aggregate: { maxBytes: 500 },
      maxBatchRecords: 3,
      concurrency: 2,
      signal: controller.signal,
      onFailure: (record, reason) => failed.push([record.i, reason.errorCode]),
    });
    await vi.waitFor(() => expect(puts).toBe(3));
    controller.abort(new Error('SIGINT'));
    const error = await run.catch((e: unknown) => e);
    if (!isBulkPutError(error)) throw error;
    const { result } = error;
    expect(result.read).toBe(pulled);
    expectAccounted(result);
    expect(new Set(failed.map(([i]) => i)).size).toBe(failed.length);
    expect(failed.length).toBe(result.failed);
    const codes = new Set(failed.map(([, code]) => code));
    expect(codes).toEqual(new Set(['Aborted', 'NotSent']));
    expect(result.possibleDuplicates).toBe(failed.filter(([, c]) => c === 'Aborted').length);
  });

  it('rejects a bad aggregate option before reading any record', async () => {
    const { client } = makeClient();
    for (const aggregate of [{ maxBytes: 0 }, { maxBytes: 2 * 1024 * 1024 }, { maxBytes: 1.5 }]) {
      await expect(client.bulkPut({ streamName: 's', records: [], aggregate })).rejects.toThrow(
        /aggregate\.maxBytes/,
      );
    }
  });
});
