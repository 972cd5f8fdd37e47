/** API Gateway's own answers, before and around the Kinesis call. */
import { LIMITS } from '@kproxy/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { memoryLogger, request } from './helpers.ts';

let proxy: LocalProxy;
let origin: string;

beforeAll(async () => {
  proxy = await startLocalProxy({ port: 0, inMemory: true, logger: memoryLogger() });
  origin = new URL(proxy.url).origin;
  await request(`${proxy.url}/streams/gw`, { method: 'POST', body: { ShardCount: 1 } });
});
afterAll(() => proxy.close());

describe('Missing Authentication Token', () => {
  it.each([
    ['an unknown stage', 'GET', '/prod/streams'],
    ['no stage', 'GET', '/streams'],
    ['an unknown resource', 'GET', '/v1/nothing'],
    ['a method the resource lacks', 'PATCH', '/v1/streams'],
    ['POST on /streams', 'POST', '/v1/streams'],
    ['a missing path parameter', 'GET', '/v1/streams//records'],
    ['the root', 'GET', '/'],
  ])('answers 403 for %s', async (_, method, path) => {
    const response = await request(`${origin}${path}`, { method });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ message: 'Missing Authentication Token' });
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('treats a trailing slash as the same resource', async () => {
    expect((await request(`${proxy.url}/streams/`)).status).toBe(200);
  });
});

describe('request validation', () => {
  it('lists missing required parameters', async () => {
    const noShard = await request(`${proxy.url}/streams/gw/sharditerator`);
    expect(noShard.status).toBe(400);
    expect(noShard.body).toEqual({ message: 'Missing required request parameters: [shard-id]' });
    const noIterator = await request(`${proxy.url}/streams/gw/records`);
    expect(noIterator.body).toEqual({ message: 'Missing required request parameters: [Shard-Iterator]' });
  });

  it('counts a blank required parameter as missing ("included and not blank", as AWS validates them)', async () => {
    for (const query of ['shard-id=', 'shard-id=%20%20']) {
      const blank = await request(`${proxy.url}/streams/gw/sharditerator?${query}`);
      expect(blank.status, query).toBe(400);
      expect(blank.body).toEqual({ message: 'Missing required request parameters: [shard-id]' });
    }
    const blankHeader = await request(`${proxy.url}/streams/gw/records`, {
      headers: { 'Shard-Iterator': ' ' },
    });
    expect(blankHeader.status).toBe(400);
    expect(blankHeader.body).toEqual({ message: 'Missing required request parameters: [Shard-Iterator]' });
  });

  it.each([
    ['not JSON', '{"Data": '],
    ['a missing field', { Data: 'x' }],
    ['a wrong type', { Data: 1, PartitionKey: 'k' }],
    ['an empty partition key', { Data: 'x', PartitionKey: '' }],
    ['an unknown field', { Data: 'x', PartitionKey: 'k', Extra: true }],
    ['an unknown encoding', { Data: 'x', PartitionKey: 'k', Encoding: 'hex' }],
  ])('rejects a PutRecord body with %s', async (_, body) => {
    const response = await request(`${proxy.url}/streams/gw/record`, { method: 'PUT', body });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ message: 'Invalid request body' });
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });

  it('rejects more than 500 records and an empty batch', async () => {
    const records = Array.from({ length: LIMITS.maxRecordsPerBatch + 1 }, () => ({
      data: 'x',
      'partition-key': 'k',
    }));
    expect(
      (await request(`${proxy.url}/streams/gw/records`, { method: 'PUT', body: { records } })).status,
    ).toBe(400);
    expect(
      (await request(`${proxy.url}/streams/gw/records`, { method: 'PUT', body: { records: [] } })).status,
    ).toBe(400);
  });
});

describe('content type and size', () => {
  it('answers 415 for a content type without a template', async () => {
    const response = await request(`${proxy.url}/streams/gw/record`, {
      method: 'PUT',
      body: '{"Data":"x","PartitionKey":"k"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({ message: 'Unsupported Media Type' });
  });

  it('accepts application/json with parameters, and no content type at all', async () => {
    const withCharset = await request(`${proxy.url}/streams/gw/record`, {
      method: 'PUT',
      body: '{"Data":"x","PartitionKey":"k"}',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(withCharset.status).toBe(200);
    const bare = await fetch(`${proxy.url}/streams/gw/record`, {
      method: 'PUT',
      body: new TextEncoder().encode('{"Data":"y","PartitionKey":"k"}'),
    });
    expect(bare.status).toBe(200);
  });

  it('answers 413 for a body over 10 MB', async () => {
    const big = JSON.stringify({ Data: 'x'.repeat(LIMITS.maxApiGatewayBodyBytes), PartitionKey: 'k' });
    const response = await request(`${proxy.url}/streams/gw/record`, { method: 'PUT', body: big });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ message: 'Request Too Long' });
  });
});

describe('integration failures', () => {
  it('answers 500 "Internal server error" when Kinesis cannot be reached', async () => {
    const logger = memoryLogger();
    const down = await startLocalProxy({
      port: 0,
      kinesisEndpoint: 'http://127.0.0.1:9',
      logger,
      quiet: true,
    });
    try {
      const response = await request(`${down.url}/streams`);
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ message: 'Internal server error' });
      expect(logger.lines.join('\n')).toMatch(/GET \/v1\/streams failed/);
    } finally {
      await down.close();
    }
  });
});

describe('throttling', () => {
  it('answers 429 once the bucket is empty', async () => {
    const throttled = await startLocalProxy({
      port: 0,
      inMemory: true,
      throttle: { rate: 0.001, burst: 2 },
      logger: memoryLogger(),
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await request(`${throttled.url}/streams`)).status);
      expect(statuses).toEqual([200, 200, 429]);
      const last = await request(`${throttled.url}/streams`);
      expect(last.body).toEqual({ message: 'Too Many Requests' });
    } finally {
      await throttled.close();
    }
  });
});

describe('options', () => {
  it('refuses auth modes without credentials or keys', async () => {
    await expect(startLocalProxy({ auth: 'iam', inMemory: true })).rejects.toThrow(/credentials/);
    await expect(startLocalProxy({ auth: 'api-key', inMemory: true })).rejects.toThrow(/apiKeys/);
    await expect(startLocalProxy({ stage: 'a/b', inMemory: true })).rejects.toThrow(/stage/);
  });

  it('serves another stage name', async () => {
    const prod = await startLocalProxy({ port: 0, inMemory: true, stage: 'prod', quiet: true });
    try {
      expect(prod.url).toMatch(/\/prod$/);
      expect((await request(`${prod.url}/streams`)).status).toBe(200);
      expect((await request(`${new URL(prod.url).origin}/v1/streams`)).status).toBe(403);
    } finally {
      await prod.close();
    }
  });

  it('reports a port in use instead of hanging', async () => {
    await expect(startLocalProxy({ port: proxy.port, inMemory: true })).rejects.toThrow(/EADDRINUSE/);
  });
});
