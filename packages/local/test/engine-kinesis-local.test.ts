/** The core suite again with kinesis-local (kinesis-mock) behind the emulator, plus what only it does. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProxyOnKinesisLocal, startProxyOnKinesisLocal } from '../src/testing/kinesis-local.ts';
import { request } from './helpers.ts';
import { coreSuite } from './support/core-suite.ts';

let setup: ProxyOnKinesisLocal;
beforeAll(async () => {
  setup = await startProxyOnKinesisLocal();
}, 60_000);
afterAll(() => setup?.close());

coreSuite('kinesis-local', () => setup.proxy.url);

describe('on kinesis-local only', () => {
  it('reports the remote engine', () => {
    expect(setup.proxy.engine).toContain(setup.engine.endpoint);
  });

  it('pages DescribeStream shards with limit and exclusive-start-shard-id', async () => {
    await request(`${setup.proxy.url}/streams/paged`, { method: 'POST', body: { ShardCount: 3 } });
    for (let i = 0; i < 100; i++) {
      if (
        (await request(`${setup.proxy.url}/streams/paged`)).body?.StreamDescription?.StreamStatus === 'ACTIVE'
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const first = await request(`${setup.proxy.url}/streams/paged?limit=2`);
    expect(first.body.StreamDescription.Shards).toHaveLength(2);
    expect(first.body.StreamDescription.HasMoreShards).toBe(true);
    const rest = await request(
      `${setup.proxy.url}/streams/paged?exclusive-start-shard-id=shardId-000000000001`,
    );
    expect(rest.body.StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual([
      'shardId-000000000002',
    ]);
  });

  it('creates an ON_DEMAND stream', async () => {
    const created = await request(`${setup.proxy.url}/streams/on-demand`, {
      method: 'POST',
      body: { StreamMode: 'ON_DEMAND' },
    });
    expect(created.status).toBe(200);
    const listed = await request(`${setup.proxy.url}/streams`);
    expect(listed.body.StreamNames).toContain('on-demand');
  });
});
