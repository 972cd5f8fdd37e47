/** The embedded engine keeps streams and records in `dataDir` across a restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalProxy } from '../src/index.ts';
import { request, unb64 } from './helpers.ts';

describe('dataDir', () => {
  let dir: string;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps streams and records after close and start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kproxy-local-'));
    const dataDir = join(dir, 'data');

    const first = await startLocalProxy({ port: 0, dataDir, quiet: true });
    expect(first.engine).toContain(dataDir);
    await request(`${first.url}/streams/kept`, { method: 'POST', body: { ShardCount: 1 } });
    const put = await request(`${first.url}/streams/kept/record`, {
      method: 'PUT',
      body: { Data: 'survives restarts', PartitionKey: 'k' },
    });
    expect(put.status).toBe(200);
    await first.close();

    const second = await startLocalProxy({ port: 0, dataDir, quiet: true });
    try {
      expect((await request(`${second.url}/streams`)).body.StreamNames).toEqual(['kept']);
      const iterator = await request(
        `${second.url}/streams/kept/sharditerator?shard-id=shardId-000000000000`,
      );
      const read = await request(`${second.url}/streams/kept/records`, {
        headers: { 'Shard-Iterator': iterator.body.ShardIterator },
      });
      expect(read.body.Records.map((r: { Data: string }) => unb64(r.Data))).toEqual(['survives restarts']);
      expect(read.body.Records[0].SequenceNumber).toBe(put.body.SequenceNumber);
    } finally {
      await second.close();
    }
  });

  it('starts empty with inMemory', async () => {
    const proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
    try {
      expect((await request(`${proxy.url}/streams`)).body.StreamNames).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
