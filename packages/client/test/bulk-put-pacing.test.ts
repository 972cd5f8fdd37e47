/**
 * bulkPut at the stream's limits: the pacer, alone and in a run against a simulated shard that takes
 * 1,000 records and 1 MiB a second (a token bucket on the fake clock, as Kinesis and the emulator's
 * `--shard-limits` answer: refused entries are ProvisionedThroughputExceededException). Times are the
 * fake clock's, so the figures are exact simulations, not measurements.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { Pacer, SLICE_MS } from '../src/helpers/bulk-put/pacer.ts';
import { decodeAggregatedRecord, hasKplMagic } from '../src/index.ts';
import { BASE, FakeClock, makeClient, useServer } from './helpers.ts';

const server = useServer();
const signal = new AbortController().signal;
const load = (n: number, bytes = 100) => Array.from({ length: n }, () => ({ recordBytes: bytes }));

describe('Pacer', () => {
  it('does not pace until Kinesis throttles', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock);
    expect(pacer.slice(load(500))).toHaveLength(500);
    await pacer.admit(load(500), signal);
    pacer.answered({ entries: 500, bytes: 50_000 }, false);
    expect(pacer.pace).toBeUndefined();
    expect(clock.sleeps).toEqual([]);
  });

  it('a throttled entry sets the pace 10 % above the rate accepted; requests carry 200 ms of it and wait their turn', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock);
    pacer.answered({ entries: 400, bytes: 40_000 }, false);
    clock.time += 999;
    pacer.answered({ entries: 600, bytes: 60_000 }, true);
    // 1,000 entries accepted over the last second.
    expect(pacer.pace!.entries).toBeCloseTo(1_100);
    expect(pacer.pace!.bytes).toBeCloseTo(110_000);
    expect(pacer.slice(load(500))).toHaveLength((1_100 * SLICE_MS) / 1000);
    await pacer.admit(load(220), signal);
    await pacer.admit(load(220), signal);
    await pacer.admit(load(110), signal);
    // The first goes at once; each next one after the previous one's share of time.
    expect(clock.sleeps).toEqual([200, 200]);
  });

  it('rises by half per answer once nothing was throttled for a second; halves when nothing was accepted for a second', () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock);
    pacer.answered({ entries: 100, bytes: 1_000 }, true);
    const start = pacer.pace!.entries;
    clock.time += 500;
    pacer.answered({ entries: 10, bytes: 100 }, false);
    expect(pacer.pace!.entries).toBe(start);
    clock.time += 500;
    pacer.answered({ entries: 10, bytes: 100 }, false);
    expect(pacer.pace!.entries).toBeCloseTo(start * 1.5);
    clock.time += 2_000;
    pacer.answered({ entries: 0, bytes: 0 }, true);
    expect(pacer.pace!.entries).toBeCloseTo(start * 1.5 * 0.5);
  });

  it('a wait for a slot ends when the run stops', async () => {
    const clock = new FakeClock();
    const pacer = new Pacer(clock);
    pacer.answered({ entries: 1, bytes: 1 }, true);
    await pacer.admit(load(1), signal);
    const stop = new AbortController();
    stop.abort(new Error('stopped'));
    await expect(pacer.admit(load(1), stop.signal)).rejects.toThrow('stopped');
  });
});

/** A shard's write budget: records and bytes per second, refilled continuously, full at the start. */
class ShardBudget {
  #records = 1_000;
  #bytes = 1024 * 1024;
  #at: number;
  idle = 0;

  constructor(private readonly clock: FakeClock) {
    this.#at = clock.now();
  }

  take(bytes: number): boolean {
    const now = this.clock.now();
    const seconds = (now - this.#at) / 1000;
    this.#at = now;
    // A full bucket that keeps filling is capacity nobody used.
    if (this.#records >= 1_000 && this.#bytes >= 1024 * 1024) this.idle += seconds;
    this.#records = Math.min(1_000, this.#records + seconds * 1_000);
    this.#bytes = Math.min(1024 * 1024, this.#bytes + seconds * 1024 * 1024);
    if (this.#records < 1 || this.#bytes < bytes) return false;
    this.#records -= 1;
    this.#bytes -= bytes;
    return true;
  }
}

/** PutRecords of stream `s` into one simulated shard; counts the user records stored. */
function limitedShard(clock: FakeClock) {
  const budget = new ShardBudget(clock);
  const stats = { users: 0, entries: 0, refused: 0 };
  server.use(
    http.get(`${BASE}/streams/s/shards`, () =>
      HttpResponse.json({
        Shards: [
          {
            ShardId: 'shardId-000000000000',
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: String(2n ** 128n - 1n) },
            SequenceNumberRange: { StartingSequenceNumber: '1' },
          },
        ],
      }),
    ),
    http.put(`${BASE}/streams/s/records`, async ({ request }) => {
      const { records } = (await request.json()) as {
        records: Array<{ data: string; 'partition-key': string; encoding?: string }>;
      };
      const results = records.map((entry) => {
        const data =
          entry.encoding === 'base64' ? Buffer.from(entry.data, 'base64') : Buffer.from(entry.data);
        if (!budget.take(data.length + Buffer.byteLength(entry['partition-key']))) {
          stats.refused++;
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' };
        }
        stats.entries++;
        stats.users += hasKplMagic(data) ? decodeAggregatedRecord(data)!.length : 1;
        return { SequenceNumber: String(stats.entries), ShardId: 'shardId-000000000000' };
      });
      return HttpResponse.json({
        FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
        Records: results,
      });
    }),
  );
  return { stats, budget };
}

const hundredBytes = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ data: `${i} `.padEnd(100, 'x'), partitionKey: `key-${i}` }));

describe("bulkPut at a shard's limits", () => {
  it('plain: runs at the shard limit of 1,000 records/s, with few refusals', async () => {
    const { client, clock } = makeClient();
    const { stats, budget } = limitedShard(clock);
    const start = clock.now();
    const result = await client.bulkPut({ streamName: 's', records: hundredBytes(10_000), concurrency: 1 });
    const seconds = (clock.now() - start) / 1000;
    expect(result).toMatchObject({ succeeded: 10_000, failed: 0 });
    // The bucket holds 1,000 at the start, then 1,000 a second: 9 s at best.
    expect(seconds).toBeGreaterThanOrEqual(8.9);
    expect(seconds).toBeLessThan(9 * 1.1);
    expect(budget.idle).toBeLessThan(0.5);
    // Refusals: the first requests, sent before anything was measured, and the 10 % sent above the rate.
    expect(stats.refused).toBeLessThan(0.5 * 10_000);
  });

  it('aggregated: runs at the shard limit of 1 MiB/s, about 8,800 records of 100 bytes a second', async () => {
    const { client, clock } = makeClient();
    const { stats, budget } = limitedShard(clock);
    const start = clock.now();
    const result = await client.bulkPut({
      streamName: 's',
      records: hundredBytes(50_000),
      concurrency: 1,
      aggregate: true,
    });
    const seconds = (clock.now() - start) / 1000;
    expect(result).toMatchObject({ succeeded: 50_000, failed: 0 });
    expect(stats.users).toBe(50_000);
    // 50,000 records of ~119 bytes aggregated, less the 1 MiB the bucket holds at the start: 4.67 s at best.
    expect(seconds).toBeGreaterThanOrEqual(4.6);
    expect(seconds).toBeLessThan(4.67 * 1.1);
    expect(budget.idle).toBeLessThan(0.5);
    // Mostly the first request's: 5 MiB sent before anything was measured, of which 1 MiB fits.
    expect(stats.refused).toBeLessThan(1.5 * stats.entries);
  });
});
