/**
 * Habits of `aws kinesis` users: `--output json` in the AWS CLI v2's shapes, `--query`, paging flags
 * with `NextToken`, `--stream-name`, `--max-record-size`, flag names in messages, and hints that match
 * the error (from the contract's error table). In-process, HTTP mocked with msw.
 */
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsShape, awsTimestamp } from '../src/core/aws-shape.ts';
import { ENDPOINT, run, useMswServer } from './helpers.ts';

const server = useMswServer();

afterEach(() => vi.unstubAllEnvs());

const shard = (i: number) => ({
  ShardId: `shardId-${String(i).padStart(12, '0')}`,
  HashKeyRange: { StartingHashKey: String(i * 100), EndingHashKey: String(i * 100 + 99) },
  SequenceNumberRange: { StartingSequenceNumber: String(1000 + i) },
});

/** DescribeStream over `total` shards, paged as Kinesis pages (`limit`, `exclusive-start-shard-id`). */
function describeStream(total: number, seen: URLSearchParams[] = []) {
  server.use(
    http.get(`${ENDPOINT}/streams/demo`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      seen.push(query);
      const limit = Number(query.get('limit') ?? 100);
      const after = query.get('exclusive-start-shard-id');
      const all = Array.from({ length: total }, (_, i) => shard(i));
      const from = after ? all.findIndex((s) => s.ShardId === after) + 1 : 0;
      const page = all.slice(from, from + limit);
      return HttpResponse.json({
        StreamDescription: {
          StreamName: 'demo',
          StreamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/demo',
          StreamStatus: 'ACTIVE',
          RetentionPeriodHours: 24,
          StreamCreationTimestamp: 1700000000.25,
          StreamModeDetails: { StreamMode: 'PROVISIONED' },
          EncryptionType: 'NONE',
          Shards: page,
          HasMoreShards: from + limit < total,
        },
      });
    }),
  );
  return seen;
}

/** ListStreams over these names, paged as Kinesis pages them. */
function listStreams(names: string[], seen: URLSearchParams[] = []) {
  server.use(
    http.get(`${ENDPOINT}/streams`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      seen.push(query);
      const limit = Number(query.get('limit') ?? 100);
      const after = query.get('exclusive-start-stream-name');
      const from = after ? names.indexOf(after) + 1 : 0;
      const page = names.slice(from, from + limit);
      return HttpResponse.json({ StreamNames: page, HasMoreStreams: from + limit < names.length });
    }),
  );
  return seen;
}

