/**
 * kproxy's additions: listShards (pages, filters), updateShardCount (and waiting for the count),
 * describeStreamSummary; and how the reader lists shards: ListShards, or DescribeStream on a
 * deployment made from the seeds.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { isMissingRoute } from '../src/helpers/shard-discovery.ts';
import {
  InputError,
  KproxyCore,
  listShards,
  ShardCountWaitTimeoutError,
  type ShardDiscovery,
  StreamWaitTimeoutError,
} from '../src/index.ts';
import { FakeKinesis } from './fake-kinesis.ts';
import { BASE, ENDPOINT, FakeClock, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();

const id = (n: number) => `shardId-00000000000${n}`;
const rec = (seq: number) => ({ seq: String(seq), key: 'k', data: `d${seq}` });

describe('listShards', () => {
  it('pages with the next-token to the end under for await; the first page carries the filter', async () => {
    const fake = new FakeKinesis(
      'events',
      [0, 1, 2, 3, 4].map((n) => ({ id: id(n), records: [] })),
    );
    server.use(...fake.handlers());
    const { client } = makeClient();
    const ids: string[] = [];
    for await (const shard of client.listShards({
      streamName: 'events',
      maxResults: 2,
      shardFilter: { type: 'AT_TIMESTAMP', timestamp: new Date(1_700_000_000_500) },
    })) {
      ids.push(shard.shardId);
    }
    expect(ids).toEqual([0, 1, 2, 3, 4].map(id));
    const token = (after: number) => encodeURIComponent(Buffer.from(id(after)).toString('base64'));
    expect(fake.calls).toEqual([
      'list-shards ?max-results=2&shard-filter-type=AT_TIMESTAMP&shard-filter-timestamp=1700000000.500',
      `list-shards ?max-results=2&next-token=${token(1)}`,
      `list-shards ?max-results=2&next-token=${token(3)}`,
    ]);
  });

  it('awaited, gives the first page in camelCase; a standalone function does the same', async () => {
    const fake = new FakeKinesis('events', [{ id: id(0), closed: true, records: [rec(1)] }]);
    server.use(...fake.handlers());
    const { client } = makeClient();
    const page = await client.listShards({ streamName: 'events', exclusiveStartShardId: id(9) });
    expect(page.nextToken).toBeUndefined();
    expect(page.shards[0]).toMatchObject({
      shardId: id(0),
      hashKeyRange: { startingHashKey: '0' },
      sequenceNumberRange: { startingSequenceNumber: '1', endingSequenceNumber: '1' },
    });
    const core = new KproxyCore({ endpoint: ENDPOINT, clock: new FakeClock() });
    const token = Buffer.from(id(0)).toString('base64');
    expect((await listShards(core, { streamName: 'events', nextToken: token })).shards).toEqual([]);
    expect(fake.calls.at(-1)).toBe(`list-shards ?next-token=${encodeURIComponent(token)}`);
  });

  it('refuses bad parameters before sending, naming the field', async () => {
    const { client } = makeClient();
    const refused = (params: Parameters<typeof client.listShards>[0]) =>
      expect(client.listShards(params)).rejects.toBeInstanceOf(InputError);
    await refused({ streamName: 'events', maxResults: 0 });
    await refused({ streamName: 'events', maxResults: 10_001 });
    await refused({ streamName: 'events', nextToken: 't', shardFilter: { type: 'AT_LATEST' } });
    await refused({ streamName: 'events', nextToken: 't', exclusiveStartShardId: id(0) });
    await refused({ streamName: 'events', shardFilter: { type: 'AFTER_SHARD_ID' } });
    await refused({ streamName: 'events', shardFilter: { type: 'AT_TIMESTAMP' } });
    await refused({ streamName: 'events', shardFilter: { type: 'AT_LATEST', shardId: id(0) } });
    await refused({ streamName: 'events', shardFilter: { type: 'AT_LATEST', timestamp: new Date() } });
    await refused({ streamName: 'events', shardFilter: { type: 'LATEST' as never } });
    await expect(
      client.listShards({ streamName: 'events', shardFilter: { type: 'AFTER_SHARD_ID' } }),
    ).rejects.toMatchObject({ field: 'shardFilter.shardId' });
  });
});

describe('updateShardCount and describeStreamSummary', () => {
  const summary = (status: string, open: number) => ({
    StreamDescriptionSummary: {
      StreamName: 'demo',
      StreamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/demo',
      StreamStatus: status,
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: 1_700_000_000.25,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      OpenShardCount: open,
    },
  });

  it('sends the target (and the scaling type when given); waits for ACTIVE with the target count', async () => {
    const bodies: string[] = [];
    const seen = [summary('UPDATING', 2), summary('UPDATING', 3), summary('ACTIVE', 4)];
    let polls = 0;
    server.use(
      http.put(`${BASE}/streams/demo/shard-count`, async ({ request }) => {
        bodies.push(await request.text());
        return HttpResponse.json({ StreamName: 'demo', CurrentShardCount: 2, TargetShardCount: 4 });
      }),
      http.get(`${BASE}/streams/demo/summary`, () => HttpResponse.json(seen[Math.min(polls++, 2)])),
    );
    const { client, clock } = makeClient();
    const result = await client.updateShardCount({ streamName: 'demo', targetShardCount: 4 }, { wait: true });
    expect(result).toEqual({ streamName: 'demo', currentShardCount: 2, targetShardCount: 4 });
    expect(polls).toBe(3);
    expect(clock.sleeps).toEqual([1000, 1000]);
    await client.updateShardCount({
      streamName: 'demo',
      targetShardCount: 4,
      scalingType: 'UNIFORM_SCALING',
    });
    expect(bodies).toEqual([
      '{"TargetShardCount":4}',
      '{"TargetShardCount":4,"ScalingType":"UNIFORM_SCALING"}',
    ]);
    await expect(client.updateShardCount({ streamName: 'demo', targetShardCount: 0 })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      client.updateShardCount({ streamName: 'demo', targetShardCount: 2, scalingType: 'HALF' as never }),
    ).rejects.toMatchObject({ field: 'scalingType' });
  });

  it('a wait that times out says what it last saw', async () => {
    server.use(http.get(`${BASE}/streams/demo/summary`, () => HttpResponse.json(summary('ACTIVE', 3))));
    const { client } = makeClient();
    const error = await client
      .waitForShardCount({ streamName: 'demo', openShardCount: 4, timeout: 3000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardCountWaitTimeoutError);
    expect(error).toBeInstanceOf(StreamWaitTimeoutError);
    expect((error as Error).message).toBe(
      'Stream demo did not become ACTIVE with 4 open shards within 3 s: it was still ACTIVE with 3',
    );
  });

  it('describeStreamSummary gives the summary in camelCase, the creation time as a Date', async () => {
    server.use(http.get(`${BASE}/streams/demo/summary`, () => HttpResponse.json(summary('ACTIVE', 4))));
    const { client } = makeClient();
    const described = await client.describeStreamSummary({ streamName: 'demo' });
    expect(described).toEqual({
      streamName: 'demo',
      streamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/demo',
      streamStatus: 'ACTIVE',
      retentionPeriodHours: 24,
      streamCreationTimestamp: new Date(1_700_000_000_250),
      enhancedMonitoring: [{ shardLevelMetrics: [] }],
      openShardCount: 4,
    });
  });
});

describe('shard discovery', () => {
  it('lists shards with ListShards where the API has the route, and says so', async () => {
    const fake = new FakeKinesis('events', [{ id: id(0), records: [rec(1)] }]);
    server.use(...fake.handlers());
    const { client } = makeClient();
    const told: ShardDiscovery[] = [];
    const seen: string[] = [];
    for await (const record of client.readStream({
      streamName: 'events',
      follow: false,
      onShardDiscovery: (d) => told.push(d),
    })) {
      seen.push(record.sequenceNumber);
    }
    expect(seen).toEqual(['1']);
    expect(told).toEqual([{ streamName: 'events', method: 'ListShards', shards: 1 }]);
    expect(fake.calls.filter((c) => c.startsWith('describe'))).toEqual([]);
  });

  it('falls back to DescribeStream on a deployment made from the seeds, once per connection', async () => {
    const fake = new FakeKinesis('events', [
      { id: id(0), closed: true, records: [rec(1)] },
      { id: id(1), parents: [id(0)], records: [rec(2)] },
    ]);
    fake.seedRoutesOnly = true;
    fake.omitChildShards = true;
    server.use(...fake.handlers());
    const { client } = makeClient();
    const told: ShardDiscovery[] = [];
    const read = async () => {
      const seen: string[] = [];
      for await (const record of client.readStream({
        streamName: 'events',
        follow: false,
        onShardDiscovery: (d) => told.push(d),
      })) {
        seen.push(record.sequenceNumber);
      }
      return seen;
    };
    expect(await read()).toEqual(['1', '2']);
    expect(await read()).toEqual(['1', '2']);
    expect(told[0]).toEqual({
      streamName: 'events',
      method: 'DescribeStream',
      shards: 2,
      fallbackReason:
        'ListShards answered HTTP 403 (MissingAuthenticationTokenException): the API has no /shards route',
    });
    expect(told.slice(1).every((d) => d.method === 'DescribeStream' && d.fallbackReason === undefined)).toBe(
      true,
    );
    // One ListShards in all: the connection remembers; every later listing is a DescribeStream.
    expect(fake.calls.filter((c) => c.startsWith('list-shards'))).toHaveLength(1);
    expect(fake.calls.filter((c) => c.startsWith('describe')).length).toBeGreaterThanOrEqual(3);
  });

  it('does not fall back for other errors, nor remember a fallback that failed too', async () => {
    const missing = () =>
      HttpResponse.json(
        { message: 'Missing Authentication Token' },
        { status: 403, headers: { 'x-amzn-errortype': 'MissingAuthenticationTokenException' } },
      );
    let listings = 0;
    server.use(
      http.get(`${BASE}/streams/events/shards`, () => {
        listings++;
        return missing();
      }),
      // An unsigned request to an IAM API: every route answers the same 403.
      http.get(`${BASE}/streams/events`, missing),
      http.get(`${BASE}/streams/gone/shards`, () =>
        HttpResponse.json(kinesisError('ResourceNotFoundException', 'Stream gone not found.'), {
          status: 404,
        }),
      ),
    );
    const { client } = makeClient();
    const reading = (streamName: string) => client.readStream({ streamName, follow: false }).start();
    await expect(reading('events')).rejects.toMatchObject({ name: 'AuthError', status: 403 });
    await expect(reading('events')).rejects.toMatchObject({ name: 'AuthError' });
    expect(listings).toBe(2);
    await expect(reading('gone')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('isMissingRoute: 403 Missing Authentication Token or a bare 404, never a Kinesis error', async () => {
    const errorFor = async (
      status: number,
      body: Record<string, string>,
      headers: Record<string, string> = {},
    ) => {
      server.use(http.get(`${BASE}/streams/x/summary`, () => HttpResponse.json(body, { status, headers })));
      const { client } = makeClient({ maxRetries: 0 });
      return client.describeStreamSummary({ streamName: 'x' }).catch((e: unknown) => e);
    };
    expect(isMissingRoute(await errorFor(403, { message: 'Missing Authentication Token' }))).toBe(true);
    expect(isMissingRoute(await errorFor(404, { message: 'Not Found' }))).toBe(true);
    expect(isMissingRoute(await errorFor(403, { message: 'Forbidden' }))).toBe(false);
    expect(isMissingRoute(await errorFor(404, kinesisError('ResourceNotFoundException')))).toBe(false);
    expect(isMissingRoute(new Error('x'))).toBe(false);
  });
});
