/** Each of the eight operations: the request it sends (from the contract) and the result it maps. */

import { LOCAL_DEFAULT_ENDPOINT, PutRecordsBody } from '@kproxy/contract';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { KproxyClient } from '../src/index.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();

interface Captured {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** Answers `response` to any request and records what arrived. */
function capture(response: unknown, status = 200): Captured[] {
  const seen: Captured[] = [];
  server.use(
    http.all(`${BASE}/*`, async ({ request }) => {
      seen.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: await request.text(),
      });
      return response === undefined
        ? new HttpResponse(null, { status })
        : HttpResponse.json(response, { status });
    }),
  );
  return seen;
}

describe('listStreams', () => {
  it('GETs /streams with paging parameters and maps the page', async () => {
    const seen = capture({
      StreamNames: ['a', 'b'],
      HasMoreStreams: false,
      StreamSummaries: [
        { StreamName: 'a', StreamARN: 'arn:a', StreamStatus: 'ACTIVE', StreamCreationTimestamp: 1700000000 },
      ],
    });
    const { client } = makeClient();
    const page = await client.listStreams({ limit: 2, exclusiveStartStreamName: 'x' });
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url.pathname).toBe('/v1/streams');
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({
      limit: '2',
      'exclusive-start-stream-name': 'x',
    });
    expect(page).toEqual({
      streamNames: ['a', 'b'],
      hasMoreStreams: false,
      streamSummaries: [
        {
          streamName: 'a',
          streamARN: 'arn:a',
          streamStatus: 'ACTIVE',
          streamCreationTimestamp: new Date(1700000000_000),
        },
      ],
    });
  });

  it('sends nothing until awaited or iterated', async () => {
    const seen = capture({ StreamNames: [], HasMoreStreams: false });
    const { client } = makeClient();
    client.listStreams();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toHaveLength(0);
  });
});

describe('createStream', () => {
  it('POSTs {"ShardCount"} to /streams/{name}', async () => {
    const seen = capture(undefined);
    const { client } = makeClient();
    await expect(client.createStream({ streamName: 'orders', shardCount: 2 })).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"ShardCount":2}' });
    expect(seen[0]!.url.pathname).toBe('/v1/streams/orders');
    expect(seen[0]!.headers.get('content-type')).toBe('application/json');
  });

  it('sends StreamMode for on-demand streams', async () => {
    const seen = capture({});
    const { client } = makeClient();
    await client.createStream({ streamName: 'orders', streamMode: 'ON_DEMAND' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ StreamMode: 'ON_DEMAND' });
  });
});

describe('describeStream', () => {
  it('GETs /streams/{name} and maps the description to camelCase', async () => {
    const seen = capture({
      StreamDescription: {
        StreamName: 'orders',
        StreamARN: 'arn:aws:kinesis:eu-west-1:1:stream/orders',
        StreamStatus: 'ACTIVE',
        HasMoreShards: false,
        RetentionPeriodHours: 24,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        EncryptionType: 'NONE',
        Shards: [
          {
            ShardId: 'shardId-000000000001',
            ParentShardId: 'shardId-000000000000',
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: '99' },
            SequenceNumberRange: { StartingSequenceNumber: '4959' },
          },
        ],
        SomeFutureField: true,
      },
    });
    const { client } = makeClient();
    const d = await client.describeStream({ streamName: 'orders', limit: 10 });
    expect(seen[0]!.url.pathname).toBe('/v1/streams/orders');
    expect(seen[0]!.url.searchParams.get('limit')).toBe('10');
    expect(d).toEqual({
      streamName: 'orders',
      streamARN: 'arn:aws:kinesis:eu-west-1:1:stream/orders',
      streamStatus: 'ACTIVE',
      hasMoreShards: false,
      retentionPeriodHours: 24,
      streamModeDetails: { streamMode: 'PROVISIONED' },
      encryptionType: 'NONE',
      shards: [
        {
          shardId: 'shardId-000000000001',
          parentShardId: 'shardId-000000000000',
          hashKeyRange: { startingHashKey: '0', endingHashKey: '99' },
          sequenceNumberRange: { startingSequenceNumber: '4959' },
        },
      ],
    });
  });
});

describe('deleteStream', () => {
  it('DELETEs /streams/{name}', async () => {
    const seen = capture({});
    const { client } = makeClient();
    await expect(client.deleteStream({ streamName: 'orders' })).resolves.toBeUndefined();
    expect(seen[0]).toMatchObject({ method: 'DELETE', body: '' });
    expect(seen[0]!.url.pathname).toBe('/v1/streams/orders');
  });
});

