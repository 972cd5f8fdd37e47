/** Hooks see every attempt, with credentials redacted. */
import { HttpResponse, http } from 'msw';
import { expect, it } from 'vitest';
import type { RequestInfo, ResponseInfo } from '../src/index.ts';
import { BASE, CREDENTIALS, makeClient, useServer } from './helpers.ts';

const server = useServer();

it('reports method, url, status, time and redacted headers for each attempt', async () => {
  let calls = 0;
  server.use(
    http.put(`${BASE}/streams/s/record`, () => {
      calls++;
      return calls === 1
        ? HttpResponse.json({ message: 'Too Many Requests' }, { status: 429 })
        : HttpResponse.json(
            { ShardId: 'x', SequenceNumber: '1' },
            { headers: { 'x-amzn-RequestId': 'rid' } },
          );
    }),
  );
  const requests: RequestInfo[] = [];
  const responses: ResponseInfo[] = [];
  const { client } = makeClient({
    auth: { type: 'sigv4', credentials: { ...CREDENTIALS, sessionToken: 'SESSION-SECRET' } },
    headers: { 'x-api-key': 'API-KEY-SECRET' },
    hooks: { onRequest: (info) => requests.push(info), onResponse: (info) => responses.push(info) },
  });
  await client.putRecord({ streamName: 's', data: 'd', partitionKey: 'k' });
  expect(requests.map((r) => r.attempt)).toEqual([1, 2]);
  expect(responses.map((r) => r.status)).toEqual([429, 200]);
  expect(requests[0]).toMatchObject({
    method: 'PUT',
    url: `${BASE}/streams/s/record`,
    body: '{"Data":"d","PartitionKey":"k"}',
  });
  expect(requests[0]!.headers).toMatchObject({
    authorization: '[REDACTED]',
    'x-amz-security-token': '[REDACTED]',
    'x-api-key': '[REDACTED]',
  });
  expect(responses[1]!.responseHeaders['x-amzn-requestid']).toBe('rid');
  expect(responses[1]!.ms).toBeGreaterThanOrEqual(0);
  const dump = JSON.stringify([requests, responses]);
  expect(dump).not.toContain('SESSION-SECRET');
  expect(dump).not.toContain('API-KEY-SECRET');
  expect(dump).not.toContain('Signature=');
});
