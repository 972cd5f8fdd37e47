/**
 * SigV4 known answers: AWS's published test-suite vector through the signer with both hash
 * implementations, and a real request of the client checked against a signature computed here
 * independently (node:crypto, the algorithm as AWS documents it).
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { Sha256 as BrowserSha256 } from '../src/hash/browser.ts';
import { Sha256 as NodeSha256 } from '../src/hash/node.ts';
import { BASE, CREDENTIALS, makeClient, useServer } from './helpers.ts';

const server = useServer();

describe('AWS SigV4 test suite: get-vanilla', () => {
  it.each([
    ['node:crypto', NodeSha256],
    ['Web Crypto', BrowserSha256],
  ])('signs with %s as AWS publishes', async (_, Sha256) => {
    const signer = new SignatureV4({
      service: 'service',
      region: 'us-east-1',
      credentials: CREDENTIALS,
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'example.amazonaws.com',
        path: '/',
        query: {},
        headers: { host: 'example.amazonaws.com' },
      },
      { signingDate: new Date('2015-08-30T12:36:00Z') },
    );
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** SigV4 as documented, for one request: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html */
function expectedAuthorization(req: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
  amzDate: string;
  region: string;
}): string {
  const names = Object.keys(req.headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${req.headers[n]!.trim()}\n`).join('');
  const query = [...req.url.searchParams]
    .map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    req.method,
    req.url.pathname,
    query,
    canonicalHeaders,
    names.join(';'),
    sha256Hex(req.body),
  ].join('\n');
  const date = req.amzDate.slice(0, 8);
  const scope = `${date}/${req.region}/execute-api/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', req.amzDate, scope, sha256Hex(canonical)].join('\n');
  const kDate = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date);
  const kSigning = hmac(hmac(hmac(kDate, req.region), 'execute-api'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

describe('client requests signed for execute-api', () => {
  it('signs the full path with the stage, the query, the headers and the exact body (fixed clock)', async () => {
    const seen: { headers: Headers; body: string; url: URL }[] = [];
    server.use(
      http.put(`${BASE}/streams/orders/records`, async ({ request }) => {
        seen.push({ headers: request.headers, body: await request.text(), url: new URL(request.url) });
        return HttpResponse.json({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] });
      }),
    );
    const { client } = makeClient({ auth: { type: 'sigv4', credentials: CREDENTIALS } });
    await client.putRecords({ streamName: 'orders', records: [{ data: 'héllo', partitionKey: 'k' }] });
    const [req] = seen;
    expect(req!.headers.get('x-amz-date')).toBe('20260115T120000Z');
    const signed = {
      accept: 'application/json',
      'content-type': 'application/json',
      host: 'abc123.execute-api.eu-west-1.amazonaws.com',
      'x-amz-date': '20260115T120000Z',
    };
    expect(req!.body).toBe('{"records":[{"data":"héllo","partition-key":"k"}]}');
    expect(req!.headers.get('authorization')).toBe(
      expectedAuthorization({
        method: 'PUT',
        url: req!.url,
        headers: signed,
        body: req!.body,
        amzDate: '20260115T120000Z',
        region: 'eu-west-1',
      }),
    );
  });

  it('signs query parameters, the API key and the session token', async () => {
    const seen: { headers: Headers; url: URL }[] = [];
    server.use(
      http.get(`${BASE}/streams/s/sharditerator`, ({ request }) => {
        seen.push({ headers: request.headers, url: new URL(request.url) });
        return HttpResponse.json({ ShardIterator: 'it' });
      }),
    );
    const { client } = makeClient({
      region: 'us-west-2',
      auth: { type: 'sigv4', credentials: async () => ({ ...CREDENTIALS, sessionToken: 'TOKEN' }) },
      headers: { 'x-api-key': 'k3y' },
    });
    await client.getShardIterator({ streamName: 's', shardId: 'shardId-000000000000', type: 'LATEST' });
    const [req] = seen;
    expect(req!.headers.get('x-amz-security-token')).toBe('TOKEN');
    expect(req!.headers.get('authorization')).toContain(
      'SignedHeaders=accept;host;x-amz-date;x-amz-security-token;x-api-key,',
    );
    expect(req!.headers.get('authorization')).toBe(
      expectedAuthorization({
        method: 'GET',
        url: req!.url,
        headers: {
          accept: 'application/json',
          host: 'abc123.execute-api.eu-west-1.amazonaws.com',
          'x-amz-date': '20260115T120000Z',
          'x-amz-security-token': 'TOKEN',
          'x-api-key': 'k3y',
        },
        body: '',
        amzDate: '20260115T120000Z',
        region: 'us-west-2',
      }),
    );
  });

  it('asks a credential provider once while its credentials are fresh', async () => {
    server.use(
      http.get(`${BASE}/streams`, () => HttpResponse.json({ StreamNames: [], HasMoreStreams: false })),
    );
    let calls = 0;
    const { client, clock } = makeClient({
      auth: {
        type: 'sigv4',
        credentials: async () => {
          calls++;
          return { ...CREDENTIALS, expiration: new Date(clock.now() + 10 * 60_000) };
        },
      },
    });
    await client.listStreams();
    await client.listStreams();
    expect(calls).toBe(1);
    clock.time += 6 * 60_000; // now within 5 minutes of expiry
    await client.listStreams();
    expect(calls).toBe(2);
  });
});