describe('putRecord', () => {
  it('PUTs {"Data","PartitionKey"} with text data as is', async () => {
    const seen = capture({
      ShardId: 'shardId-000000000000',
      SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    });
    const { client } = makeClient();
    const result = await client.putRecord({
      streamName: 'orders',
      data: 'héllo "x"',
      partitionKey: 'k1',
      explicitHashKey: '42',
    });
    expect(seen[0]!.method).toBe('PUT');
    expect(seen[0]!.url.pathname).toBe('/v1/streams/orders/record');
    expect(JSON.parse(seen[0]!.body)).toEqual({
      Data: 'héllo "x"',
      PartitionKey: 'k1',
      ExplicitHashKey: '42',
    });
    expect(result).toEqual({
      shardId: 'shardId-000000000000',
      sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    });
    expect(typeof result.sequenceNumber).toBe('string');
  });

  it('sends bytes as base64 with Encoding, and JSON values as their JSON text', async () => {
    const seen = capture({ ShardId: 's', SequenceNumber: '1' });
    const { client } = makeClient();
    await client.putRecord({ streamName: 'orders', data: new Uint8Array([0, 255, 1]), partitionKey: 'k' });
    await client.putRecord({ streamName: 'orders', data: { a: 1, b: [true, null] }, partitionKey: 'k' });
    await client.putRecord({
      streamName: 'orders',
      data: 42,
      partitionKey: 'k',
      sequenceNumberForOrdering: '7',
    });
    expect(JSON.parse(seen[0]!.body)).toEqual({ Data: 'AP8B', PartitionKey: 'k', Encoding: 'base64' });
    expect(JSON.parse(seen[1]!.body)).toEqual({ Data: '{"a":1,"b":[true,null]}', PartitionKey: 'k' });
    expect(JSON.parse(seen[2]!.body)).toEqual({
      Data: '42',
      PartitionKey: 'k',
      SequenceNumberForOrdering: '7',
    });
  });
});

describe('putRecords', () => {
  it('PUTs {"records":[{"data","partition-key"}]} and maps results in order', async () => {
    const seen = capture({
      FailedRecordCount: 1,
      Records: [
        { SequenceNumber: '1', ShardId: 'shardId-000000000000' },
        { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' },
      ],
    });
    const { client } = makeClient();
    const result = await client.putRecords({
      streamName: 'orders',
      records: [
        { data: 'a', partitionKey: 'k1' },
        { data: new Uint8Array([1, 2]), partitionKey: 'k2', explicitHashKey: '5' },
      ],
    });
    expect(seen[0]!.url.pathname).toBe('/v1/streams/orders/records');
    expect(JSON.parse(seen[0]!.body)).toEqual({
      records: [
        { data: 'a', 'partition-key': 'k1' },
        { data: 'AQI=', 'partition-key': 'k2', 'explicit-hash-key': '5', encoding: 'base64' },
      ],
    });
    expect(result).toEqual({
      failedRecordCount: 1,
      records: [
        { sequenceNumber: '1', shardId: 'shardId-000000000000' },
        { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' },
      ],
    });
  });

  it('escapes hostile text exactly, and counts the body it sends to the byte', async () => {
    const records = [
      { data: 'quote " back\\ slash\n\t\u0001 é € 😀', partitionKey: 'k"\\}ключ' },
      { data: { nested: ['"', '\\'] }, partitionKey: '😀', explicitHashKey: '0' },
      { data: new Uint8Array([0, 255]), partitionKey: 'b' },
    ];
    const seen = capture({ Records: records.map(() => ({ SequenceNumber: '1', ShardId: 's' })) });
    await makeClient().client.putRecords({ streamName: 'orders', records });
    const body = seen[0]!.body;
    expect(PutRecordsBody.parse(JSON.parse(body))).toEqual({
      records: [
        { data: records[0]!.data, 'partition-key': records[0]!.partitionKey },
        { data: '{"nested":["\\"","\\\\"]}', 'partition-key': '😀', 'explicit-hash-key': '0' },
        { data: 'AP8=', 'partition-key': 'b', encoding: 'base64' },
      ],
    });
    // The size check before sending uses the same count: the exact size passes, one byte less does not.
    const size = Buffer.byteLength(body);
    const exact = makeClient({ limits: { maxRequestBodyBytes: size } }).client;
    await expect(exact.putRecords({ streamName: 'orders', records })).resolves.toBeDefined();
    const under = makeClient({ limits: { maxRequestBodyBytes: size - 1 } }).client;
    await expect(under.putRecords({ streamName: 'orders', records })).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(`make a ${size}-byte request body`),
    });
  });

  it('rejects a response with a different number of results', async () => {
    capture({ Records: [] });
    const { client } = makeClient();
    await expect(
      client.putRecords({ streamName: 'orders', records: [{ data: 'a', partitionKey: 'k' }] }),
    ).rejects.toMatchObject({ name: 'ResponseValidationError' });
  });
});

