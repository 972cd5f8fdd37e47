import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { ENDPOINT, run, useMswServer } from './helpers.ts';

const server = useMswServer();

const description = (name: string, shards = 2) => ({
  StreamDescription: {
    StreamName: name,
    StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`,
    StreamStatus: 'ACTIVE',
    RetentionPeriodHours: 24,
    HasMoreShards: false,
    Shards: Array.from({ length: shards }, (_, i) => ({
      ShardId: `shardId-00000000000${i}`,
      HashKeyRange: { StartingHashKey: String(i * 100), EndingHashKey: String(i * 100 + 99) },
      SequenceNumberRange: { StartingSequenceNumber: '1' },
    })),
  },
});

describe('list-streams', () => {
  it('prints one name per line, following every page', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams`, ({ request }) => {
        const start = new URL(request.url).searchParams.get('exclusive-start-stream-name');
        return start
          ? HttpResponse.json({ StreamNames: ['c'], HasMoreStreams: false })
          : HttpResponse.json({ StreamNames: ['a', 'b'], HasMoreStreams: true });
      }),
    );
    const result = await run(['list-streams']);
    expect(result).toMatchObject({ code: 0, stdout: 'a\nb\nc\n', stderr: '' });
  });

  it('--output json prints what aws kinesis list-streams prints', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams`, () => HttpResponse.json({ StreamNames: ['a'], HasMoreStreams: false })),
    );
    const result = await run(['list-streams', '--output', 'json']);
    expect(JSON.parse(result.stdout)).toEqual({ StreamNames: ['a'] });
  });
});

describe('create-stream', () => {
  it('sends the shard count and reports on stderr only', async () => {
    let body: unknown;
    server.use(
      http.post(`${ENDPOINT}/streams/demo`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({});
      }),
    );
    const result = await run(['create-stream', 'demo', '--shard-count', '2']);
    expect(result.code).toBe(0);
    expect(body).toEqual({ ShardCount: 2 });
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Creating stream demo');
  });

  it('--on-demand sends the stream mode', async () => {
    let body: unknown;
    server.use(
      http.post(`${ENDPOINT}/streams/demo`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json({});
      }),
    );
    expect((await run(['create-stream', 'demo', '--on-demand'])).code).toBe(0);
    expect(body).toEqual({ StreamMode: 'ON_DEMAND' });
  });

  it('rejects --shard-count with --on-demand as a usage error', async () => {
    const result = await run(['create-stream', 'demo', '--on-demand', '--shard-count', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('exclude each other');
  });

  it('409 ResourceInUseException "already exists": the stream exists, not "being created"', async () => {
    server.use(
      http.post(`${ENDPOINT}/streams/demo`, () =>
        HttpResponse.json(
          {
            __type: 'ResourceInUseException',
            message: 'Stream demo under account 000000000000 already exists.',
          },
          { status: 409 },
        ),
      ),
    );
    const result = await run(['create-stream', 'demo']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Stream demo under account 000000000000 already exists.');
    expect(result.stderr).toContain('hint: A stream of that name exists already');
    expect(result.stderr).toContain('kproxy describe-stream demo');
    expect(result.stderr).not.toMatch(/being created/);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
  });
});

describe('describe-stream', () => {
  it('prints a summary and a shard table', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/demo`, () => HttpResponse.json(description('demo'))),
      http.get(`${ENDPOINT}/streams/demo/summary`, () =>
        HttpResponse.json({
          StreamDescriptionSummary: {
            StreamName: 'demo',
            StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/demo',
            StreamStatus: 'ACTIVE',
            RetentionPeriodHours: 24,
            StreamCreationTimestamp: 1_700_000_000,
            EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
            EncryptionType: 'KMS',
            OpenShardCount: 2,
            ConsumerCount: 0,
          },
        }),
      ),
    );
    const result = await run(['describe-stream', 'demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchSnapshot();
  });

  it("on a deployment made from the seeds (no /summary route) the header is the description's", async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/demo`, () => HttpResponse.json(description('demo'))),
      http.get(`${ENDPOINT}/streams/demo/summary`, () =>
        HttpResponse.json(
          { message: 'Missing Authentication Token' },
          { status: 403, headers: { 'x-amzn-errortype': 'MissingAuthenticationTokenException' } },
        ),
      ),
    );
    const result = await run(['describe-stream', 'demo', '--debug']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^name +demo$/m);
    expect(result.stdout).toMatch(/^shards +2$/m);
    expect(result.stdout).not.toMatch(/open shards/);
    expect(result.stderr).toContain(
      "no stream summary (the API has no /summary route): the header is DescribeStream's",
    );
  });

  it('--output json prints what aws kinesis describe-stream prints', async () => {
    server.use(http.get(`${ENDPOINT}/streams/demo`, () => HttpResponse.json(description('demo', 3))));
    const result = await run(['describe-stream', 'demo', '--output', 'json']);
    const { StreamDescription: d, ...rest } = JSON.parse(result.stdout);
    expect(rest).toEqual({});
    expect(d.StreamName).toBe('demo');
    expect(d.Shards.map((s: { ShardId: string }) => s.ShardId)).toHaveLength(3);
    // Paging fields are not part of what aws prints for a paged call.
    expect(d).not.toHaveProperty('HasMoreShards');
  });

  it('404 ResourceNotFoundException says so and suggests list-streams', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/nope`, () =>
        HttpResponse.json(
          { __type: 'ResourceNotFoundException', message: 'Stream nope not found' },
          { status: 404 },
        ),
      ),
    );
    const result = await run(['describe-stream', 'nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Stream nope not found');
    expect(result.stderr).toContain('kproxy list-streams');
    expect(result.stdout).toBe('');
  });

  it('an invalid stream name is refused before sending, as a usage error', async () => {
    const result = await run(['describe-stream', 'bad name!']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: NAME is not a valid stream name ("bad name!")');
    expect(result.stderr).not.toContain('streamName');
  });
});

