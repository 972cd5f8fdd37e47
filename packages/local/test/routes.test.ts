import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { b64, memoryLogger, request, unb64 } from './helpers.ts';

let proxy: LocalProxy;
const logger = memoryLogger();

beforeAll(async () => {
  proxy = await startLocalProxy({ port: 0, inMemory: true, logger });
});
afterAll(() => proxy.close());

describe('every route against the embedded engine', () => {
  const stream = 'routes-stream';

  it('listens on a free port and reports the stage URL', () => {
    expect(proxy.port).toBeGreaterThan(0);
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}/v1`);
    expect(proxy.engine).toMatch(/in memory/);
  });

  it('creates, lists and describes a stream (ShardCount defaults to 5)', async () => {
    const created = await request(`${proxy.url}/streams/${stream}`, { method: 'POST', body: {} });
    expect(created.status).toBe(200);
    // Kinesis answers CreateStream with an empty body, and the API passes it through.
    expect(created.text).toBe('');

    const listed = await request(`${proxy.url}/streams`);
    expect(listed.status).toBe(200);
    expect(listed.body.StreamNames).toContain(stream);
    expect(listed.body.HasMoreStreams).toBe(false);

    const described = await request(`${proxy.url}/streams/${stream}`);
    expect(described.status).toBe(200);
    expect(described.body.StreamDescription.StreamName).toBe(stream);
    expect(described.body.StreamDescription.Shards).toHaveLength(5);
  });

  it('pages ListStreams and DescribeStream with limit and exclusive start', async () => {
    await request(`${proxy.url}/streams/routes-stream-2`, { method: 'POST', body: { ShardCount: 1 } });
    const page = await request(`${proxy.url}/streams?limit=1`);
    expect(page.body.StreamNames).toHaveLength(1);
    expect(page.body.HasMoreStreams).toBe(true);
    const next = await request(
      `${proxy.url}/streams?limit=1&exclusive-start-stream-name=${page.body.StreamNames[0]}`,
    );
    expect(next.body.StreamNames).toHaveLength(1);
    expect(next.body.StreamNames[0]).not.toBe(page.body.StreamNames[0]);

    // kinesalite validates but ignores DescribeStream paging (the kinesis-local suite checks paging);
    // an out-of-range limit reaching Kinesis proves the parameter is passed on.
    const shards = await request(
      `${proxy.url}/streams/${stream}?limit=2&exclusive-start-shard-id=shardId-000000000001`,
    );
    expect(shards.status).toBe(200);
    const outOfRange = await request(`${proxy.url}/streams/${stream}?limit=10001`);
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.__type).toMatch(/ValidationException/);
    expect(outOfRange.body.message).toMatch(/limit/i);
  });

  it('puts records in both shapes and reads them back byte for byte', async () => {
    const one = await request(`${proxy.url}/streams/${stream}/record`, {
      method: 'PUT',
      body: { Data: 'héllo "wörld" 🎉\n', PartitionKey: 'k1', ExplicitHashKey: '0' },
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ ShardId: 'shardId-000000000000', SequenceNumber: expect.any(String) });

    const binary = Buffer.from([0, 255, 1, 254]).toString('base64');
    const many = await request(`${proxy.url}/streams/${stream}/records`, {
      method: 'PUT',
      body: {
        records: [
          { data: 'second', 'partition-key': 'k2', 'explicit-hash-key': '0' },
          { data: binary, 'partition-key': 'k3', 'explicit-hash-key': '0', encoding: 'base64' },
        ],
      },
    });
    expect(many.status).toBe(200);
    expect(many.body.FailedRecordCount).toBe(0);
    expect(many.body.Records).toHaveLength(2);

    const iterator = await request(
      `${proxy.url}/streams/${stream}/sharditerator?shard-id=shardId-000000000000`,
    );
    expect(iterator.status).toBe(200);
    expect(iterator.body.ShardIterator).toEqual(expect.any(String));

    const read = await request(`${proxy.url}/streams/${stream}/records`, {
      headers: { 'Shard-Iterator': iterator.body.ShardIterator },
    });
    expect(read.status).toBe(200);
    const records = read.body.Records as { Data: string; PartitionKey: string; SequenceNumber: string }[];
    expect(records.map((r) => r.PartitionKey)).toEqual(['k1', 'k2', 'k3']);
    expect(unb64(records[0]!.Data)).toBe('héllo "wörld" 🎉\n');
    expect(records[1]!.Data).toBe(b64('second'));
    expect(records[2]!.Data).toBe(binary);
    expect(records[0]!.SequenceNumber).toBe(one.body.SequenceNumber);

    const limited = await request(`${proxy.url}/streams/${stream}/records?limit=1`, {
      headers: { 'Shard-Iterator': iterator.body.ShardIterator },
    });
    expect(limited.body.Records).toHaveLength(1);
    expect(limited.body.NextShardIterator).toEqual(expect.any(String));
  });

  it('stores text as API Gateway would: an unpaired surrogate as "?", DEL dropped from a string with an escape', async () => {
    const name = 'routes-java-text';
    await request(`${proxy.url}/streams/${name}`, { method: 'POST', body: { ShardCount: 1 } });
    // JSON.stringify escapes the lone surrogate as \ud800; the Java stack decodes it and encodes it as "?".
    const put = await request(`${proxy.url}/streams/${name}/records`, {
      method: 'PUT',
      body: {
        records: [
          { data: 'a\ud800b', 'partition-key': 'k\udfff' },
          { data: 'del\u007f"quoted"', 'partition-key': 'plain\u007f' },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.FailedRecordCount).toBe(0);
    const iterator = await request(
      `${proxy.url}/streams/${name}/sharditerator?shard-id=shardId-000000000000`,
    );
    const read = await request(`${proxy.url}/streams/${name}/records`, {
      headers: { 'Shard-Iterator': iterator.body.ShardIterator },
    });
    const records = read.body.Records as { Data: string; PartitionKey: string }[];
    expect(records.map((r) => unb64(r.Data))).toEqual(['a?b', 'del"quoted"']);
    // DEL survives where the string has no escape (json-smart reads it as it is).
    expect(records.map((r) => r.PartitionKey)).toEqual(['k?', 'plain\u007f']);
  });

  it('starts an iterator after a sequence number', async () => {
    const put = await request(`${proxy.url}/streams/routes-stream-2/record`, {
      method: 'PUT',
      body: { Data: 'a', PartitionKey: 'a' },
    });
    await request(`${proxy.url}/streams/routes-stream-2/record`, {
      method: 'PUT',
      body: { Data: 'b', PartitionKey: 'b' },
    });
    const iterator = await request(
      `${proxy.url}/streams/routes-stream-2/sharditerator?shard-id=shardId-000000000000&shard-iterator-type=AFTER_SEQUENCE_NUMBER&starting-sequence-number=${put.body.SequenceNumber}`,
    );
    expect(iterator.status).toBe(200);
    const read = await request(`${proxy.url}/streams/routes-stream-2/records`, {
      headers: { 'shard-iterator': iterator.body.ShardIterator },
    });
    expect(read.body.Records.map((r: { Data: string }) => unb64(r.Data))).toEqual(['b']);
  });

  it('maps Kinesis errors to 404 and 409 and keeps the Kinesis body', async () => {
    const missing = await request(`${proxy.url}/streams/no-such-stream`);
    expect(missing.status).toBe(404);
    expect(missing.body.__type).toBe('ResourceNotFoundException');
    expect(missing.body.message).toMatch(/no-such-stream/);

    const again = await request(`${proxy.url}/streams/${stream}`, {
      method: 'POST',
      body: { ShardCount: 1 },
    });
    expect(again.status).toBe(409);
    expect(again.body.__type).toBe('ResourceInUseException');

    const badIterator = await request(`${proxy.url}/streams/${stream}/records`, {
      headers: { 'Shard-Iterator': 'not-an-iterator' },
    });
    expect(badIterator.status).toBe(400);
    expect(badIterator.body.__type).toMatch(/InvalidArgumentException/);
  });

  it('deletes a stream', async () => {
    const deleted = await request(`${proxy.url}/streams/routes-stream-2`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const listed = await request(`${proxy.url}/streams`);
    expect(listed.body.StreamNames).not.toContain('routes-stream-2');
  });

  it('logs one line per request without headers or bodies', () => {
    expect(logger.lines).toContainEqual(expect.stringMatching(/^GET \/v1\/streams 200 \d+\.\dms$/));
    expect(logger.lines.join('\n')).not.toMatch(/héllo|Shard-Iterator|AAAA/);
  });
});