describe('--output json: the shapes aws kinesis prints', () => {
  it('timestamps as the AWS CLI v2 prints them by default (local time, isoformat)', () => {
    vi.stubEnv('TZ', 'UTC');
    expect(awsTimestamp(new Date(1700000000_000))).toBe('2023-11-14T22:13:20+00:00');
    expect(awsTimestamp(new Date(1700000000_250))).toBe('2023-11-14T22:13:20.250000+00:00');
    vi.stubEnv('TZ', 'Asia/Kolkata');
    expect(awsTimestamp(new Date(1700000000_000))).toBe('2023-11-15T03:43:20+05:30');
    vi.stubEnv('TZ', 'America/New_York');
    expect(awsTimestamp(new Date(1700000000_000))).toBe('2023-11-14T17:13:20-05:00');
  });

  it('the inverse of the client mapping: PascalCase keys, Date → timestamp, bytes → base64', () => {
    vi.stubEnv('TZ', 'UTC');
    expect(
      awsShape({
        streamARN: 'arn',
        hashKeyRange: { startingHashKey: '0' },
        records: [{ data: new Uint8Array([0, 255]), approximateArrivalTimestamp: new Date(0) }],
        left: undefined,
        nothing: null,
      }),
    ).toEqual({
      StreamARN: 'arn',
      HashKeyRange: { StartingHashKey: '0' },
      Records: [{ Data: 'AP8=', ApproximateArrivalTimestamp: '1970-01-01T00:00:00+00:00' }],
      Nothing: null,
    });
  });

  it('describe-stream: the StreamDescription wrapper, every shard, no paging fields', async () => {
    vi.stubEnv('TZ', 'UTC');
    describeStream(3);
    const result = await run(['describe-stream', 'demo', '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      StreamDescription: {
        Shards: [shard(0), shard(1), shard(2)],
        StreamName: 'demo',
        StreamARN: 'arn:aws:kinesis:eu-west-1:000000000000:stream/demo',
        StreamStatus: 'ACTIVE',
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: '2023-11-14T22:13:20.250000+00:00',
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        EncryptionType: 'NONE',
      },
    });
  });

  it('get-records: Records with Data as base64, NextShardIterator, MillisBehindLatest', async () => {
    vi.stubEnv('TZ', 'UTC');
    const wire = {
      Records: [
        {
          SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
          ApproximateArrivalTimestamp: 1700000000.5,
          Data: Buffer.from([0, 1, 254, 255]).toString('base64'),
          PartitionKey: 'k',
        },
      ],
      NextShardIterator: 'IT-2',
      MillisBehindLatest: 0,
    };
    server.use(http.get(`${ENDPOINT}/streams/demo/records`, () => HttpResponse.json(wire)));
    const result = await run(['get-records', 'demo', '--shard-iterator', 'IT-1', '--output', 'json']);
    // What Kinesis sent, with the timestamp as aws prints it: jq scripts written for aws port over.
    expect(JSON.parse(result.stdout)).toEqual({
      ...wire,
      Records: [{ ...wire.Records[0], ApproximateArrivalTimestamp: '2023-11-14T22:13:20.500000+00:00' }],
    });
  });

  it('get-shard-iterator and put-record', async () => {
    const iteratorRequests: Record<string, string>[] = [];
    server.use(
      http.get(`${ENDPOINT}/streams/demo/sharditerator`, ({ request }) => {
        iteratorRequests.push(Object.fromEntries(new URL(request.url).searchParams));
        return HttpResponse.json({ ShardIterator: 'IT' });
      }),
      http.put(`${ENDPOINT}/streams/demo/record`, () =>
        HttpResponse.json({ ShardId: 'shardId-000000000000', SequenceNumber: '1', EncryptionType: 'KMS' }),
      ),
    );
    const it = await run([
      'get-shard-iterator',
      'demo',
      '--shard-id',
      'shardId-000000000000',
      '--output',
      'json',
    ]);
    expect(JSON.parse(it.stdout)).toEqual({ ShardIterator: 'IT' });
    // aws's option names are accepted too.
    const awsNames = await run([
      'get-shard-iterator',
      '--stream-name',
      'demo',
      '--shard-id',
      'shardId-000000000000',
      '--shard-iterator-type',
      'AT_SEQUENCE_NUMBER',
      '--starting-sequence-number',
      '42',
      '--output',
      'json',
    ]);
    expect(awsNames.code, awsNames.stderr).toBe(0);
    expect(iteratorRequests.at(-1)).toMatchObject({
      'shard-iterator-type': 'AT_SEQUENCE_NUMBER',
      'starting-sequence-number': '42',
    });
    const put = await run(['put-record', 'demo', '--data', 'x', '-k', 'k', '--output', 'json']);
    expect(JSON.parse(put.stdout)).toEqual({
      ShardId: 'shardId-000000000000',
      SequenceNumber: '1',
      EncryptionType: 'KMS',
    });
  });

  it('create-stream and delete-stream print nothing on stdout, as aws does', async () => {
    server.use(
      http.post(`${ENDPOINT}/streams/demo`, () => HttpResponse.json({})),
      http.delete(`${ENDPOINT}/streams/demo`, () => HttpResponse.json({})),
    );
    expect((await run(['create-stream', 'demo', '--output', 'json'])).stdout).toBe('');
    expect((await run(['delete-stream', 'demo', '--output', 'json'])).stdout).toBe('');
  });
});