describe('delete-stream', () => {
  it('deletes without asking when not on a terminal', async () => {
    let deleted = false;
    server.use(
      http.delete(`${ENDPOINT}/streams/demo`, () => {
        deleted = true;
        return HttpResponse.json({});
      }),
    );
    const result = await run(['delete-stream', 'demo']);
    expect(result.code).toBe(0);
    expect(deleted).toBe(true);
  });

  it('asks on a terminal, and a "n" keeps the stream', async () => {
    let deleted = false;
    server.use(
      http.delete(`${ENDPOINT}/streams/demo`, () => {
        deleted = true;
        return HttpResponse.json({});
      }),
    );
    const result = await run(['delete-stream', 'demo'], { stdin: 'n\n', tty: { stdin: true, stderr: true } });
    // Answering no is not an error: exit 0, and it says nothing was deleted.
    expect(result.code).toBe(0);
    expect(deleted).toBe(false);
    expect(result.stderr).toContain('Delete stream "demo"');
    expect(result.stderr).toContain('Nothing deleted: stream demo is kept.');
    expect(result.stderr).not.toContain('error:');
  });

  it('asks on a terminal, and "y" deletes', async () => {
    let deleted = false;
    server.use(
      http.delete(`${ENDPOINT}/streams/demo`, () => {
        deleted = true;
        return HttpResponse.json({});
      }),
    );
    const result = await run(['delete-stream', 'demo'], { stdin: 'y\n', tty: { stdin: true, stderr: true } });
    expect(result.code).toBe(0);
    expect(deleted).toBe(true);
  });
});

