/**
 * Type tests of the public API. `expectTypeOf` does nothing at run time; `tsc -p tsconfig.json` (part
 * of `pnpm test`) checks these lines, including the `@ts-expect-error` ones.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  type ApiError,
  type BulkPutResult,
  isApiError,
  isNotFoundError,
  KproxyClient,
  type ListStreamsPage,
  type NotFoundError,
  type PutRecordInput,
  type PutRecordsResultEntry,
  type ReadPosition,
  type ReceivedRecord,
  type ShardPosition,
  type StreamDescription,
  type StreamReader,
  type StreamRecord,
} from '../src/index.ts';

const client = new KproxyClient({ endpoint: 'http://127.0.0.1:4600/v1' });

describe('public types', () => {
  it('paged methods are awaitable to a page and iterable over items', () => {
    expectTypeOf(client.listStreams()).resolves.toEqualTypeOf<ListStreamsPage>();
    expectTypeOf(client.listStreams()).toExtend<AsyncIterable<string>>();
    expectTypeOf(client.describeStream({ streamName: 's' })).resolves.toEqualTypeOf<StreamDescription>();
    expectTypeOf<StreamDescription['shards'][number]['shardId']>().toEqualTypeOf<string>();
  });

  it('results are camelCase; sequence numbers are strings', () => {
    expectTypeOf(client.putRecord).returns.resolves.toEqualTypeOf<{
      shardId: string;
      sequenceNumber: string;
      encryptionType?: string;
    }>();
    expectTypeOf(client.createStream).returns.resolves.toBeVoid();
    expectTypeOf(client.deleteStream).returns.resolves.toBeVoid();
    expectTypeOf<PutRecordsResultEntry['sequenceNumber']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<PutRecordsResultEntry['errorCode']>().toEqualTypeOf<string | undefined>();
    expectTypeOf(client.getRecords)
      .returns.resolves.toHaveProperty('nextShardIterator')
      .toEqualTypeOf<string | null>();
    expectTypeOf<ReceivedRecord['sequenceNumber']>().toEqualTypeOf<string>();
    expectTypeOf<ReceivedRecord['data']>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<ReceivedRecord['json']>().returns.toBeUnknown();
    expectTypeOf<StreamRecord['shardId']>().toEqualTypeOf<string>();
  });

  it('record data is text, bytes or a JSON value', () => {
    expectTypeOf<{ data: 'x'; partitionKey: 'k' }>().toExtend<PutRecordInput>();
    expectTypeOf<{ data: Uint8Array; partitionKey: string }>().toExtend<PutRecordInput>();
    expectTypeOf<{ data: { a: number[] }; partitionKey: string }>().toExtend<PutRecordInput>();
    expectTypeOf<{ data: string }>().not.toExtend<PutRecordInput>();
  });

  it('bulkPut hands the caller’s own record type back', () => {
    type Line = PutRecordInput & { line: number };
    const lines: Line[] = [];
    const result = client.bulkPut({
      streamName: 's',
      records: lines,
      onFailure: (record, reason) => {
        expectTypeOf(record).toEqualTypeOf<Line>();
        expectTypeOf(reason).toEqualTypeOf<{
          errorCode: string;
          errorMessage: string;
          possiblyWritten: boolean;
        }>();
      },
    });
    expectTypeOf(result).resolves.toEqualTypeOf<BulkPutResult<Line>>();
    expectTypeOf<NonNullable<BulkPutResult<Line>['failures']>[number]['record']>().toEqualTypeOf<Line>();
  });

  it('readStream returns a reader of StreamRecord with a JSON-safe position', () => {
    const reader = client.readStream({ streamName: 's', from: { timestamp: new Date() }, follow: false });
    expectTypeOf(reader).toEqualTypeOf<StreamReader>();
    expectTypeOf(reader).toExtend<AsyncIterable<StreamRecord>>();
    expectTypeOf(reader.position()).toEqualTypeOf<ReadPosition>();
    expectTypeOf<ReadPosition['shards']>().toEqualTypeOf<Record<string, ShardPosition>>();
    expectTypeOf<ShardPosition>().toEqualTypeOf<
      string | { sequenceNumber: string; subSequenceNumber: number }
    >();
    reader.close();
  });

  it('type guards narrow', () => {
    const error: unknown = undefined;
    if (isNotFoundError(error)) expectTypeOf(error).toEqualTypeOf<NotFoundError>();
    if (isApiError(error)) expectTypeOf(error.status).toEqualTypeOf<number>();
    expectTypeOf<NotFoundError>().toExtend<ApiError>();
    expectTypeOf<NotFoundError['name']>().toEqualTypeOf<'NotFoundError'>();
  });

  it('rejects wrong parameters at compile time', () => {
    // @ts-expect-error streamName is required
    expectTypeOf(client.deleteStream).toBeCallableWith({});
    // @ts-expect-error unknown iterator type
    expectTypeOf(client.getShardIterator).toBeCallableWith({ streamName: 's', shardId: 'x', type: 'OLDEST' });
    // @ts-expect-error auth needs a known type
    expectTypeOf(KproxyClient).toBeConstructibleWith({ endpoint: 'x', auth: { type: 'basic' } });
    expectTypeOf(KproxyClient).toBeConstructibleWith({
      endpoint: 'x',
      auth: { type: 'sigv4', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }) },
      timeout: 1000,
      maxRetries: 0,
      limits: { maxRecordBytes: 10 * 1024 * 1024 },
      hooks: { onRequest: (info) => void info.headers },
    });
  });
});
