/** @kproxy/client against the emulator on its embedded engine. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError, KproxyClient, ValidationError } from '@kproxy/client';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSuite, waitForActive } from './support/client-suite.ts';

let proxy: LocalProxy;
beforeAll(async () => {
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
});
afterAll(() => proxy.close());

clientSuite('embedded kinesalite', () => new KproxyClient({ endpoint: proxy.url, auth: { type: 'none' } }), {
  bulkRecords: 3000,
  badIteratorError: ValidationError,
});

describe('readStream on kinesalite (MillisBehindLatest is always 0)', () => {
  it('without follow, reads a shard past one full GetRecords (10,000 records) to its end', async () => {
    const client = new KproxyClient({ endpoint: proxy.url, auth: { type: 'none' } });
    await client.createStream({ streamName: 'backlog', shardCount: 1 });
    await waitForActive(client, 'backlog');
    const total = 12_011;
    const put = await client.bulkPut({
      streamName: 'backlog',
      records: Array.from({ length: total }, (_, i) => ({ data: `r${i}`, partitionKey: 'k' })),
    });
    expect(put.succeeded).toBe(total);
    const texts: string[] = [];
    const sequence: bigint[] = [];
    for await (const record of client.readStream({ streamName: 'backlog', follow: false })) {
      texts.push(record.text());
      sequence.push(BigInt(record.sequenceNumber));
    }
    // Every record once (bulkPut's concurrent batches may store them out of input order), in shard order.
    expect(texts).toHaveLength(total);
    expect(new Set(texts)).toEqual(new Set(Array.from({ length: total }, (_, i) => `r${i}`)));
    expect(sequence.every((n, i) => i === 0 || n > sequence[i - 1]!)).toBe(true);
  }, 60_000);
});

describe('restart with a data directory', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps streams and records', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kproxy-e2e-'));
    const first = await startLocalProxy({ port: 0, dataDir: dir, quiet: true });
    const before = new KproxyClient({ endpoint: first.url, auth: { type: 'none' } });
    await before.createStream({ streamName: 'kept', shardCount: 2 });
    await waitForActive(before, 'kept');
    const put = await before.bulkPut({
      streamName: 'kept',
      records: Array.from({ length: 50 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` })),
    });
    expect(put.succeeded).toBe(50);
    await first.close();

    const second = await startLocalProxy({ port: 0, dataDir: dir, quiet: true });
    try {
      const after = new KproxyClient({ endpoint: second.url, auth: { type: 'none' } });
      expect((await after.listStreams()).streamNames).toEqual(['kept']);
      const texts: string[] = [];
      for await (const record of after.readStream({ streamName: 'kept', follow: false }))
        texts.push(record.text());
      expect(texts.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`).sort());
    } finally {
      await second.close();
    }
  });
});

describe('auth iam', () => {
  const credentials = { accessKeyId: 'AKIDE2ETEST', secretAccessKey: 'e2e-secret' };
  let iam: LocalProxy;
  beforeAll(async () => {
    iam = await startLocalProxy({
      port: 0,
      inMemory: true,
      quiet: true,
      auth: 'iam',
      credentials: [credentials],
    });
  });
  afterAll(() => iam.close());

  it('accepts requests the client signs with the right key, reads and writes included', async () => {
    const client = new KproxyClient({
      endpoint: iam.url,
      region: 'us-east-1',
      auth: { type: 'sigv4', credentials },
    });
    await client.createStream({ streamName: 'signed', shardCount: 1 });
    await waitForActive(client, 'signed');
    const put = await client.putRecords({
      streamName: 'signed',
      records: [{ data: 'ünï 🎉', partitionKey: 'a b/c' }],
    });
    expect(put.failedRecordCount).toBe(0);
    const { shardIterator } = await client.getShardIterator({
      streamName: 'signed',
      shardId: 'shardId-000000000000',
    });
    const read = await client.getRecords({ streamName: 'signed', shardIterator, limit: 10 });
    expect(read.records.map((r) => r.text())).toEqual(['ünï 🎉']);
  });

  it('rejects a wrong secret, an unknown key, another region and no signature with AuthError 403', async () => {
    const attempts = [
      { auth: { type: 'sigv4' as const, credentials: { ...credentials, secretAccessKey: 'wrong' } } },
      { auth: { type: 'sigv4' as const, credentials: { ...credentials, accessKeyId: 'AKIDUNKNOWN' } } },
      { auth: { type: 'sigv4' as const, credentials }, region: 'eu-west-1' },
      { auth: { type: 'none' as const } },
    ];
    for (const options of attempts) {
      const client = new KproxyClient({ endpoint: iam.url, region: 'us-east-1', maxRetries: 0, ...options });
      const error = await client.listStreams().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ status: 403 });
    }
  });
});

describe('auth api-key', () => {
  let keyed: LocalProxy;
  beforeAll(async () => {
    keyed = await startLocalProxy({
      port: 0,
      inMemory: true,
      quiet: true,
      auth: 'api-key',
      apiKeys: ['e2e-key'],
    });
  });
  afterAll(() => keyed.close());

  it('accepts the configured key and rejects others with AuthError 403 Forbidden', async () => {
    const good = new KproxyClient({ endpoint: keyed.url, auth: { type: 'apiKey', apiKey: 'e2e-key' } });
    expect((await good.listStreams()).streamNames).toEqual([]);
    for (const auth of [{ type: 'apiKey' as const, apiKey: 'nope' }, { type: 'none' as const }]) {
      const bad = new KproxyClient({ endpoint: keyed.url, auth, maxRetries: 0 });
      const error = await bad.listStreams().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
    }
  });
});
