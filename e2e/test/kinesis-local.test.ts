/** The client's core suite again, with kinesis-local (kinesis-mock) behind the emulator. */
import { KproxyClient, ServerError } from '@kproxy/client';
import { type ProxyOnKinesisLocal, startProxyOnKinesisLocal } from '@kproxy/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSuite } from './support/client-suite.ts';

let setup: ProxyOnKinesisLocal;
beforeAll(async () => {
  setup = await startProxyOnKinesisLocal();
}, 60_000);
afterAll(() => setup?.close());

/*
 * kinesis-local writes absent optional fields as null (`"ParentShardId": null`) where real Kinesis omits
 * them; the contract's output schemas accept both, and the client reads both as absent.
 */
describe('kinesis-local itself', () => {
  it('answers DescribeStream with null for absent optional shard fields', async () => {
    const created = await fetch(`${setup.proxy.url}/streams/null-fields`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ShardCount":1}',
    });
    expect(created.status).toBe(200);
    const described = (await (await fetch(`${setup.proxy.url}/streams/null-fields`)).json()) as {
      StreamDescription: { Shards: Array<{ ParentShardId: unknown }> };
    };
    expect(described.StreamDescription.Shards[0]?.ParentShardId).toBeNull();
  });
});

describe('client suite', () => {
  clientSuite(
    'kinesis-local',
    () => new KproxyClient({ endpoint: setup.proxy.url, auth: { type: 'none' } }),
    {
      bulkRecords: 300,
      badIteratorError: ServerError,
    },
  );
});
