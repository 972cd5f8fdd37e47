/**
 * A small in-memory Kinesis behind msw handlers, for tests of paging and of the reader: shards with
 * records, closed shards with children, iterators that can be made to expire.
 */
import { HttpResponse, http } from 'msw';
import { BASE } from './helpers.ts';

export interface FakeShard {
  id: string;
  parents?: string[];
  /** Closed shards end after their records; GetRecords then returns null and the children. */
  closed?: boolean;
  /** `at`: arrival time in epoch ms (AT_TIMESTAMP starts at the first record at or after it). */
  records: Array<{ seq: string; key: string; data: string | Uint8Array; at?: number }>;
  /** Not listed by DescribeStream (yet): only GetRecords' ChildShards names it. */
  hidden?: boolean;
  /**
   * The next this-many reads return no records though the shard has more, with MillisBehindLatest > 0
   * (real Kinesis does this over gaps, e.g. trimmed data).
   */
  emptyReads?: number;
}

interface Iterator {
  shard: string;
  /** Index of the next record. */
  index: number;
}

/** A shard as DescribeStream and ListShards describe it. */
const shardJson = (s: FakeShard) => ({
  ShardId: s.id,
  ...(s.parents?.[0] ? { ParentShardId: s.parents[0] } : {}),
  ...(s.parents?.[1] ? { AdjacentParentShardId: s.parents[1] } : {}),
  HashKeyRange: {
    StartingHashKey: '0',
    EndingHashKey: '340282366920938463463374607431768211455',
  },
  SequenceNumberRange: {
    StartingSequenceNumber: s.records[0]?.seq ?? '1',
    ...(s.closed ? { EndingSequenceNumber: s.records.at(-1)?.seq ?? '1' } : {}),
  },
});

const encode = (it: Iterator) => Buffer.from(JSON.stringify(it)).toString('base64');
const decode = (text: string): Iterator => JSON.parse(Buffer.from(text, 'base64').toString());

export class FakeKinesis {
  readonly shards: FakeShard[];
  readonly calls: string[] = [];
  /** The next this-many GetRecords calls fail with ExpiredIteratorException. */
  expireNext = 0;
  /** Leave ChildShards out of the last read of a closed shard (some Kinesis-compatible servers do). */
  omitChildShards = false;
  /**
   * Answer like a deployment made from the seeds: no `/shards` route (API Gateway's 403 "Missing
   * Authentication Token"), so shards are listed with DescribeStream only.
   */
  seedRoutesOnly = false;
  /** GetRecords call numbers (1-based) that fail with ExpiredIteratorException. */
  expireAtCall = new Set<number>();
  recordsCalls = 0;
  /** Report MillisBehindLatest 0 on every read, as kinesalite does, instead of only at the tip. */
  alwaysZeroBehind = false;
  /**
   * Refuse a sequence number the shard does not hold (InvalidArgumentException), as Kinesis does for a
   * number another shard issued; else any number is accepted.
   */
  strictSequenceNumbers = false;
  readonly iteratorRequests: URLSearchParams[] = [];

  constructor(
    readonly streamName: string,
    shards: FakeShard[],
  ) {
    this.shards = shards;
  }

  shard(id: string): FakeShard {
    const shard = this.shards.find((s) => s.id === id);
    if (!shard) throw new Error(`no shard ${id}`);
    return shard;
  }