describe('put-record', () => {
  const capture = () => {
    const seen: { body?: Record<string, unknown> } = {};
    server.use(
      http.put(`${ENDPOINT}/streams/demo/record`, async ({ request }) => {
        seen.body = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({ ShardId: 'shardId-000000000000', SequenceNumber: '4960' });
      }),
    );
    return seen;
  };

  it('sends text data and prints shard and sequence number', async () => {
    const seen = capture();
    const result = await run(['put-record', 'demo', '--data', 'hello', '--partition-key', 'k']);
    expect(result).toMatchObject({ code: 0, stdout: 'shardId-000000000000\t4960\n' });
    expect(seen.body).toMatchObject({ Data: 'hello', PartitionKey: 'k' });
  });

  it('--data - reads stdin as bytes (binary-safe)', async () => {
    const seen = capture();
    const bytes = Uint8Array.from([0, 1, 2, 255, 10]);
    const result = await run(['put-record', 'demo', '--data', '-', '-k', 'k'], { stdin: bytes });
    expect(result.code).toBe(0);
    expect(seen.body).toMatchObject({ Data: Buffer.from(bytes).toString('base64'), Encoding: 'base64' });
  });

  it('--base64 decodes the given data', async () => {
    const seen = capture();
    await run(['put-record', 'demo', '--data', 'AAEC/w==', '--base64', '-k', 'k']);
    expect(seen.body).toMatchObject({ Data: 'AAEC/w==', Encoding: 'base64' });
  });

  it('a random partition key when none is given', async () => {
    const seen = capture();
    await run(['put-record', 'demo', '--data', 'x']);
    expect(seen.body?.PartitionKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('--output json prints what aws kinesis put-record prints', async () => {
    capture();
    const result = await run(['put-record', 'demo', '--data', 'x', '--output', 'json']);
    expect(JSON.parse(result.stdout)).toEqual({ ShardId: 'shardId-000000000000', SequenceNumber: '4960' });
  });

  it('needs exactly one data source', async () => {
    expect((await run(['put-record', 'demo'])).code).toBe(2);
    expect((await run(['put-record', 'demo', '--data', 'x', '--data-file', 'f'])).code).toBe(2);
  });

  it('--data fileb://FILE and file://FILE read the file, as aws kinesis put-record does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kproxy-fileb-'));
    writeFileSync(join(dir, 'blob.bin'), Uint8Array.from([0, 255, 10]));
    for (const scheme of ['fileb', 'file']) {
      const seen = capture();
      const result = await run([
        'put-record',
        'demo',
        '--data',
        `${scheme}://${join(dir, 'blob.bin')}`,
        '-k',
        'k',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(seen.body).toMatchObject({ Data: 'AP8K', Encoding: 'base64' });
    }
  });

  it('a missing --data-file is an error naming the file', async () => {
    const result = await run(['put-record', 'demo', '--data-file', '/nonexistent/file']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot read /nonexistent/file');
  });
});

describe('get-shard-iterator and get-records', () => {
  it('passes type, sequence number and prints the iterator', async () => {
    let query: URLSearchParams | undefined;
    server.use(
      http.get(`${ENDPOINT}/streams/demo/sharditerator`, ({ request }) => {
        query = new URL(request.url).searchParams;
        return HttpResponse.json({ ShardIterator: 'IT-1' });
      }),
    );
    const result = await run([
      'get-shard-iterator',
      'demo',
      '--shard-id',
      'shardId-000000000000',
      '--sequence-number',
      '12345',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: 'IT-1\n' });
    expect(query?.get('shard-iterator-type')).toBe('AT_SEQUENCE_NUMBER');
    expect(query?.get('starting-sequence-number')).toBe('12345');
  });

  it('AT_TIMESTAMP without --timestamp is a usage error', async () => {
    const result = await run(['get-shard-iterator', 'demo', '--shard-id', 's', '--type', 'AT_TIMESTAMP']);
    expect(result.code).toBe(2);
  });

  it('prints records as text, the next iterator on stderr', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/demo/records`, ({ request }) => {
        expect(request.headers.get('Shard-Iterator')).toBe('IT-1');
        return HttpResponse.json({
          Records: [
            {
              SequenceNumber: '1',
              PartitionKey: 'k',
              Data: Buffer.from('one').toString('base64'),
              ApproximateArrivalTimestamp: 1700000000,
            },
            { SequenceNumber: '2', PartitionKey: 'k', Data: Buffer.from([0xff, 0xfe]).toString('base64') },
          ],
          NextShardIterator: 'IT-2',
          MillisBehindLatest: 0,
        });
      }),
    );
    const text = await run(['get-records', 'demo', '--shard-iterator', 'IT-1']);
    expect(text.stdout).toBe('one\n//4=\n');
    expect(text.stderr).toContain('IT-2');
    expect(text.stderr).toContain('2 records; next shard iterator:');
  });

  it('an expired iterator suggests getting a new one', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/demo/records`, () =>
        HttpResponse.json(
          { __type: 'ExpiredIteratorException', message: 'Iterator expired' },
          { status: 400 },
        ),
      ),
    );
    const result = await run(['get-records', 'demo', '--shard-iterator', 'IT-1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('get-shard-iterator');
  });
});
