/** `waitForStream` and `createStream(…, { wait })`: polling DescribeStream with a fake clock. */
import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  KproxyClient,
  type ListStreamsPage,
  type StreamDescription,
  StreamWaitTimeoutError,
  type WaitableStreamStatus,
} from '../src/index.ts';
import { BASE, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();

const description = (status: string) => ({
  StreamDescription: {
    StreamName: 'demo',
    StreamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/demo',
    StreamStatus: status,
    Shards: [],
    HasMoreShards: false,
  },
});

/** DescribeStream answers each status in turn (the last one from then on); records each `limit`. */
function statuses(...sequence: (string | 'missing')[]): { limits: (string | null)[] } {
  const seen = { limits: [] as (string | null)[] };
  server.use(
    http.get(`${BASE}/streams/demo`, ({ request }) => {
      seen.limits.push(new URL(request.url).searchParams.get('limit'));
      const status = sequence[Math.min(seen.limits.length - 1, sequence.length - 1)]!;
      return status === 'missing'
        ? HttpResponse.json(kinesisError('ResourceNotFoundException', 'Stream demo not found.'), {
            status: 404,
          })
        : HttpResponse.json(description(status));
    }),
  );
  return seen;
}

describe('waitForStream', () => {
  it('polls until ACTIVE, a poll interval apart, asking for one shard only', async () => {
    const seen = statuses('CREATING', 'CREATING', 'ACTIVE');
    const { client, clock } = makeClient();
    await expect(client.waitForStream({ streamName: 'demo' })).resolves.toBe('ACTIVE');
    expect(seen.limits).toEqual(['1', '1', '1']);
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it('DELETED waits until the stream is gone', async () => {
    statuses('DELETING', 'missing');
    const { client } = makeClient();
    await expect(client.waitForStream({ streamName: 'demo', status: 'DELETED' })).resolves.toBe('DELETED');
  });

  it('times out with the status it last saw', async () => {
    statuses('CREATING');
    const { client, clock } = makeClient();
    const error = await client
      .waitForStream({ streamName: 'demo', timeout: 5000, pollInterval: 2000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamWaitTimeoutError);
    expect((error as Error).message).toBe(
      'Stream demo did not become ACTIVE within 5 s: its status was still CREATING',
    );
    expect(error).toMatchObject({ streamName: 'demo', status: 'ACTIVE', lastStatus: 'CREATING' });
    // Never sleeps past the deadline.
    expect(clock.sleeps).toEqual([2000, 2000, 1000]);
  });

  it('a delete that does not finish says so', async () => {
    statuses('DELETING');
    const { client } = makeClient();
    await expect(
      client.waitForStream({ streamName: 'demo', status: 'DELETED', timeout: 1000 }),
    ).rejects.toThrow('Stream demo was not deleted within 1 s: its status was still DELETING');
  });

  it('the signal stops it', async () => {
    statuses('CREATING');
    const { client } = makeClient();
    const controller = new AbortController();
    const waiting = client.waitForStream({ streamName: 'demo', signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});

describe('createStream with wait', () => {
  it('creates, then resolves once the stream is ACTIVE', async () => {
    let created = 0;
    server.use(
      http.post(`${BASE}/streams/demo`, () => {
        created++;
        return HttpResponse.json({});
      }),
    );
    const seen = statuses('CREATING', 'ACTIVE');
    const { client, clock } = makeClient();
    await client.createStream({ streamName: 'demo', shardCount: 1 }, { wait: { pollInterval: 250 } });
    expect(created).toBe(1);
    expect(seen.limits).toHaveLength(2);
    expect(clock.sleeps).toEqual([250]);
  });

  it('without wait, sends no DescribeStream', async () => {
    server.use(http.post(`${BASE}/streams/demo`, () => HttpResponse.json({})));
    const seen = statuses('CREATING');
    const { client } = makeClient();
    await client.createStream({ streamName: 'demo' });
    expect(seen.limits).toEqual([]);
  });
});

describe('types', () => {
  const client = new KproxyClient({ endpoint: 'http://127.0.0.1:4600/v1' });

  it('PagePromise is assignable to Promise of its first page', () => {
    // Compiled, never called: nothing is sent.
    const pages = (): Promise<ListStreamsPage> => client.listStreams();
    const description = (): Promise<StreamDescription> => client.describeStream({ streamName: 's' });
    const all = () => Promise.all([client.listStreams(), client.describeStream({ streamName: 's' })]);
    expectTypeOf(pages).returns.toEqualTypeOf<Promise<ListStreamsPage>>();
    expectTypeOf(description).returns.toEqualTypeOf<Promise<StreamDescription>>();
    expectTypeOf(all).returns.resolves.toEqualTypeOf<[ListStreamsPage, StreamDescription]>();
    expectTypeOf(client.listStreams()).toExtend<Promise<ListStreamsPage>>();
  });

  it('waitForStream and createStream({ wait })', () => {
    expectTypeOf(client.waitForStream).returns.resolves.toEqualTypeOf<WaitableStreamStatus>();
    expectTypeOf(client.waitForStream).toBeCallableWith({ streamName: 's', status: 'DELETED', timeout: 1 });
    // @ts-expect-error not a status
    expectTypeOf(client.waitForStream).toBeCallableWith({ streamName: 's', status: 'GONE' });
    expectTypeOf(client.createStream).toBeCallableWith({ streamName: 's' }, { wait: true });
    expectTypeOf(client.createStream).toBeCallableWith({ streamName: 's' }, { wait: { timeout: 60_000 } });
    expectTypeOf(client.createStream).returns.resolves.toBeVoid();
  });
});