  handlers() {
    const path = `${BASE}/streams/${this.streamName}`;
    return [
      http.get(path, ({ request }) => {
        const url = new URL(request.url);
        this.calls.push(`describe ${url.search}`);
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const after = url.searchParams.get('exclusive-start-shard-id');
        const startIndex = after
          ? this.shards.filter((s) => !s.hidden).findIndex((s) => s.id === after) + 1
          : 0;
        const listed = this.shards.filter((s) => !s.hidden);
        const page = listed.slice(startIndex, startIndex + limit);
        return HttpResponse.json({
          StreamDescription: {
            StreamName: this.streamName,
            StreamARN: `arn:aws:kinesis:eu-west-1:123456789012:stream/${this.streamName}`,
            StreamStatus: 'ACTIVE',
            HasMoreShards: startIndex + limit < listed.length,
            Shards: page.map(shardJson),
          },
        });
      }),
      http.get(`${path}/shards`, ({ request }) => {
        const url = new URL(request.url);
        this.calls.push(`list-shards ${url.search}`);
        if (this.seedRoutesOnly) {
          return HttpResponse.json(
            { message: 'Missing Authentication Token' },
            { status: 403, headers: { 'x-amzn-errortype': 'MissingAuthenticationTokenException' } },
          );
        }
        const listed = this.shards.filter((s) => !s.hidden);
        const token = url.searchParams.get('next-token');
        const after = token
          ? Buffer.from(token, 'base64').toString()
          : url.searchParams.get('exclusive-start-shard-id');
        const startIndex = after ? listed.findIndex((s) => s.id === after) + 1 : 0;
        const max = Number(url.searchParams.get('max-results') ?? 10_000);
        const page = listed.slice(startIndex, startIndex + max);
        const more = startIndex + max < listed.length;
        return HttpResponse.json({
          Shards: page.map(shardJson),
          ...(more ? { NextToken: Buffer.from(page.at(-1)!.id).toString('base64') } : {}),
        });
      }),
      http.get(`${path}/sharditerator`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        this.iteratorRequests.push(params);
        const shard = this.shard(params.get('shard-id')!);
        const type = params.get('shard-iterator-type') ?? 'TRIM_HORIZON';
        const seq = params.get('starting-sequence-number');
        this.calls.push(`iterator ${shard.id} ${type}${seq ? ` ${seq}` : ''}`);
        let index = 0;
        const held = shard.records.findIndex((r) => r.seq === seq);
        if (seq && held === -1 && this.strictSequenceNumbers) {
          return HttpResponse.json(
            {
              __type: 'InvalidArgumentException',
              message: `Invalid StartingSequenceNumber. It encodes another shard, while it was used in a call to a shard with ${shard.id}`,
            },
            { status: 400 },
          );
        }
        if (type === 'LATEST') index = shard.records.length;
        if (type === 'AT_SEQUENCE_NUMBER') index = held;
        if (type === 'AFTER_SEQUENCE_NUMBER') index = held + 1;
        if (type === 'AT_TIMESTAMP') {
          const at = Number(params.get('timestamp')) * 1000;
          index = shard.records.findIndex((r) => (r.at ?? 0) >= at);
          if (index === -1) index = shard.records.length;
        }
        return HttpResponse.json({ ShardIterator: encode({ shard: shard.id, index }) });
      }),
      http.get(`${path}/records`, ({ request }) => {
        const header = request.headers.get('shard-iterator')!;
        const it = decode(header);
        const shard = this.shard(it.shard);
        this.recordsCalls++;
        if (this.expireNext > 0 || this.expireAtCall.has(this.recordsCalls)) {
          this.expireNext = Math.max(0, this.expireNext - 1);
          this.calls.push(`records ${shard.id} expired`);
          return HttpResponse.json(
            { __type: 'ExpiredIteratorException', message: 'Iterator expired' },
            { status: 400 },
          );
        }
        const limit = Number(new URL(request.url).searchParams.get('limit') ?? 10_000);
        const gap = (shard.emptyReads ?? 0) > 0 && it.index < shard.records.length;
        if (gap) shard.emptyReads!--;
        const records = gap ? [] : shard.records.slice(it.index, it.index + limit);
        const index = it.index + records.length;
        const atEnd = index >= shard.records.length;
        this.calls.push(`records ${shard.id} ${records.map((r) => r.seq).join(',')}`);
        const children = this.shards.filter((s) => s.parents?.includes(shard.id));
        return HttpResponse.json({
          Records: records.map((r) => ({
            SequenceNumber: r.seq,
            PartitionKey: r.key,
            Data: Buffer.from(r.data).toString('base64'),
            ApproximateArrivalTimestamp: r.at !== undefined ? r.at / 1000 : 1_700_000_000.5,
          })),
          NextShardIterator: shard.closed && atEnd ? null : encode({ shard: shard.id, index }),
          MillisBehindLatest: atEnd || this.alwaysZeroBehind ? 0 : 1000,
          ...(shard.closed && atEnd && !this.omitChildShards
            ? {
                ChildShards: children.map((c) => ({
                  ShardId: c.id,
                  ParentShards: c.parents,
                  HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
                })),
              }
            : {}),
        });
      }),
    ];
  }
}
