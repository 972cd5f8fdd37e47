/**
 * Shard limits and KPL aggregates end to end: @kproxy/client → the emulator with `shardLimits` → each
 * Kinesis engine (kinesalite embedded, kinesis-local). What a producer sees at a shard's limits, that a
 * refused record is really not written, and that the client's routing and codec agree with the engines.
 */
import {
  type KproxyClient as Client,
  decodeAggregatedRecord,
  hashKeyOf,
  KproxyClient,
  type Shard,
  ShardAggregator,
  ShardMap,
  ThrottledError,
} from '@kproxy/client';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { type ProxyOnKinesisLocal, startProxyOnKinesisLocal } from '@kproxy/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForActive } from './support/client-suite.ts';

/** Low limits, so that a burst overruns them whatever the machine's speed. */
const LIMITS = 'writes=20rps;reads=2rps';

let embedded: LocalProxy;
let onKinesisLocal: ProxyOnKinesisLocal;
beforeAll(async () => {
  [embedded, onKinesisLocal] = await Promise.all([
    startLocalProxy({ port: 0, inMemory: true, quiet: true, shardLimits: LIMITS }),
    startProxyOnKinesisLocal({ shardLimits: LIMITS }),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([embedded?.close(), onKinesisLocal?.close()]);
});

async function shardsOf(client: Client, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  for await (const shard of client.describeStream({ streamName })) shards.push(shard);
  return shards;
}

/** Every record of the stream (TRIM_HORIZON to the end of each shard), as raw Kinesis records. */
async function readAll(client: Client, streamName: string) {
  const out: Array<{ shardId: string; data: Uint8Array; partitionKey: string; text: string }> = [];
  for (const shard of await shardsOf(client, streamName)) {
    let shardIterator: string | undefined = (
      await client.getShardIterator({ streamName, shardId: shard.shardId })
    ).shardIterator;
    for (let i = 0; i < 50 && shardIterator; i++) {
      const page = await client.getRecords({ streamName, shardIterator }, { maxRetries: 10 });
      for (const r of page.records) {
        out.push({ shardId: shard.shardId, data: r.data, partitionKey: r.partitionKey, text: r.text() });
      }
      if (page.records.length === 0) break;
      shardIterator = page.nextShardIterator ?? undefined;
    }
  }
  return out;
}

describe.each([
  ['embedded kinesalite', () => embedded.url],
  ['kinesis-local', () => onKinesisLocal.proxy.url],
])('shard limits on %s', (engine, url) => {
  const prefix = `limits-${engine.replace(/\W/g, '')}`;
  const client = () => new KproxyClient({ endpoint: url(), auth: { type: 'none' } });

  it('routes records as the engine does (the client’s ShardMap vs the ShardId the engine returns)', async () => {
    const c = client();
    const streamName = `${prefix}-routing`;
    await c.createStream({ streamName, shardCount: 4 });
    await waitForActive(c, streamName);
    const map = new ShardMap(await shardsOf(c, streamName));
    const records = Array.from({ length: 20 }, (_, i) => ({
      data: `r${i}`,
      partitionKey: i % 4 === 0 ? `ключ-${i}-🔑` : `key-${i}-${Math.random()}`,
      ...(i % 5 === 0 ? { explicitHashKey: String(map.shards[i % 4]!.endingHashKey) } : {}),
    }));
    const result = await c.putRecords({ streamName, records });
    expect(result.failedRecordCount).toBe(0);
    expect(result.records.map((r) => r.shardId)).toEqual(records.map((r) => map.shardOf(r)?.shardId));
  });

  it('bulkPut without retries: the records refused at the limit are reported and really not written', async () => {
    const c = client();
    const streamName = `${prefix}-refused`;
    await c.createStream({ streamName, shardCount: 1 });
    await waitForActive(c, streamName);
    const failed: string[] = [];
    const result = await c.bulkPut({
      streamName,
      records: Array.from({ length: 100 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` })),
      maxAttempts: 1,
      onFailure: (record, reason) => {
        expect(reason.errorCode).toBe('ProvisionedThroughputExceededException');
        failed.push(record.data);
      },
    });
    expect(result.failed).toBeGreaterThan(0);
    expect(result.succeeded + result.failed).toBe(100);
    const stored = (await readAll(c, streamName)).map((r) => r.text);
    expect(stored).toHaveLength(result.succeeded);
    expect(stored.filter((text) => failed.includes(text))).toEqual([]);
  });

  it('bulkPut with retries gets every record in, past the limit', async () => {
    const c = client();
    const streamName = `${prefix}-retried`;
    await c.createStream({ streamName, shardCount: 1 });
    await waitForActive(c, streamName);
    const result = await c.bulkPut({
      streamName,
      records: Array.from({ length: 60 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` })),
      maxAttempts: 50,
    });
    expect(result.failed).toBe(0);
    expect(result.retries).toBeGreaterThan(0);
    expect((await readAll(c, streamName)).map((r) => r.text).sort()).toEqual(
      Array.from({ length: 60 }, (_, i) => `r${i}`).sort(),
    );
  }, 60_000);

  it('putRecord and getRecords over the limit: ThrottledError, retryable, with the Kinesis type', async () => {
    const c = client();
    const streamName = `${prefix}-single`;
    await c.createStream({ streamName, shardCount: 1 });
    await waitForActive(c, streamName);
    // Bursts sent at once, so that they overrun the buckets however slow the machine is.
    const firstError = async (calls: Array<Promise<unknown>>) =>
      (await Promise.allSettled(calls)).find((r) => r.status === 'rejected')?.reason as unknown;
    const putError = await firstError(
      Array.from({ length: 100 }, (_, i) =>
        c.putRecord({ streamName, data: `p${i}`, partitionKey: 'k' }, { maxRetries: 0 }),
      ),
    );
    expect(putError).toBeInstanceOf(ThrottledError);
    expect((putError as ThrottledError).kinesisType).toBe('ProvisionedThroughputExceededException');
    expect((putError as ThrottledError).retryable).toBe(true);

    const { shardIterator } = await c.getShardIterator({ streamName, shardId: 'shardId-000000000000' });
    const readError = await firstError(
      Array.from({ length: 20 }, () =>
        c.getRecords({ streamName, shardIterator: shardIterator! }, { maxRetries: 0 }),
      ),
    );
    expect(readError).toBeInstanceOf(ThrottledError);
    expect((readError as ThrottledError).kinesisType).toBe('ProvisionedThroughputExceededException');
  });

  it('KPL aggregates made per shard land on their shard, and de-aggregate to what was put', async () => {
    const c = client();
    const streamName = `${prefix}-aggregated`;
    await c.createStream({ streamName, shardCount: 3 });
    await waitForActive(c, streamName);
    const map = new ShardMap(await shardsOf(c, streamName));
    const aggregator = new ShardAggregator(map, { maxRecordBytes: 4000 });
    const encoder = new TextEncoder();
    const users = Array.from({ length: 300 }, (_, i) => ({
      partitionKey: `user-${i}`,
      data: encoder.encode(`u${i}`),
    }));
    const out = users.flatMap((u) => aggregator.add(u) ?? []);
    out.push(...aggregator.flush());
    expect(out.every((r) => r.aggregated)).toBe(true);
    // Few enough Kinesis records to stay under the write limit of 20 records/s per shard.
    expect(out.length).toBeLessThan(20);
    const put = await c.putRecords({
      streamName,
      records: out.map((r) => ({
        data: r.data,
        partitionKey: r.partitionKey,
        explicitHashKey: r.explicitHashKey,
      })),
    });
    expect(put.failedRecordCount).toBe(0);
    expect(put.records.map((result) => result.shardId)).toEqual(
      out.map((record) => map.shardFor(hashKeyOf(record))?.shardId),
    );

    const seen: string[] = [];
    for (const record of await readAll(c, streamName)) {
      const inside = decodeAggregatedRecord(record.data);
      expect(inside).toBeDefined();
      for (const user of inside!) {
        // A reader of one shard receives only that shard's user records.
        expect(map.shardOf(user)?.shardId).toBe(record.shardId);
        seen.push(`${user.partitionKey}=${new TextDecoder().decode(user.data)}`);
      }
    }
    expect(seen.sort()).toEqual(users.map((u, i) => `${u.partitionKey}=u${i}`).sort());
  }, 60_000);
});
