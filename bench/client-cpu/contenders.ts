/**
 * The three ways to send one PutRecords of 500 small records that the CPU benchmark compares. Each
 * returns a `send()` that does the whole call, from the caller's records to the parsed response.
 */
import { createHash, createHmac } from 'node:crypto';

export interface BenchRecord {
  readonly data: string;
  readonly partitionKey: string;
}

const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };
const region = 'us-east-1';

/** @kproxy/client with SigV4 and explicit credentials. */
async function kproxy(sink: string, records: readonly BenchRecord[]) {
  const { KproxyClient } = await import('@kproxy/client');
  const client = new KproxyClient({
    endpoint: `${sink}/v1`,
    region,
    auth: { type: 'sigv4', credentials },
    maxRetries: 0,
  });
  return async () => {
    const result = await client.putRecords({ streamName: 'bench', records: [...records] });
    if (result.failedRecordCount !== 0 || result.records.length !== records.length)
      throw new Error('bad answer');
  };
}

/**
 * The AWS SDK v3 over HTTP/1.1. Data goes in as bytes (the SDK takes Uint8Array only); they are encoded
 * once before measuring, which favours the SDK slightly.
 */
async function sdk(sink: string, records: readonly BenchRecord[]) {
  const { KinesisClient, PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const client = new KinesisClient({
    endpoint: sink,
    region,
    credentials,
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
  const encoder = new TextEncoder();
  const entries = records.map((r) => ({ Data: encoder.encode(r.data), PartitionKey: r.partitionKey }));
  return async () => {
    const result = await client.send(new PutRecordsCommand({ StreamName: 'bench', Records: entries }));
    if (result.FailedRecordCount !== 0 || result.Records?.length !== records.length)
      throw new Error('bad answer');
  };
}

/** The signed request of the floor: body, SHA-256 of it, SigV4 key derivation and signature (node:crypto). */
function signedRequest(url: URL, records: readonly BenchRecord[]) {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const body = JSON.stringify({
    records: records.map((r) => ({
      data: Buffer.from(r.data).toString('base64'),
      'partition-key': r.partitionKey,
    })),
  });
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/execute-api/aws4_request`;
  const signed = 'content-type;host;x-amz-content-sha256;x-amz-date';
  const canonical = [
    'PUT',
    url.pathname,
    '',
    `content-type:application/json\nhost:${url.host}\nx-amz-content-sha256:${bodyHash}\nx-amz-date:${amzDate}\n`,
    signed,
    bodyHash,
  ].join('\n');
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, 'execute-api', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const headers = {
    'content-type': 'application/json',
    'x-amz-content-sha256': bodyHash,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
  return { body, headers };
}

function check(result: { FailedRecordCount: number; Records: unknown[] }, records: readonly BenchRecord[]) {
  if (result.FailedRecordCount !== 0 || result.Records.length !== records.length)
    throw new Error('bad answer');
}

/**
 * The floor: the least work a correct signed request needs, sent with fetch (what @kproxy/client uses,
 * through ky, so that it runs in browsers too): signed request, fetch, parse the answer.
 */
async function floor(sink: string, records: readonly BenchRecord[]) {
  const url = new URL(`${sink}/v1/streams/bench/records`);
  return async () => {
    const { body, headers } = signedRequest(url, records);
    const response = await fetch(url, { method: 'PUT', body, headers });
    check((await response.json()) as Parameters<typeof check>[0], records);
  };
}

/** The same floor over node:http with a keep-alive agent (the transport the SDK uses): not browser-capable. */
async function floorHttp(sink: string, records: readonly BenchRecord[]) {
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(`${sink}/v1/streams/bench/records`);
  return async () => {
    const { body, headers } = signedRequest(url, records);
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(url, { method: 'PUT', agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString()));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    check(JSON.parse(text) as Parameters<typeof check>[0], records);
  };
}

export const contenders = { kproxy, sdk, floor, floorHttp };
export type ContenderName = keyof typeof contenders;
