/**
 * The seed README's curl examples, run with the real `curl` against the emulator, return the shapes
 * the README documents. Stream name as in the README.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProxy, startLocalProxy } from '../src/index.ts';
import { request, unb64 } from './helpers.ts';

const run = promisify(execFile);
const hasCurl = await run('curl', ['--version']).then(
  () => true,
  () => false,
);

const STREAM = 'PUT-Firehose-aEhWz';

// biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON field by field.
async function curl(...args: string[]): Promise<{ status: number; body: any }> {
  const { stdout } = await run('curl', [
    '--silent',
    '--show-error',
    '--write-out',
    '\n%{http_code}',
    ...args,
  ]);
  const newline = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(newline + 1)), body: JSON.parse(stdout.slice(0, newline)) };
}

// Skipped only on a developer machine without curl; CI must run it.
describe.skipIf(!hasCurl && !process.env.CI)('the seed README curl examples', () => {
  let proxy: LocalProxy;
  beforeAll(async () => {
    proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
    await request(`${proxy.url}/streams/${STREAM}`, { method: 'POST', body: { ShardCount: 1 } });
  });
  afterAll(() => proxy.close());

  it('GET /streams lists the stream', async () => {
    const { status, body } = await curl('-X', 'GET', `${proxy.url}/streams`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ HasMoreStreams: false, StreamNames: [STREAM] });
  });

  it('GET /streams/{stream-name} describes it', async () => {
    const { status, body } = await curl('-X', 'GET', `${proxy.url}/streams/${STREAM}`);
    expect(status).toBe(200);
    expect(body.StreamDescription).toMatchObject({
      StreamName: STREAM,
      StreamStatus: 'ACTIVE',
      HasMoreShards: false,
      StreamARN: expect.stringContaining(`:stream/${STREAM}`),
      Shards: [
        {
          ShardId: 'shardId-000000000000',
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '340282366920938463463374607431768211455' },
          SequenceNumberRange: { StartingSequenceNumber: expect.stringMatching(/^\d+$/) },
        },
      ],
    });
  });

  it('PUT /streams/{stream-name}/record stores "some data" without quotes', async () => {
    const { status, body } = await curl(
      '-X',
      'PUT',
      `${proxy.url}/streams/${STREAM}/record`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{ "Data": "some data", "PartitionKey": "some key" }',
    );
    expect(status).toBe(200);
    expect(body).toEqual({ SequenceNumber: expect.stringMatching(/^\d+$/), ShardId: 'shardId-000000000000' });
  });

  it('PUT /streams/{stream-name}/records stores both records', async () => {
    const { status, body } = await curl(
      '-X',
      'PUT',
      `${proxy.url}/streams/${STREAM}/records`,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"records":[{"data":"some data","partition-key":"some key"},{"data":"some other data","partition-key":"some key"}]}',
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      FailedRecordCount: 0,
      Records: [
        { SequenceNumber: expect.stringMatching(/^\d+$/), ShardId: 'shardId-000000000000' },
        { SequenceNumber: expect.stringMatching(/^\d+$/), ShardId: 'shardId-000000000000' },
      ],
    });
  });

  it('reads back exactly the text that was sent', async () => {
    const iterator = await curl(
      '-X',
      'GET',
      `${proxy.url}/streams/${STREAM}/sharditerator?shard-id=shardId-000000000000`,
    );
    const { status, body } = await curl(
      '-X',
      'GET',
      `${proxy.url}/streams/${STREAM}/records`,
      '-H',
      `Shard-Iterator: ${iterator.body.ShardIterator}`,
    );
    expect(status).toBe(200);
    expect(body.Records.map((r: { Data: string }) => unb64(r.Data))).toEqual([
      'some data',
      'some data',
      'some other data',
    ]);
  });
});
