/**
 * `startLocalProxy({ shardLimits })` through the HTTP API: the answers a caller of the deployed API gets
 * when a shard is over its limits, and API Gateway's own throttle kept apart from them.
 *
 * Limits here are low (a few records per second) and each test sends far more at once, so the counts
 * hold on any machine: a bucket refills by its rate times the few milliseconds a request takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { b64, request, unb64 } from './helpers.ts';

let proxy: LocalProxy;
beforeAll(async () => {
  proxy = await startLocalProxy({
    port: 0,
    inMemory: true,
    quiet: true,
    shardLimits: 'writes=5rps;reads=2rps',
  });
});
afterAll(() => proxy.close());

async function createStream(name: string, shardCount: number) {
  const created = await request(`${proxy.url}/streams/${name}`, {
    method: 'POST',
    body: { ShardCount: shardCount },
  });
  expect(created.status).toBe(200);
}

async function readBack(name: string, shardId: string): Promise<string[]> {
  const it = await request(`${proxy.url}/streams/${name}/sharditerator?shard-id=${shardId}`);
  const got = await request(`${proxy.url}/streams/${name}/records`, {
    headers: { 'Shard-Iterator': it.body.ShardIterator },
  });
  expect(got.status).toBe(200);
  return got.body.Records.map((r: { Data: string }) => unb64(r.Data));
}

describe('writes over the limit', () => {
  it('PutRecords: refused entries fail in place (FailedRecordCount), are not written; the rest are', async () => {
    await createStream('partial', 1);
    const put = await request(`${proxy.url}/streams/partial/records`, {
      method: 'PUT',
      body: { records: Array.from({ length: 40 }, (_, i) => ({ data: `r${i}`, 'partition-key': `k${i}` })) },
    });
    expect(put.status).toBe(200);
    const results = put.body.Records as Array<{
      SequenceNumber?: string;
      ErrorCode?: string;
      ErrorMessage?: string;
    }>;
    expect(results).toHaveLength(40);
    const accepted = results.findIndex((r) => r.ErrorCode !== undefined);
    // The bucket held 5 records: the first ones in request order got in, every later one was refused.
    expect(accepted).toBeGreaterThanOrEqual(5);
    expect(accepted).toBeLessThan(40);
    expect(put.body.FailedRecordCount).toBe(40 - accepted);
    for (const r of results.slice(accepted)) {
      expect(r.ErrorCode).toBe('ProvisionedThroughputExceededException');
      expect(r.ErrorMessage).toMatch(
        /^Rate exceeded for shard shardId-000000000000 in stream partial under account \d{12}\.$/,
      );
    }
    expect(await readBack('partial', 'shardId-000000000000')).toEqual(
      Array.from({ length: accepted }, (_, i) => `r${i}`),
    );
  });

  it('PutRecord: 429 with the Kinesis exception body, as the deployed API answers it', async () => {
    await createStream('single', 1);
    // All at once: the bucket holds 5, and refills by 5/s over however long the burst takes.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        request(`${proxy.url}/streams/single/record`, {
          method: 'PUT',
          body: { Data: `p${i}`, PartitionKey: 'k' },
        }),
      ),
    );
    const refused = answers.find((a) => a.status !== 200);
    expect(refused?.status).toBe(429);
    expect(refused?.body.__type).toMatch(/ProvisionedThroughputExceededException$/);
    expect(refused?.body.message).toMatch(/^Rate exceeded for shard shardId-000000000000 in stream single/);
    expect(refused?.headers.get('x-amzn-errortype')).toBeNull();
    const accepted = answers.filter((a) => a.status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(5);
    // The refused records were not written.
    expect(await readBack('single', 'shardId-000000000000')).toHaveLength(accepted);
  });

  it('limits each shard on its own', async () => {
    await createStream('two', 2);
    // Partition keys whose MD5 falls in each half of the hash-key space, alternating.
    const put = await request(`${proxy.url}/streams/two/records`, {
      method: 'PUT',
      body: {
        records: Array.from({ length: 30 }, (_, i) => ({ data: `r${i}`, 'partition-key': `key${i}` })),
      },
    });
    const byShard = new Map<string, number>();
    for (const r of put.body.Records as Array<{ ShardId?: string }>) {
      if (r.ShardId) byShard.set(r.ShardId, (byShard.get(r.ShardId) ?? 0) + 1);
    }
    // Both shards took records, each at most what its bucket allowed plus a refill of a few ms.
    expect([...byShard.keys()].sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    for (const n of byShard.values()) expect(n).toBeLessThan(10);
  });
});

describe('reads over the limit', () => {
  it('GetRecords: 429 with the Kinesis exception body', async () => {
    await createStream('reads', 1);
    const it0 = await request(`${proxy.url}/streams/reads/sharditerator?shard-id=shardId-000000000000`);
    // The same iterator 20 times at once: 2 calls/s pass, the rest of the burst is refused.
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(`${proxy.url}/streams/reads/records`, {
          headers: { 'Shard-Iterator': it0.body.ShardIterator },
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    const refused = answers.find((a) => a.status !== 200);
    expect(refused?.status).toBe(429);
    expect(refused?.body.__type).toMatch(/ProvisionedThroughputExceededException$/);
  });
});

describe('API Gateway’s own throttle stays distinct', () => {
  it('answers {"message":"Too Many Requests"} with x-amzn-ErrorType, not a Kinesis body', async () => {
    const both = await startLocalProxy({
      port: 0,
      inMemory: true,
      quiet: true,
      throttle: { rate: 0.001, burst: 2 },
      shardLimits: true,
    });
    try {
      await request(`${both.url}/streams/t`, { method: 'POST', body: { ShardCount: 1 } });
      await request(`${both.url}/streams/t/record`, {
        method: 'PUT',
        body: { Data: b64('x'), PartitionKey: 'k' },
      });
      const stage = await request(`${both.url}/streams/t/record`, {
        method: 'PUT',
        body: { Data: 'x', PartitionKey: 'k' },
      });
      expect(stage.status).toBe(429);
      expect(stage.body).toEqual({ message: 'Too Many Requests' });
      expect(stage.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    } finally {
      await both.close();
    }
  });

  it('reports the limits it enforces', () => {
    expect(proxy.shardLimits).toBe('writes 5 records/s and 1 MiB/s, reads 2 calls/s and 2 MiB/s per shard');
  });
});

describe('startShardLimitedKinesis: the Kinesis protocol with the same limits', () => {
  it('throttles a plain Kinesis client (PutRecords partial failure) in front of an engine', async () => {
    const { startEmbeddedEngine } = await import('../src/kinesis/embedded.ts');
    const { startShardLimitedKinesis } = await import('../src/index.ts');
    const engine = await startEmbeddedEngine({ dataDir: undefined, region: 'us-east-1' });
    const front = await startShardLimitedKinesis({
      kinesisEndpoint: engine.endpoint.origin,
      shardLimits: 'writes=5rps',
    });
    const kinesis = (action: string, body: object) =>
      request(front.endpoint, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Kinesis_20131202.${action}`,
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
          'x-amz-date': '20240101T000000Z',
        },
      });
    try {
      expect((await kinesis('CreateStream', { StreamName: 'front', ShardCount: 1 })).status).toBe(200);
      const put = await kinesis('PutRecords', {
        StreamName: 'front',
        Records: Array.from({ length: 30 }, (_, i) => ({ Data: b64(`r${i}`), PartitionKey: 'k' })),
      });
      expect(put.status).toBe(200);
      expect(put.body.FailedRecordCount).toBeGreaterThan(0);
      expect(put.body.Records.at(-1).ErrorCode).toBe('ProvisionedThroughputExceededException');
    } finally {
      await front.close();
      await engine.close();
    }
  });
});
