/**
 * Resharding end to end, on both engines: records are put without pause while the built `kproxy`
 * reshards the stream 2 → 4 → 3 (`update-shard-count --wait`); then `kproxy tail --no-follow` must print
 * every acknowledged record exactly once, each partition key's records in the order they were written
 * (parents read before children), having listed the shards with ListShards.
 *
 * Each partition key's records are written one at a time (one PutRecords of one record per key, the next
 * only after the last was acknowledged), so their order is the order of the numbers in their data.
 */
import { KproxyClient } from '@kproxy/client';
import { SEED_OPERATION_IDS } from '@kproxy/contract';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { type ProxyOnKinesisLocal, startProxyOnKinesisLocal } from '@kproxy/local/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, run } from './kproxy.ts';

const KEYS = 16;

/** Puts a batch (one record per key) after another until stopped; the data is `key:n`. */
function writeContinuously(client: KproxyClient, stream: string) {
  let stopped = false;
  let batches = 0;
  const written: string[] = [];
  const done = (async () => {
    while (!stopped) {
      const records = Array.from({ length: KEYS }, (_, k) => ({
        data: `k${k}:${batches}`,
        partitionKey: `k${k}`,
      }));
      const result = await client.putRecords({ streamName: stream, records });
      expect(result.failedRecordCount ?? 0, 'no record refused during the reshard').toBe(0);
      written.push(...records.map((r) => r.data));
      batches++;
    }
  })();
  return {
    written,
    batches: () => batches,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** Resolves once the writer has put `n` more batches. */
async function after(writer: ReturnType<typeof writeContinuously>, n: number): Promise<void> {
  const target = writer.batches() + n;
  while (writer.batches() < target) await new Promise((resolve) => setTimeout(resolve, 10));
}

interface Printed {
  shardId: string;
  partitionKey: string;
  data: string;
}

function reshardSuite(engine: string, endpoint: () => string) {
  it(`${engine}: every record put while resharding 2 → 4 → 3 is tailed once, in order per key`, async () => {
    const stream = 'resharded';
    const kproxy = async (...args: string[]) => {
      const result = await run(args, { endpoint: endpoint() });
      expect(result.code, `kproxy ${args.join(' ')}: ${result.stderr}`).toBe(0);
      return result;
    };
    await kproxy('create-stream', stream, '--shard-count', '2', '--wait');
    const client = new KproxyClient({ endpoint: endpoint(), auth: { type: 'none' } });
    const writer = writeContinuously(client, stream);
    await after(writer, 5);
    const up = await kproxy('update-shard-count', stream, '--target', '4', '--wait', '--output', 'json');
    expect(JSON.parse(up.stdout)).toMatchObject({ CurrentShardCount: 2, TargetShardCount: 4 });
    await after(writer, 5);
    const down = await kproxy('update-shard-count', stream, '--target', '3', '--wait', '--output', 'json');
    expect(JSON.parse(down.stdout)).toMatchObject({ CurrentShardCount: 4, TargetShardCount: 3 });
    await after(writer, 5);
    await writer.stop();

    const summary = JSON.parse((await kproxy('describe-stream-summary', stream, '--output', 'json')).stdout);
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 3 });
    const shards = JSON.parse((await kproxy('list-shards', stream, '--output', 'json')).stdout).Shards as {
      ShardId: string;
      ParentShardId?: string;
      SequenceNumberRange: { EndingSequenceNumber?: string };
    }[];
    expect(shards.filter((s) => !s.SequenceNumberRange.EndingSequenceNumber)).toHaveLength(3);
    expect(shards.length).toBeGreaterThan(5);

    const tail = await kproxy('tail', stream, '--no-follow', '--debug');
    expect(tail.stderr).toMatch(new RegExp(`${stream}: listed ${shards.length} shards with ListShards`));
    const printed = tail.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Printed);
    // Every record acknowledged, exactly once, and nothing else.
    expect(printed).toHaveLength(writer.written.length);
    expect(new Set(printed.map((r) => r.data))).toEqual(new Set(writer.written));
    // Each key's records in the order they were written, across the shards it went through.
    const last = new Map<string, number>();
    const shardsOfKey = new Map<string, Set<string>>();
    for (const record of printed) {
      const n = Number(record.data.split(':')[1]);
      expect(
        n,
        `${record.data} after ${record.partitionKey}:${last.get(record.partitionKey)}`,
      ).toBeGreaterThan(last.get(record.partitionKey) ?? -1);
      last.set(record.partitionKey, n);
      shardsOfKey.set(
        record.partitionKey,
        (shardsOfKey.get(record.partitionKey) ?? new Set()).add(record.shardId),
      );
    }
    // The keys did move: each was written to more than one shard (three generations; how many shards a
    // key passes through depends on the engine's splits and merges).
    for (const [key, seen] of shardsOfKey) expect(seen.size, key).toBeGreaterThanOrEqual(2);
  }, 60_000);
}

beforeAll(() => buildCli(), 60_000);

describe('on the embedded engine (UpdateShardCount emulated over SplitShard/MergeShards)', () => {
  let proxy: LocalProxy;
  beforeAll(async () => {
    proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
  });
  afterAll(() => proxy?.close());
  reshardSuite('embedded kinesalite', () => proxy.url);

  it('ends with the hash-key ranges CreateStream gives 3 shards', async () => {
    const client = new KproxyClient({ endpoint: proxy.url, auth: { type: 'none' } });
    await client.createStream({ streamName: 'fresh-three', shardCount: 3 }, { wait: true });
    const open = async (streamName: string) =>
      (await client.listShards({ streamName, shardFilter: { type: 'AT_LATEST' } })).shards.map(
        (s) => s.hashKeyRange,
      );
    expect(await open('resharded')).toEqual(await open('fresh-three'));
  });
});

describe('on kinesis-local (UpdateShardCount passed through)', () => {
  let setup: ProxyOnKinesisLocal;
  beforeAll(async () => {
    setup = await startProxyOnKinesisLocal();
  }, 60_000);
  afterAll(() => setup?.close());
  reshardSuite('kinesis-local', () => setup.proxy.url);
});

describe('against a deployment made from the seeds (no /shards, /shard-count, /summary)', () => {
  let proxy: LocalProxy;
  beforeAll(async () => {
    proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true, routes: SEED_OPERATION_IDS });
  });
  afterAll(() => proxy?.close());

  it('tail lists the shards with DescribeStream and says why; the additions answer 403', async () => {
    const endpoint = proxy.url;
    expect((await run(['create-stream', 'seeded', '--shard-count', '2', '--wait'], { endpoint })).code).toBe(
      0,
    );
    const input = Array.from({ length: 40 }, (_, i) => `r${i}`).join('\n');
    const put = await run(['put-records', 'seeded', '--lines', '--partition-key', 'k{n}'], {
      endpoint,
      input,
    });
    expect(put.code, put.stderr).toBe(0);
    const tail = await run(['tail', 'seeded', '--no-follow', '--debug'], { endpoint });
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout.split('\n').filter(Boolean)).toHaveLength(40);
    expect(tail.stderr).toContain(
      'seeded: listed 2 shards with DescribeStream (ListShards answered HTTP 403 (MissingAuthenticationTokenException): the API has no /shards route',
    );
    const described = await run(['describe-stream', 'seeded'], { endpoint });
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toMatch(/^shards +2$/m);
    const reshard = await run(['update-shard-count', 'seeded', '--target', '4'], { endpoint });
    expect(reshard.code).toBe(1);
    expect(reshard.stderr).toContain('Missing Authentication Token');
  });
});
