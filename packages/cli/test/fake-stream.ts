/**
 * A Kinesis stream in memory behind msw handlers, for the tail tests: shards of records, iterators
 * `shard:index`, pages of a few records, and counters of what was asked.
 */
import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';
import { ENDPOINT } from './helpers.ts';

/** A record: its data as text, or with its own bytes and partition key (default `key-<data>`). */
export type FakeRecord = string | { data: string | Uint8Array; key: string };

export interface FakeStreamOptions {
  stream?: string;
  /** Records per GetRecords answer. @default 2 */
  pageSize?: number;
}

/** Sequence numbers: shard n's records are `<n+1>000000000000000<index, 3 digits>`. */
export const fakeSequence = (shard: number, i: number) =>
  `${shard + 1}000000000000000${String(i).padStart(3, '0')}`;

export function fakeStream(
  server: SetupServer,
  records: Record<string, FakeRecord[]>,
  options: FakeStreamOptions = {},
) {
  const stream = options.stream ?? 'demo';
  const pageSize = options.pageSize ?? 2;
  const shardIds = Object.keys(records);
  const seq = fakeSequence;
  const iteratorRequests: URLSearchParams[] = [];
  /** GetRecords calls, and the records they returned. */
  const reads = { count: 0, records: 0 };
  const shards = shardIds.map((ShardId, i) => ({
    ShardId,
    HashKeyRange: { StartingHashKey: String(i), EndingHashKey: String(i) },
    SequenceNumberRange: { StartingSequenceNumber: seq(i, 0) },
  }));
  server.use(
    http.get(`${ENDPOINT}/streams/${stream}`, () =>
      HttpResponse.json({
        StreamDescription: {
          StreamName: stream,
          StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
          StreamStatus: 'ACTIVE',
          HasMoreShards: false,
          Shards: shards,
        },
      }),
    ),
    // The reader lists shards with ListShards (kproxy's addition), in one page here.
    http.get(`${ENDPOINT}/streams/${stream}/shards`, () => HttpResponse.json({ Shards: shards })),
    http.get(`${ENDPOINT}/streams/${stream}/sharditerator`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      iteratorRequests.push(query);
      const shard = query.get('shard-id')!;
      const s = shardIds.indexOf(shard);
      const list = records[shard]!;
      const type = query.get('shard-iterator-type') ?? 'TRIM_HORIZON';
      const at = list.findIndex((_, i) => seq(s, i) === query.get('starting-sequence-number'));
      const index =
        type === 'LATEST'
          ? list.length
          : type === 'AFTER_SEQUENCE_NUMBER'
            ? at + 1
            : type === 'AT_SEQUENCE_NUMBER'
              ? at
              : 0;
      return HttpResponse.json({ ShardIterator: `${shard}:${index}` });
    }),
    http.get(`${ENDPOINT}/streams/${stream}/records`, ({ request }) => {
      reads.count++;
      const [shard, index] = request.headers.get('Shard-Iterator')!.split(':') as [string, string];
      const s = shardIds.indexOf(shard);
      const from = Number(index);
      const page = records[shard]!.slice(from, from + pageSize);
      reads.records += page.length;
      return HttpResponse.json({
        Records: page.map((record, i) => {
          const { data, key } = typeof record === 'string' ? { data: record, key: `key-${record}` } : record;
          return {
            SequenceNumber: seq(s, from + i),
            PartitionKey: key,
            Data: Buffer.from(data).toString('base64'),
            ApproximateArrivalTimestamp: 1700000000 + from + i,
          };
        }),
        NextShardIterator: `${shard}:${from + page.length}`,
        MillisBehindLatest: from + page.length < records[shard]!.length ? 1000 : 0,
      });
    }),
  );
  return { iteratorRequests, reads };
}
