/** The core suite again with kinesis-local (kinesis-mock) behind the emulator, plus what only it does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { type KinesisLocal, startKinesisLocal } from '../src/testing/kinesis-local.ts';
import { request } from './helpers.ts';
import { coreSuite } from './support/core-suite.ts';

let engine: KinesisLocal;
let proxy: LocalProxy;
beforeAll(async () => {
  engine = await startKinesisLocal();
  proxy = await startLocalProxy({ port: 0, kinesisEndpoint: engine.endpoint, quiet: true });
}, 60_000);
afterAll(async () => {
  await proxy?.close();
  await engine?.stop();
});

coreSuite('kinesis-local', () => proxy.url);

describe('on kinesis-local only', () => {
  it('reports the remote engine', () => {
    expect(proxy.engine).toContain(engine.endpoint);
  });

  it('pages DescribeStream shards with limit and exclusive-start-shard-id', async () => {
    await request(`${proxy.url}/streams/paged`, { method: 'POST', body: { ShardCount: 3 } });
    for (let i = 0; i < 100; i++) {
      if ((await request(`${proxy.url}/streams/paged`)).body?.StreamDescription?.StreamStatus === 'ACTIVE')
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const first = await request(`${proxy.url}/streams/paged?limit=2`);
    expect(first.body.StreamDescription.Shards).toHaveLength(2);
    expect(first.body.StreamDescription.HasMoreShards).toBe(true);
    const rest = await request(`${proxy.url}/streams/paged?exclusive-start-shard-id=shardId-000000000001`);
    expect(rest.body.StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual([
      'shardId-000000000002',
    ]);
  });

  it('creates an ON_DEMAND stream', async () => {
    const created = await request(`${proxy.url}/streams/on-demand`, {
      method: 'POST',
      body: { StreamMode: 'ON_DEMAND' },
    });
    expect(created.status).toBe(200);
    const listed = await request(`${proxy.url}/streams`);
    expect(listed.body.StreamNames).toContain('on-demand');
  });
});
