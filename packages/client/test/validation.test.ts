/** Inputs are checked before anything is sent; messages name the field (and index) and the fix. */
import { http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { type InputError, isInputError } from '../src/index.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();
let sent = 0;
afterEach(() => {
  sent = 0;
});
const countRequests = () =>
  server.use(
    http.all(`${BASE}/*`, () => {
      sent++;
      throw new Error('nothing may be sent');
    }),
  );

async function inputError(promise: PromiseLike<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    if (isInputError(error)) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('pre-send validation', () => {
  it.each([
    ['a stream name with a space', { streamName: 'my stream' }, 'streamName', /1–128 characters/],
    ['an empty stream name', { streamName: '' }, 'streamName', /not a valid stream name/],
    ['a 129-character stream name', { streamName: 'a'.repeat(129) }, 'streamName', /1–128/],
  ])('rejects %s', async (_, params, field, message) => {
    countRequests();
    const { client } = makeClient();
    const error = await inputError(client.deleteStream(params));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(sent).toBe(0);
  });

  it('names the index and field of a bad record in putRecords', async () => {
    countRequests();
    const { client } = makeClient();
    const records = [
      { data: 'ok', partitionKey: 'a' },
      { data: 'ok', partitionKey: 'b' },
      { data: 'ok', partitionKey: 'c' },
      { data: 'ok', partitionKey: '' },
    ];
    const error = await inputError(client.putRecords({ streamName: 's', records }));
    expect(error.field).toBe('records[3].partitionKey');
    expect(error.message).toBe(
      'records[3].partitionKey must be 1–256 characters (got 0). Give every record a non-empty partition key',
    );
    expect(sent).toBe(0);
  });

  it('counts partition keys in UTF-16 units, as Kinesis does (129 emoji are too many, 128 are fine)', async () => {
    countRequests();
    const { client } = makeClient();
    const error = await inputError(
      client.putRecord({ streamName: 's', data: 'x', partitionKey: '😀'.repeat(129) }),
    );
    expect(error.field).toBe('partitionKey');
    expect(error.message).toMatch(/got 258 UTF-16 units: Kinesis counts a character such as an emoji as two/);
    expect(sent).toBe(0);
  });

  it('rejects a bad explicit hash key, sequence number, limit and iterator type', async () => {
    countRequests();
    const { client } = makeClient();
    expect(
      (
        await inputError(
          client.putRecords({
            streamName: 's',
            records: [{ data: 'x', partitionKey: 'k', explicitHashKey: '01' }],
          }),
        )
      ).field,
    ).toBe('records[0].explicitHashKey');
    expect(
      (
        await inputError(
          client.putRecord({
            streamName: 's',
            data: 'x',
            partitionKey: 'k',
            sequenceNumberForOrdering: '1e5',
          }),
        )
      ).field,
    ).toBe('sequenceNumberForOrdering');
    expect((await inputError(client.listStreams({ limit: 0 }))).field).toBe('limit');
    expect(
      (
        await inputError(
          // @ts-expect-error an invalid type on purpose
          client.getShardIterator({ streamName: 's', shardId: 'shardId-0', type: 'OLDEST' }),
        )
      ).message,
    ).toMatch(/Use one of TRIM_HORIZON, LATEST/);
    expect(
      (
        await inputError(
          client.getShardIterator({ streamName: 's', shardId: 'shardId-0', type: 'AT_SEQUENCE_NUMBER' }),
        )
      ).field,
    ).toBe('startingSequenceNumber');
    expect(
      (
        await inputError(
          client.getShardIterator({ streamName: 's', shardId: 'shardId-0', type: 'AT_TIMESTAMP' }),
        )
      ).field,
    ).toBe('timestamp');
    expect(sent).toBe(0);
  });

  it('rejects a bad createStream shard count or stream mode, with the allowed values', async () => {
    countRequests();
    const { client } = makeClient();
    const many = await inputError(client.createStream({ streamName: 's', shardCount: 100_001 }));
    expect(many.message).toMatch(/^shardCount must be an integer from 1 to 100000/);
    const mode = await inputError(
      client.createStream({ streamName: 's', streamMode: 'on-demand' as unknown as 'ON_DEMAND' }),
    );
    expect(mode.message).toBe('streamMode must be "PROVISIONED" or "ON_DEMAND" (got on-demand)');
    const both = await inputError(
      client.createStream({ streamName: 's', streamMode: 'ON_DEMAND', shardCount: 2 }),
    );
    expect(both.field).toBe('shardCount');
    expect(sent).toBe(0);
  });

  it('rejects a record over maxRecordBytes (data plus partition key bytes)', async () => {
    countRequests();
    const { client } = makeClient({ limits: { maxRecordBytes: 10 } });
    // 8 bytes of data ("é" is 2 bytes) + 2 bytes of key = 10: fits; one more byte does not.
    const error = await inputError(
      client.putRecords({
        streamName: 's',
        records: [
          { data: 'ééé', partitionKey: 'kk' },
          { data: new Uint8Array(9), partitionKey: 'kk' },
        ],
      }),
    );
    expect(error.field).toBe('records[1].data');
    expect(error.message).toMatch(/11 bytes with the partition key, over the 10-byte record limit/);
    expect(sent).toBe(0);
  });

  it('rejects more than maxRecordsPerBatch records, or more than maxBatchBytes, pointing to bulkPut', async () => {
    countRequests();
    const { client } = makeClient({ limits: { maxBatchBytes: 100 } });
    const tooMany = Array.from({ length: 501 }, () => ({ data: 'x', partitionKey: 'k' }));
    const many = await inputError(client.putRecords({ streamName: 's', records: tooMany }));
    expect(many.message).toMatch(/1–500 records \(got 501\).*bulkPut/);
    const big = Array.from({ length: 11 }, () => ({ data: '123456789', partitionKey: 'k' }));
    const bytes = await inputError(client.putRecords({ streamName: 's', records: big }));
    expect(bytes.message).toMatch(/110 bytes, over the 100-byte PutRecords limit/);
    expect((await inputError(client.putRecords({ streamName: 's', records: [] }))).field).toBe('records');
    expect(sent).toBe(0);
  });

  it("checks the request body against API Gateway's limit (base64 and JSON escapes included)", async () => {
    countRequests();
    const { client } = makeClient({ limits: { maxRequestBodyBytes: 60 } });
    // 3 bytes become 4 base64 characters; the body is {"records":[{"data":"AAAA","partition-key":"k","encoding":"base64"}]}
    const error = await inputError(
      client.putRecords({ streamName: 's', records: [{ data: new Uint8Array(3), partitionKey: 'k' }] }),
    );
    expect(error.message).toMatch(/make a 69-byte request body, over API Gateway's 60-byte limit/);
  });

  it('rejects data that cannot be serialized', async () => {
    countRequests();
    const { client } = makeClient();
    const error = await inputError(
      client.putRecords({
        streamName: 's',
        records: [{ data: undefined as unknown as string, partitionKey: 'k' }],
      }),
    );
    expect(error.field).toBe('records[0].data');
  });
});