describe('getShardIterator', () => {
  it('defaults to TRIM_HORIZON and passes type, sequence number and timestamp as query parameters', async () => {
    const seen = capture({ ShardIterator: 'AAAA' });
    const { client } = makeClient();
    expect(await client.getShardIterator({ streamName: 's', shardId: 'shardId-000000000000' })).toEqual({
      shardIterator: 'AAAA',
    });
    await client.getShardIterator({
      streamName: 's',
      shardId: 'shardId-000000000000',
      type: 'AFTER_SEQUENCE_NUMBER',
      startingSequenceNumber: '123',
    });
    await client.getShardIterator({
      streamName: 's',
      shardId: 'shardId-000000000000',
      type: 'AT_TIMESTAMP',
      timestamp: new Date(1700000000_500),
    });
    expect(seen[0]!.url.pathname).toBe('/v1/streams/s/sharditerator');
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({
      'shard-id': 'shardId-000000000000',
      'shard-iterator-type': 'TRIM_HORIZON',
    });
    expect(Object.fromEntries(seen[1]!.url.searchParams)).toMatchObject({
      'shard-iterator-type': 'AFTER_SEQUENCE_NUMBER',
      'starting-sequence-number': '123',
    });
    expect(seen[2]!.url.searchParams.get('timestamp')).toBe('1700000000.500');
  });
});

describe('getRecords', () => {
  it('sends the iterator in the Shard-Iterator header and decodes records', async () => {
    const seen = capture({
      Records: [
        {
          SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
          PartitionKey: 'k',
          Data: Buffer.from('{"n":1}').toString('base64'),
          ApproximateArrivalTimestamp: 1700000000.25,
        },
      ],
      NextShardIterator: 'next',
      MillisBehindLatest: 0,
    });
    const { client } = makeClient();
    const result = await client.getRecords({ streamName: 's', shardIterator: 'it/+=', limit: 5 });
    expect(seen[0]!.url.pathname).toBe('/v1/streams/s/records');
    expect(seen[0]!.headers.get('shard-iterator')).toBe('it/+=');
    expect(seen[0]!.url.searchParams.get('limit')).toBe('5');
    const [record] = result.records;
    expect(record!.sequenceNumber).toBe('49590338271490256608559692538361571095921575989136588898');
    expect(record!.data).toEqual(new Uint8Array(Buffer.from('{"n":1}')));
    expect(record!.text()).toBe('{"n":1}');
    expect(record!.json()).toEqual({ n: 1 });
    expect(record!.approximateArrivalTimestamp).toEqual(new Date(1700000000_250));
    expect(Object.keys(record!)).not.toContain('text');
    expect(JSON.parse(JSON.stringify(record))).not.toHaveProperty('text');
    expect(result.nextShardIterator).toBe('next');
    expect(result.millisBehindLatest).toBe(0);
  });

  it('maps a closed shard: null iterator and child shards', async () => {
    capture({
      Records: [],
      NextShardIterator: null,
      ChildShards: [
        { ShardId: 'c1', ParentShards: ['p'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' } },
      ],
    });
    const { client } = makeClient();
    const result = await client.getRecords({ streamName: 's', shardIterator: 'x' });
    expect(result.nextShardIterator).toBeNull();
    expect(result.childShards).toEqual([
      { shardId: 'c1', parentShards: ['p'], hashKeyRange: { startingHashKey: '0', endingHashKey: '9' } },
    ]);
  });
});

describe('client options', () => {
  it('sends extra headers and the API key, and strips a trailing slash from the endpoint', async () => {
    const seen = capture({ StreamNames: [], HasMoreStreams: false });
    const { client } = makeClient({
      endpoint: `${BASE}/`,
      headers: { 'X-Trace': 't1' },
      auth: { type: 'apiKey', apiKey: 'secret-key' },
    });
    await client.listStreams();
    expect(seen[0]!.url.pathname).toBe('/v1/streams');
    expect(seen[0]!.headers.get('x-trace')).toBe('t1');
    expect(seen[0]!.headers.get('x-api-key')).toBe('secret-key');
    expect(seen[0]!.headers.get('authorization')).toBeNull();
  });

  it('parses the region from an execute-api host and defaults to us-east-1 elsewhere', () => {
    expect(new KproxyClient({ endpoint: BASE }).region).toBe('eu-west-1');
    expect(new KproxyClient({ endpoint: LOCAL_DEFAULT_ENDPOINT }).region).toBe('us-east-1');
    expect(new KproxyClient({ endpoint: BASE, region: 'ap-south-1' }).region).toBe('ap-south-1');
  });

  it('rejects a missing or malformed endpoint', () => {
    expect(() => new KproxyClient({ endpoint: '' })).toThrow(/endpoint/);
    expect(() => new KproxyClient({ endpoint: 'not a url' })).toThrow(/not a URL/);
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const client = new KproxyClient({
      endpoint: LOCAL_DEFAULT_ENDPOINT,
      fetch: async (input) => {
        calls.push(input instanceof Request ? input.url : String(input));
        return Response.json({ StreamNames: ['x'], HasMoreStreams: false });
      },
    });
    expect((await client.listStreams()).streamNames).toEqual(['x']);
    expect(calls).toEqual(['http://127.0.0.1:4600/v1/streams']);
  });
});
