/** `--auth iam` and `--auth api-key`, with requests signed by @smithy/signature-v4 directly. */
import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { findGatewayError } from '@kproxy/contract';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { KEY, memoryLogger, signedFetch } from './helpers.ts';

/**
 * SigV4 written out from AWS's "Create a signed AWS API request" steps with node:crypto, independently
 * of @smithy/signature-v4 (which the emulator uses): HashedPayload is the SHA-256 of the body.
 */
function signByHand(
  method: string,
  url: URL,
  body: string,
  extra: Record<string, string>,
): Record<string, string> {
  const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...extra, host: url.host, 'x-amz-date': amzDate };
  const names = Object.keys(headers).sort();
  const canonical = [
    method,
    url.pathname,
    '',
    names.map((name) => `${name}:${headers[name]!.trim()}\n`).join(''),
    names.join(';'),
    sha256(body),
  ].join('\n');
  const scope = `${day}/us-east-1/execute-api/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`;
  let key = hmac(`AWS4${KEY.secretAccessKey}`, day);
  for (const part of ['us-east-1', 'execute-api', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

describe('auth iam', () => {
  let proxy: LocalProxy;
  const logger = memoryLogger();
  beforeAll(async () => {
    proxy = await startLocalProxy({ port: 0, inMemory: true, auth: 'iam', credentials: [KEY], logger });
  });
  afterAll(() => proxy.close());

  it('accepts a correctly signed request, query string and body included', async () => {
    expect((await signedFetch(`${proxy.url}/streams?limit=5`)).status).toBe(200);
    const created = await signedFetch(`${proxy.url}/streams/signed`, {
      method: 'POST',
      body: '{"ShardCount":1}',
    });
    expect(created.status).toBe(200);
    const put = await signedFetch(`${proxy.url}/streams/signed/record`, {
      method: 'PUT',
      body: JSON.stringify({ Data: 'ünï 🎉', PartitionKey: 'k' }),
      headers: { 'x-extra': 'signed too' },
    });
    expect(put.status).toBe(200);
    expect(put.body.SequenceNumber).toEqual(expect.any(String));
  });

  it('answers Missing Authentication Token for an unsigned request', async () => {
    const response = await fetch(`${proxy.url}/streams`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('rejects an unknown access key', async () => {
    const response = await signedFetch(`${proxy.url}/streams`, {
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: KEY.secretAccessKey },
    });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ message: 'The security token included in the request is invalid.' });
    expect(response.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
  });

  it('rejects a wrong secret', async () => {
    const response = await signedFetch(`${proxy.url}/streams`, {
      credentials: { ...KEY, secretAccessKey: 'wrong' },
    });
    expect(response.status).toBe(403);
    expect(response.body.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  });

  it('rejects a request changed after signing', async () => {
    const target = new URL(`${proxy.url}/streams/signed/record`);
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'us-east-1',
      credentials: KEY,
      sha256: Sha256,
    });
    const signed = await signer.sign({
      method: 'PUT',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers: { host: target.host, 'content-type': 'application/json' },
      body: '{"Data":"a","PartitionKey":"k"}',
    });
    const { host: _host, ...headers } = signed.headers;
    const tampered = await fetch(target, { method: 'PUT', headers, body: '{"Data":"b","PartitionKey":"k"}' });
    expect(tampered.status).toBe(403);
    const otherPath = await fetch(`${proxy.url}/streams/other/record`, {
      method: 'PUT',
      headers,
      body: '{"Data":"a","PartitionKey":"k"}',
    });
    expect(otherPath.status).toBe(403);
  });

  describe('X-Amz-Content-Sha256: UNSIGNED-PAYLOAD (documented for Amazon S3 only, not execute-api)', () => {
    const body = '{"Data":"a","PartitionKey":"k"}';

    it('rejects a signature made over UNSIGNED-PAYLOAD: the body is not signed, whatever it is', async () => {
      // @smithy/signature-v4 signs the literal UNSIGNED-PAYLOAD when this header is set, as SDKs do for S3.
      for (const sent of [body, '{"Data":"tampered","PartitionKey":"k"}']) {
        const response = await signedFetch(`${proxy.url}/streams/signed/record`, {
          method: 'PUT',
          body: sent,
          headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        });
        expect(response.status).toBe(403);
        expect(response.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
        expect(response.body.message).toMatch(/^The request signature we calculated does not match/);
      }
    });

    it('accepts a signature over the body hash, the header being a signed header like any other', async () => {
      const response = await fetch(`${proxy.url}/streams/signed/record`, {
        method: 'PUT',
        headers: signByHand('PUT', new URL(`${proxy.url}/streams/signed/record`), body, {
          'content-type': 'application/json',
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        }),
        body,
      });
      expect(response.status).toBe(200);
      // The same signature does not cover another body.
      const tampered = await fetch(`${proxy.url}/streams/signed/record`, {
        method: 'PUT',
        headers: signByHand('PUT', new URL(`${proxy.url}/streams/signed/record`), body, {
          'content-type': 'application/json',
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        }),
        body: '{"Data":"tampered","PartitionKey":"k"}',
      });
      expect(tampered.status).toBe(403);
    });
  });

  it('rejects a signature for another region or service', async () => {
    const region = await signedFetch(`${proxy.url}/streams`, { region: 'eu-west-1' });
    expect(region.status).toBe(403);
    const service = await signedFetch(`${proxy.url}/streams`, { service: 'kinesis' });
    expect(service.status).toBe(403);
    expect(service.body.message).toMatch(/execute-api/);
  });

  it('rejects an expired signature with the AWS message', async () => {
    const response = await signedFetch(`${proxy.url}/streams`, {
      date: new Date(Date.now() - 10 * 60 * 1000),
    });
    expect(response.status).toBe(403);
    expect(response.body.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
  });

  it('a signature for another region or service: API Gateway’s words, which the client’s table knows', async () => {
    const region = await signedFetch(`${proxy.url}/streams`, { region: 'eu-west-1' });
    expect(region.status).toBe(403);
    expect(region.body).toEqual({
      message: "Credential should be scoped to a valid region, not 'eu-west-1'. ",
    });
    const both = await signedFetch(`${proxy.url}/streams`, { region: 'eu-west-1', service: 'kinesis' });
    expect(both.body).toEqual({
      message:
        "Credential should be scoped to a valid region, not 'eu-west-1'. Credential should be scoped to correct service: 'execute-api'. ",
    });
    const spec = findGatewayError(
      403,
      String(region.body.message),
      region.headers.get('x-amzn-errortype') ?? undefined,
    );
    expect(spec?.hint).toMatch(/another region than the API's/);
  });

  it('rejects a malformed Authorization header', async () => {
    const response = await fetch(`${proxy.url}/streams`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 nonsense' },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });

  it('still answers Missing Authentication Token for unknown routes, signed or not', async () => {
    expect((await signedFetch(`${proxy.url}/nothing`)).body).toEqual({
      message: 'Missing Authentication Token',
    });
  });

  it('never logs the Authorization header or the secret', () => {
    const log = logger.lines.join('\n');
    expect(log).toMatch(/PUT \/v1\/streams\/signed\/record 200/);
    expect(log).not.toMatch(/AWS4-HMAC|Signature=|local-test-secret|AKIDLOCALTEST/);
  });
});

describe('auth api-key', () => {
  let proxy: LocalProxy;
  const logger = memoryLogger();
  beforeAll(async () => {
    proxy = await startLocalProxy({
      port: 0,
      inMemory: true,
      auth: 'api-key',
      apiKeys: ['key-one', 'key-two'],
      logger,
    });
  });
  afterAll(() => proxy.close());

  it('accepts any configured key', async () => {
    expect((await fetch(`${proxy.url}/streams`, { headers: { 'x-api-key': 'key-one' } })).status).toBe(200);
    expect((await fetch(`${proxy.url}/streams`, { headers: { 'X-API-Key': 'key-two' } })).status).toBe(200);
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { 'x-api-key': 'key-three' }],
    ['a prefix of a key', { 'x-api-key': 'key-' }],
  ])('answers 403 Forbidden for %s', async (_, headers: Record<string, string>) => {
    const response = await fetch(`${proxy.url}/streams`, { headers });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
  });

  it('never logs the key', () => {
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.join('\n')).not.toMatch(/key-one|key-two|key-three/);
  });
});