describe('paging: --max-items, --starting-token, --page-size', () => {
  it('list-streams --max-items prints a NextToken that --starting-token resumes from', async () => {
    const seen = listStreams(['a', 'b', 'c', 'd', 'e']);
    const first = await run(['list-streams', '--max-items', '2', '--output', 'json']);
    const { StreamNames, NextToken } = JSON.parse(first.stdout);
    expect(StreamNames).toEqual(['a', 'b']);
    // The token is the API's own paging parameter: where the next request starts.
    expect(JSON.parse(Buffer.from(NextToken, 'base64').toString())).toEqual({
      ExclusiveStartStreamName: 'b',
    });

    const rest = await run(['list-streams', '--starting-token', NextToken, '--output', 'json']);
    expect(JSON.parse(rest.stdout)).toEqual({ StreamNames: ['c', 'd', 'e'] });
    expect(seen.at(-1)?.get('exclusive-start-stream-name')).toBe('b');
  });

  it('--page-size is the size of each request; every page is still read', async () => {
    const seen = listStreams(['a', 'b', 'c', 'd', 'e']);
    const result = await run(['list-streams', '--page-size', '2']);
    expect(result.stdout).toBe('a\nb\nc\nd\ne\n');
    expect(seen.map((q) => q.get('limit'))).toEqual(['2', '2', '2']);
  });

  it('no NextToken when --max-items reaches exactly the end; text output names the token on stderr', async () => {
    listStreams(['a', 'b']);
    expect(JSON.parse((await run(['list-streams', '--max-items', '2', '--output', 'json'])).stdout)).toEqual({
      StreamNames: ['a', 'b'],
    });
    listStreams(['a', 'b', 'c']);
    const text = await run(['list-streams', '--max-items', '1']);
    expect(text.stdout).toBe('a\n');
    expect(text.stderr).toMatch(/^More streams: --starting-token \S+\n$/);
  });

  it('describe-stream pages shards the same way, across API pages', async () => {
    const seen = describeStream(5);
    const first = await run([
      'describe-stream',
      'demo',
      '--max-items',
      '3',
      '--page-size',
      '2',
      '--output',
      'json',
    ]);
    const page = JSON.parse(first.stdout);
    expect(page.StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
    expect(seen.map((q) => q.get('limit'))).toEqual(['2', '2']);
    const rest = await run([
      'describe-stream',
      'demo',
      '--starting-token',
      page.NextToken,
      '--output',
      'json',
    ]);
    expect(
      JSON.parse(rest.stdout).StreamDescription.Shards.map((s: { ShardId: string }) => s.ShardId),
    ).toEqual(['shardId-000000000003', 'shardId-000000000004']);
  });

  it('a token of another command, or bad paging values, are usage errors naming the flag', async () => {
    const streamToken = Buffer.from(JSON.stringify({ ExclusiveStartStreamName: 'b' })).toString('base64');
    const wrong = await run(['describe-stream', 'demo', '--starting-token', streamToken]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`--starting-token "${streamToken}" is not a NextToken of this command.`);
    const zero = await run(['list-streams', '--max-items', '0']);
    expect(zero.stderr).toContain('--max-items must be a whole number of 1 or more, got 0.');
    // The client's own check, reported with the flag (not the client's `limit`, no "Infinity").
    const tooBig = await run(['list-streams', '--page-size', '20000']);
    expect(tooBig.code).toBe(2);
    expect(tooBig.stderr).toBe('error: --page-size must be an integer from 1 to 10000 (got 20000)\n');
  });
});

describe('--query (JMESPath)', () => {
  it('is a usage error, not ignored, on a command without a JSON result', async () => {
    for (const command of [['tail', 'demo'], ['completion', 'bash'], ['local']]) {
      const result = await run(['--query', 'StreamName', ...command]);
      expect(result.code, command.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`kproxy ${command[0]} has none.`);
    }
  });

  it('selects from the aws-shaped JSON; prints JSON', async () => {
    describeStream(3);
    const result = await run(['describe-stream', 'demo', '--query', 'StreamDescription.Shards[].ShardId']);
    expect(JSON.parse(result.stdout)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
  });

  it('--output text prints values as aws does: a list on one line, tab-separated', async () => {
    describeStream(2);
    const list = await run([
      'describe-stream',
      'demo',
      '--query',
      'StreamDescription.Shards[].ShardId',
      '--output',
      'text',
    ]);
    expect(list.stdout).toBe('shardId-000000000000\tshardId-000000000001\n');
    const value = await run([
      'describe-stream',
      'demo',
      '--query',
      'StreamDescription.StreamStatus',
      '--output',
      'text',
    ]);
    expect(value.stdout).toBe('ACTIVE\n');
  });

  it('legacy backquoted literals work as in the AWS CLI', async () => {
    describeStream(3);
    const result = await run([
      'describe-stream',
      'demo',
      '--query',
      'StreamDescription.Shards[?ShardId==`shardId-000000000001`].HashKeyRange.StartingHashKey | [0]',
    ]);
    expect(JSON.parse(result.stdout)).toBe('100');
  });

  it('an invalid expression is a usage error before anything is sent', async () => {
    const result = await run(['list-streams', '--query', 'StreamNames[']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: --query "StreamNames[" is not a JMESPath expression');
  });
});

describe('--stream-name, as aws kinesis takes the stream', () => {
  it('works for every command that takes a stream', async () => {
    describeStream(1);
    let put: unknown;
    server.use(
      http.put(`${ENDPOINT}/streams/demo/record`, async ({ request }) => {
        put = await request.json();
        return HttpResponse.json({ ShardId: 's', SequenceNumber: '1' });
      }),
    );
    expect((await run(['describe-stream', '--stream-name', 'demo'])).code).toBe(0);
    expect((await run(['put-record', '--stream-name', 'demo', '--data', 'x', '-k', 'k'])).code).toBe(0);
    expect(put).toMatchObject({ PartitionKey: 'k' });
    expect((await run(['put-record', '--stream-name=demo', '--data', 'x'])).code).toBe(0);
  });

  it('tail, which takes several streams, takes --stream-name too (repeated, or with NAME…)', async () => {
    const none = await run(['tail']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('error: Which streams? Give their names.');
    // Every stream named either way is asked for (here none exists: each answers not found).
    const asked = new Set<string>();
    server.use(
      http.all(`${ENDPOINT}/streams/:name`, ({ params }) => {
        asked.add(String(params.name));
        return HttpResponse.json(
          { __type: 'ResourceNotFoundException', message: `Stream ${String(params.name)} not found.` },
          { status: 404 },
        );
      }),
      http.all(`${ENDPOINT}/streams/:name/*`, ({ params }) => {
        asked.add(String(params.name));
        return HttpResponse.json(
          { __type: 'ResourceNotFoundException', message: 'not found' },
          { status: 404 },
        );
      }),
    );
    const given = await run(['tail', 'a', '--stream-name', 'b', '--stream-name', 'c', '-e']);
    expect(given.code).toBe(1);
    expect(given.stderr).not.toMatch(/Unknown option|Which stream/);
    expect([...asked].sort()).toEqual(['a', 'b', 'c']);
  });

  it('the same name twice is fine; two different names are a usage error', async () => {
    describeStream(1);
    expect((await run(['describe-stream', 'demo', '--stream-name', 'demo'])).code).toBe(0);
    const two = await run(['describe-stream', 'demo', '--stream-name', 'other']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('Two stream names: "demo" and --stream-name "other".');
  });
});

describe('--max-record-size', () => {
  const big = 'x'.repeat(1024 * 1024 + 1);

  it('the 1 MiB default refuses a larger record before sending, naming the flag that raises it', async () => {
    const result = await run(['put-record', 'demo', '--data', big, '-k', 'k']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('over the 1048576-byte record limit');
    expect(result.stderr).toContain('raise --max-record-size');
    expect(result.stderr).not.toContain('limits.maxRecordBytes');
  });

  it('raised, the record is sent; env KPROXY_MAX_RECORD_SIZE too', async () => {
    let bytes = 0;
    server.use(
      http.put(`${ENDPOINT}/streams/demo/record`, async ({ request }) => {
        const body = (await request.json()) as { Data: string };
        bytes = Buffer.from(body.Data, 'utf8').length;
        return HttpResponse.json({ ShardId: 's', SequenceNumber: '1' });
      }),
    );
    expect(
      (await run(['put-record', 'demo', '--data', big, '-k', 'k', '--max-record-size', '2MiB'])).code,
    ).toBe(0);
    expect(bytes).toBe(big.length);
    const env = { KPROXY_MAX_RECORD_SIZE: '1100000' };
    expect((await run(['put-record', 'demo', '--data', big, '-k', 'k'], { env })).code).toBe(0);
  });

  it('more than Kinesis takes, or not a size, is a usage error', async () => {
    for (const value of ['11MiB', 'big', '0']) {
      const result = await run(['put-record', 'demo', '--data', 'x', '--max-record-size', value]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `--max-record-size "${value}" is not a record size from 1 byte to 10MiB.`,
      );
    }
  });
});

describe('hints that match the error', () => {
  const kinesisError = (path: string, status: number, __type: string, message: string) =>
    http.get(`${ENDPOINT}${path}`, () => HttpResponse.json({ __type, message }, { status }));

  it('an unknown shard points at the stream’s shards, not at stream names or their case', async () => {
    server.use(
      kinesisError(
        '/streams/demo/sharditerator',
        404,
        'ResourceNotFoundException',
        'Shard shardId-000000000009 in stream demo under account 000000000000 does not exist',
      ),
    );
    const result = await run(['get-shard-iterator', 'demo', '--shard-id', 'shardId-000000000009']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'hint: That shard is not in the stream: list its shards with `kproxy describe-stream demo`.',
    );
    expect(result.stderr).not.toMatch(/case|list-streams/);
  });

  it('an unknown stream points at list-streams', async () => {
    server.use(
      kinesisError(
        '/streams/nope',
        404,
        'ResourceNotFoundException',
        'Stream nope under account 000000000000 not found.',
      ),
    );
    const result = await run(['describe-stream', 'nope']);
    expect(result.stderr).toContain('List the streams with `kproxy list-streams`.');
  });

  it('the shard-quota LimitExceededException is a spent quota, not throttling', async () => {
    server.use(
      http.post(`${ENDPOINT}/streams/big`, () =>
        HttpResponse.json(
          {
            __type: 'LimitExceededException',
            message: 'This request would exceed the shard limit for the account 000000000000 in us-east-1.',
          },
          { status: 400 },
        ),
      ),
    );
    const result = await run(['create-stream', 'big', '--shard-count', '1000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/hint: .*account quota.*waiting does not help/);
    expect(result.stderr).not.toMatch(/slow down|retr(y|ied)|concurrency|throttl/i);
  });

  it('a stream still being created (ResourceInUseException without "exists") suggests --wait', async () => {
    server.use(
      http.delete(`${ENDPOINT}/streams/demo`, () =>
        HttpResponse.json(
          {
            __type: 'ResourceInUseException',
            message: 'Stream demo under account 000000000000 is in CREATING state.',
          },
          { status: 409 },
        ),
      ),
    );
    const result = await run(['delete-stream', 'demo']);
    expect(result.stderr).toContain('being created, updated or deleted');
    expect(result.stderr).toContain('take --wait');
  });
});
