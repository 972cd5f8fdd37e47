/** The standalone operations and helpers do what the methods do, on any connection. */
import { HttpResponse, http } from 'msw';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  bulkPut,
  describeStream,
  KproxyClient,
  KproxyConnection,
  KproxyCore,
  type PutRecordsResult,
  putRecords,
  type StreamDescription,
  waitForStream,
} from '../src/index.ts';
import { BASE, ENDPOINT, useServer } from './helpers.ts';

const server = useServer();

const description = {
  StreamName: 's',
  StreamARN: 'arn:aws:kinesis:eu-west-1:1:stream/s',
  StreamStatus: 'ACTIVE',
  HasMoreShards: false,
  Shards: [],
};

describe('standalone functions', () => {
  it('operations on a bare connection answer as the methods of the classes', async () => {
    server.use(
      http.put(`${BASE}/streams/s/records`, () =>
        HttpResponse.json({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 'shardId-0' }] }),
      ),
      http.get(`${BASE}/streams/s`, () => HttpResponse.json({ StreamDescription: description })),
    );
    const params = { streamName: 's', records: [{ data: 'x', partitionKey: 'k' }] };
    const connection = new KproxyConnection({ endpoint: ENDPOINT });
    const result = await putRecords(connection, params);
    expectTypeOf(result).toEqualTypeOf<PutRecordsResult>();
    expect(result).toEqual({
      failedRecordCount: 0,
      records: [{ sequenceNumber: '1', shardId: 'shardId-0' }],
    });
    expect(await new KproxyCore({ endpoint: ENDPOINT }).putRecords(params)).toEqual(result);
    expect(await new KproxyClient({ endpoint: ENDPOINT }).putRecords(params)).toEqual(result);
    const described = await describeStream(connection, { streamName: 's' });
    expectTypeOf(described).toEqualTypeOf<StreamDescription>();
    expect(described.streamARN).toBe(description.StreamARN);
  });

  it('helpers take any connection', async () => {
    server.use(
      http.put(`${BASE}/streams/s/records`, () =>
        HttpResponse.json({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 'shardId-0' }] }),
      ),
      http.get(`${BASE}/streams/s`, () => HttpResponse.json({ StreamDescription: description })),
    );
    const connection = new KproxyConnection({ endpoint: ENDPOINT });
    const put = await bulkPut(connection, { streamName: 's', records: [{ data: 'x', partitionKey: 'k' }] });
    expect(put.succeeded).toBe(1);
    expect(await waitForStream(new KproxyCore({ endpoint: ENDPOINT }), { streamName: 's' })).toBe('ACTIVE');
  });
});
