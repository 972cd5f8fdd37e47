/**
 * The engine-independent core of the emulator tests: every route through the emulator, small data.
 * Run against the embedded engine and against kinesis-local, so neither engine's quirks go unseen.
 */
import { describe, expect, it } from 'vitest';
import { b64, request, unb64 } from '../helpers.ts';

async function waitActive(url: string, stream: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const described = await request(`${url}/streams/${stream}`);
    if (described.body?.StreamDescription?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${stream} did not become ACTIVE`);
}

export function coreSuite(engine: string, proxyUrl: () => string) {
  describe(`core routes on ${engine}`, () => {
    const stream = `core-${engine.replace(/\W/g, '')}`;

    it('creates a 2-shard stream, lists and describes it', async () => {
      const url = proxyUrl();
      const created = await request(`${url}/streams/${stream}`, { method: 'POST', body: { ShardCount: 2 } });
      expect(created.status).toBe(200);
      await waitActive(url, stream);
      expect((await request(`${url}/streams`)).body.StreamNames).toContain(stream);
      const described = await request(`${url}/streams/${stream}`);
      expect(described.body.StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual([
        'shardId-000000000000',
        'shardId-000000000001',
      ]);
    });

    it('writes with both put routes and reads every record back exactly', async () => {
      const url = proxyUrl();
      const text = 'héllo "wörld" \\ 🎉\n';
      const binary = Buffer.from([0, 1, 254, 255]).toString('base64');
      const one = await request(`${url}/streams/${stream}/record`, {
        method: 'PUT',
        body: { Data: text, PartitionKey: 'a"key', ExplicitHashKey: '0' },
      });
      expect(one.status).toBe(200);
      expect(one.body.ShardId).toBe('shardId-000000000000');
      const many = await request(`${url}/streams/${stream}/records`, {
        method: 'PUT',
        body: {
          records: [
            { data: 'some data', 'partition-key': 'k1', 'explicit-hash-key': '0' },
            { data: binary, 'partition-key': 'k2', 'explicit-hash-key': '0', encoding: 'base64' },
            {
              data: 'last',
              'partition-key': 'k3',
              'explicit-hash-key': '340282366920938463463374607431768211455',
            },
          ],
        },
      });
      expect(many.status).toBe(200);
      expect(many.body.FailedRecordCount).toBe(0);
      expect(many.body.Records.map((r: { ShardId: string }) => r.ShardId)).toEqual([
        'shardId-000000000000',
        'shardId-000000000000',
        'shardId-000000000001',
      ]);

      const iterator = await request(`${url}/streams/${stream}/sharditerator?shard-id=shardId-000000000000`);
      expect(iterator.status).toBe(200);
      const read = await request(`${url}/streams/${stream}/records`, {
        headers: { 'Shard-Iterator': iterator.body.ShardIterator },
      });
      expect(read.status).toBe(200);
      const records = read.body.Records as { Data: string; PartitionKey: string }[];
      expect(records.map((r) => r.PartitionKey)).toEqual(['a"key', 'k1', 'k2']);
      expect(unb64(records[0]!.Data)).toBe(text);
      expect(records[1]!.Data).toBe(b64('some data'));
      expect(records[2]!.Data).toBe(binary);
    });

    it('starts a LATEST iterator that sees only later records', async () => {
      const url = proxyUrl();
      const latest = await request(
        `${url}/streams/${stream}/sharditerator?shard-id=shardId-000000000001&shard-iterator-type=LATEST`,
      );
      expect(latest.status).toBe(200);
      await request(`${url}/streams/${stream}/record`, {
        method: 'PUT',
        body: {
          Data: 'after',
          PartitionKey: 'p',
          ExplicitHashKey: '340282366920938463463374607431768211455',
        },
      });
      const read = await request(`${url}/streams/${stream}/records`, {
        headers: { 'Shard-Iterator': latest.body.ShardIterator },
      });
      expect(read.body.Records.map((r: { Data: string }) => unb64(r.Data))).toEqual(['after']);
    });

    it('answers AT_TIMESTAMP past every record of a shard with an iterator at the tip', async () => {
      const url = proxyUrl();
      // Shard 1's last record was written before this point; a reader from here sees only what follows.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const since = (Date.now() - 5) / 1000;
      const atTime = await request(
        `${url}/streams/${stream}/sharditerator?shard-id=shardId-000000000001&shard-iterator-type=AT_TIMESTAMP&timestamp=${since.toFixed(3)}`,
      );
      expect(atTime.status).toBe(200);
      await request(`${url}/streams/${stream}/record`, {
        method: 'PUT',
        body: {
          Data: 'later',
          PartitionKey: 'p',
          ExplicitHashKey: '340282366920938463463374607431768211455',
        },
      });
      const read = await request(`${url}/streams/${stream}/records`, {
        headers: { 'Shard-Iterator': atTime.body.ShardIterator },
      });
      expect(read.body.Records.map((r: { Data: string }) => unb64(r.Data))).toEqual(['later']);
    });

    it('answers 404 for an unknown stream, 409 for a duplicate, 400 for a bad iterator', async () => {
      const url = proxyUrl();
      const missing = await request(`${url}/streams/${stream}-missing/record`, {
        method: 'PUT',
        body: { Data: 'x', PartitionKey: 'k' },
      });
      expect(missing.status).toBe(404);
      expect(missing.body.__type).toMatch(/ResourceNotFoundException$/);
      const duplicate = await request(`${url}/streams/${stream}`, {
        method: 'POST',
        body: { ShardCount: 1 },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.__type).toMatch(/ResourceInUseException$/);
      const badShard = await request(`${url}/streams/${stream}/sharditerator?shard-id=shardId-000000000009`);
      expect(badShard.status).toBe(404);
    });

    it("kproxy's additions: a summary, shards page by page, and a reshard from 2 to 4 shards", async () => {
      const url = proxyUrl();
      const summary = await request(`${url}/streams/${stream}/summary`);
      expect(summary.status).toBe(200);
      expect(summary.body.StreamDescriptionSummary).toMatchObject({ StreamName: stream, OpenShardCount: 2 });
      const first = await request(`${url}/streams/${stream}/shards?max-results=1`);
      expect(first.body.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual(['shardId-000000000000']);
      const next = await request(
        `${url}/streams/${stream}/shards?next-token=${encodeURIComponent(first.body.NextToken)}`,
      );
      expect(next.body.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual(['shardId-000000000001']);
      expect(next.body.NextToken ?? undefined).toBeUndefined();

      const updated = await request(`${url}/streams/${stream}/shard-count`, {
        method: 'PUT',
        body: { TargetShardCount: 4 },
      });
      expect(updated.status, updated.text).toBe(200);
      expect(updated.body).toMatchObject({ StreamName: stream, CurrentShardCount: 2, TargetShardCount: 4 });
      for (let i = 0; ; i++) {
        const now = (await request(`${url}/streams/${stream}/summary`)).body.StreamDescriptionSummary;
        if (now.StreamStatus === 'ACTIVE' && now.OpenShardCount === 4) break;
        if (i > 200) throw new Error(`not resharded: ${JSON.stringify(now)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const open = await request(`${url}/streams/${stream}/shards?shard-filter-type=AT_LATEST`);
      const shards = open.body.Shards as { ParentShardId?: string }[];
      expect(shards).toHaveLength(4);
      expect(new Set(shards.map((s) => s.ParentShardId))).toEqual(
        new Set(['shardId-000000000000', 'shardId-000000000001']),
      );

      // A closed shard read past its last record ends at once, naming its children, as on Kinesis.
      const start = await request(`${url}/streams/${stream}/sharditerator?shard-id=shardId-000000000000`);
      let iterator: string | null = start.body.ShardIterator;
      let end: { ChildShards?: { ShardId: string; ParentShards: string[] }[] } | undefined;
      for (let reads = 0; iterator && reads < 10; reads++) {
        const read = await request(`${url}/streams/${stream}/records`, {
          headers: { 'Shard-Iterator': iterator },
        });
        expect(read.status).toBe(200);
        iterator = read.body.NextShardIterator ?? null;
        if (iterator) expect(read.body.Records.length, 'an empty read before the end').toBeGreaterThan(0);
        else end = read.body;
      }
      expect(end?.ChildShards?.map((c) => c.ParentShards)).toEqual([
        ['shardId-000000000000'],
        ['shardId-000000000000'],
      ]);
    });

    it('deletes the stream', async () => {
      const url = proxyUrl();
      expect((await request(`${url}/streams/${stream}`, { method: 'DELETE' })).status).toBe(200);
      for (let i = 0; i < 100; i++) {
        if ((await request(`${url}/streams/${stream}`)).status === 404) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('stream still there');
    });
  });
}
