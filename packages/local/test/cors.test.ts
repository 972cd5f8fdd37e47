/** `cors`: preflights answered without auth, and the allow-origin header on every response, errors too. */
import { CORS_ALLOW_METHODS, LIMITS } from '@kproxy/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { KEY, memoryLogger, request, signedFetch } from './helpers.ts';

const PAGE = 'http://localhost:5173';
const ALLOW_HEADERS =
  'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,Shard-Iterator';

/** What a browser sends before a cross-origin request it may not send directly. */
function preflight(url: string, method: string, headers = 'content-type') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: PAGE,
      'access-control-request-method': method,
      'access-control-request-headers': headers,
    },
  });
}

function expectCorsHeaders(headers: Headers, origin = PAGE): void {
  expect(headers.get('access-control-allow-origin')).toBe(origin);
  expect(headers.get('access-control-expose-headers')).toBe('x-amzn-RequestId,x-amzn-ErrorType');
}

describe('cors on, auth none', () => {
  let proxy: LocalProxy;
  beforeAll(async () => {
    proxy = await startLocalProxy({ port: 0, inMemory: true, cors: PAGE, logger: memoryLogger() });
    await request(`${proxy.url}/streams/cors`, { method: 'POST', body: { ShardCount: 1 } });
  });
  afterAll(() => proxy.close());

  it.each([
    '/streams',
    '/streams/cors',
    '/streams/cors/',
    '/streams/cors/record',
    '/streams/cors/records',
    '/streams/cors/sharditerator',
  ])("answers a preflight on %s with 204 and the API's methods, as the deployed API does", async (path) => {
    const response = await preflight(`${proxy.url}${path}`, 'GET');
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(response.headers.get('access-control-allow-methods')).toBe(CORS_ALLOW_METHODS.join(','));
    expect(CORS_ALLOW_METHODS).toEqual(['GET', 'POST', 'DELETE', 'PUT', 'OPTIONS']);
    expect(response.headers.get('access-control-allow-headers')).toBe(ALLOW_HEADERS);
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('content-length')).toBeNull();
  });

  it('answers a preflight on a path that is no resource with 403, still readable by the page', async () => {
    for (const path of ['/v1/nothing', '/v1', '/prod/streams', '/v1/streams//records']) {
      const response = await preflight(`${new URL(proxy.url).origin}${path}`, 'GET');
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
      expectCorsHeaders(response.headers);
    }
  });

  it('adds the headers to a success', async () => {
    const response = await request(`${proxy.url}/streams/cors/record`, {
      method: 'PUT',
      body: { Data: 'hi', PartitionKey: 'k' },
      headers: { origin: PAGE },
    });
    expect(response.status).toBe(200);
    expectCorsHeaders(response.headers);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('adds the headers to a Kinesis error', async () => {
    const response = await request(`${proxy.url}/streams/missing`);
    expect(response.status).toBe(404);
    expect(response.body.__type).toMatch(/ResourceNotFoundException/);
    expectCorsHeaders(response.headers);
  });

  it.each([
    ['403, unknown route', 'GET', '/nothing', undefined, {}, 403],
    ['400, invalid body', 'PUT', '/streams/cors/record', '{"Data": 1}', {}, 400],
    ['400, missing parameter', 'GET', '/streams/cors/records', undefined, {}, 400],
    ['415, other content type', 'PUT', '/streams/cors/record', '{}', { 'content-type': 'text/plain' }, 415],
  ])('adds the headers to a gateway error: %s', async (_, method, path, body, headers, status) => {
    const response = await request(`${proxy.url}${path}`, { method, body, headers });
    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/Exception$/);
    expectCorsHeaders(response.headers);
  });

  it('adds the headers to a gateway error: 413, body too large', async () => {
    const big = JSON.stringify({ Data: 'x'.repeat(LIMITS.maxApiGatewayBodyBytes), PartitionKey: 'k' });
    const response = await request(`${proxy.url}/streams/cors/record`, { method: 'PUT', body: big });
    expect(response.status).toBe(413);
    expectCorsHeaders(response.headers);
  });
});

describe('cors with auth iam', () => {
  let proxy: LocalProxy;
  beforeAll(async () => {
    proxy = await startLocalProxy({
      port: 0,
      inMemory: true,
      auth: 'iam',
      credentials: [KEY],
      cors: '*',
      logger: memoryLogger(),
    });
  });
  afterAll(() => proxy.close());

  it('answers a preflight without a signature, and still requires one on the request itself', async () => {
    const response = await preflight(`${proxy.url}/streams`, 'GET', 'authorization,x-amz-date');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('vary')).toBeNull();

    const unsigned = await request(`${proxy.url}/streams`, { headers: { origin: PAGE } });
    expect(unsigned.status).toBe(403);
    expect(unsigned.body).toEqual({ message: 'Missing Authentication Token' });
    expectCorsHeaders(unsigned.headers, '*');

    const signed = await signedFetch(`${proxy.url}/streams`);
    expect(signed.status).toBe(200);
    expectCorsHeaders(signed.headers, '*');
  });
});

describe('cors with throttling', () => {
  it('adds the headers to a 429, and preflights count against the bucket as any method does', async () => {
    const proxy = await startLocalProxy({
      port: 0,
      inMemory: true,
      cors: PAGE,
      throttle: { rate: 0.001, burst: 1 },
      logger: memoryLogger(),
    });
    try {
      expect((await preflight(`${proxy.url}/streams`, 'GET')).status).toBe(204);
      const throttled = await request(`${proxy.url}/streams`);
      expect(throttled.status).toBe(429);
      expect(throttled.body).toEqual({ message: 'Too Many Requests' });
      expectCorsHeaders(throttled.headers);
    } finally {
      await proxy.close();
    }
  });
});

describe('cors off (the default)', () => {
  let proxy: LocalProxy;
  beforeAll(async () => {
    proxy = await startLocalProxy({ port: 0, inMemory: true, logger: memoryLogger() });
  });
  afterAll(() => proxy.close());

  it('answers OPTIONS with 403 Missing Authentication Token, as for any method a resource lacks', async () => {
    const response = await preflight(`${proxy.url}/streams`, 'GET');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('adds no CORS headers to a success or an error', async () => {
    for (const path of ['/streams', '/streams/missing', '/nothing']) {
      const response = await request(`${proxy.url}${path}`, { headers: { origin: PAGE } });
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('cors option', () => {
  it.each(['', 'localhost:5173', 'http://localhost:5173/', 'http://localhost:5173/app', 'null'])(
    'refuses %j, which no browser sends as an origin',
    async (cors) => {
      await expect(startLocalProxy({ cors, inMemory: true })).rejects.toThrow(
        /cors must be '\*' or an origin/,
      );
    },
  );
});
