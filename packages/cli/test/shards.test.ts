/** list-shards, update-shard-count, describe-stream-summary, and how tail lists shards (--debug). */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { parseShardFilter } from '../src/commands/streams/list-shards.ts';
import { fakeStream } from './fake-stream.ts';
import { ENDPOINT, run, useMswServer } from './helpers.ts';

const server = useMswServer();

const shard = (n: number, parents: number[] = [], closed = false) => ({
  ShardId: `shardId-00000000000${n}`,
  ...(parents[0] !== undefined ? { ParentShardId: `shardId-00000000000${parents[0]}` } : {}),
  ...(parents[1] !== undefined ? { AdjacentParentShardId: `shardId-00000000000${parents[1]}` } : {}),
  HashKeyRange: { StartingHashKey: String(n * 10), EndingHashKey: String(n * 10 + 9) },
  SequenceNumberRange: {
    StartingSequenceNumber: `${n}00`,
    ...(closed ? { EndingSequenceNumber: `${n}99` } : {}),
  },
});

const SHARDS = [shard(0, [], true), shard(1, [], true), shard(2, [0, 1]), shard(3)];

/** ListShards over SHARDS: pages of max-results, the next-token the id after which to go on. */
function listShardsApi(): URLSearchParams[] {
  const seen: URLSearchParams[] = [];
  server.use(
    http.get(`${ENDPOINT}/streams/demo/shards`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      seen.push(query);
      const after = query.get('next-token') ?? query.get('exclusive-start-shard-id');
      const from = after ? SHARDS.findIndex((s) => s.ShardId === after) + 1 : 0;
      const max = Number(query.get('max-results') ?? 10_000);
      const page = SHARDS.slice(from, from + max);
      return HttpResponse.json({
        Shards: page,
        ...(from + max < SHARDS.length ? { NextToken: page.at(-1)!.ShardId } : {}),
      });
    }),
  );
  return seen;
}

describe('list-shards', () => {
  it('prints a table of every shard, all pages, with their parents', async () => {
    const seen = listShardsApi();
    const result = await run(['list-shards', 'demo', '--page-size', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'SHARD                 STATE   PARENTS                                    HASH KEY START  HASH KEY END',
      'shardId-000000000000  closed  -                                          0               9',
      'shardId-000000000001  closed  -                                          10              19',
      'shardId-000000000002  open    shardId-000000000000,shardId-000000000001  20              29',
      'shardId-000000000003  open    -                                          30              39',
      '',
    ]);
    expect(seen.map((q) => q.toString())).toEqual([
      'max-results=3',
      'max-results=3&next-token=shardId-000000000002',
    ]);
  });

  it('--output json prints what aws kinesis list-shards prints; --max-items and --starting-token page', async () => {
    const seen = listShardsApi();
    const first = await run(['list-shards', 'demo', '--output', 'json', '--max-items', '2']);
    const printed = JSON.parse(first.stdout);
    expect(Object.keys(printed)).toEqual(['Shards', 'NextToken']);
    expect(printed.Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
    ]);
    expect(printed.Shards[0]).toEqual(SHARDS[0]);
    const rest = await run([
      'list-shards',
      'demo',
      '--output',
      'json',
      '--starting-token',
      printed.NextToken,
    ]);
    expect(JSON.parse(rest.stdout).Shards.map((s: { ShardId: string }) => s.ShardId)).toEqual([
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
    expect(seen.at(-1)!.get('exclusive-start-shard-id')).toBe('shardId-000000000001');
    const query = await run(['list-shards', '--stream-name', 'demo', '--query', 'Shards[].ShardId']);
    expect(JSON.parse(query.stdout)).toHaveLength(4);
  });

  it('--shard-filter takes a type or the aws shorthand, and sends it', async () => {
    const seen = listShardsApi();
    expect((await run(['list-shards', 'demo', '--shard-filter', 'AT_LATEST'])).code).toBe(0);
    expect(seen.at(-1)!.get('shard-filter-type')).toBe('AT_LATEST');
    const at = await run([
      'list-shards',
      'demo',
      '--shard-filter',
      'Type=AT_TIMESTAMP,Timestamp=1700000000.5',
    ]);
    expect(at.code, at.stderr).toBe(0);
    expect(seen.at(-1)!.get('shard-filter-timestamp')).toBe('1700000000.500');
    expect(parseShardFilter('Type=AFTER_SHARD_ID,ShardId=shardId-000000000001')).toEqual({
      type: 'AFTER_SHARD_ID',
      shardId: 'shardId-000000000001',
    });
    expect(parseShardFilter('at_latest')).toEqual({ type: 'AT_LATEST' });
    expect(() => parseShardFilter('SOON')).toThrow(/"SOON" is not a filter type/);
    expect(() => parseShardFilter('Kind=AT_LATEST')).toThrow(/not Type=…/);
  });

  it('refuses a filter without what it needs before sending, naming the flag', async () => {
    const result = await run(['list-shards', 'demo', '--shard-filter', 'AT_TIMESTAMP']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shard-filter Timestamp');
  });
});

describe('update-shard-count', () => {
  const summary = (status: string, open: number) =>
    HttpResponse.json({
      StreamDescriptionSummary: {
        StreamName: 'demo',
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/demo',
        StreamStatus: status,
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: 1_700_000_000,
        OpenShardCount: open,
      },
    });

  it('sends the target, prints what aws prints, and with --wait returns once the count is reached', async () => {
    const bodies: unknown[] = [];
    let polls = 0;
    server.use(
      http.put(`${ENDPOINT}/streams/demo/shard-count`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({
          StreamName: 'demo',
          StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/demo',
          CurrentShardCount: 2,
          TargetShardCount: 4,
        });
      }),
      http.get(`${ENDPOINT}/streams/demo/summary`, () => {
        polls++;
        return summary('ACTIVE', 4);
      }),
    );
    const waited = await run(['update-shard-count', 'demo', '--target', '4', '--wait', '--output', 'json']);
    expect(waited.code, waited.stderr).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual({
      StreamName: 'demo',
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/demo',
      CurrentShardCount: 2,
      TargetShardCount: 4,
    });
    expect(waited.stderr).toContain('Resharded demo from 2 to 4 shards: ACTIVE');
    expect(polls).toBe(1);
    const aws = await run([
      'update-shard-count',
      '--stream-name',
      'demo',
      '--target-shard-count',
      '4',
      '--scaling-type',
      'UNIFORM_SCALING',
    ]);
    expect(aws.code, aws.stderr).toBe(0);
    expect(aws.stdout).toBe('');
    expect(aws.stderr).toContain('Resharding demo from 2 to 4 shards');
    expect(bodies).toEqual([
      { TargetShardCount: 4 },
      { TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' },
    ]);
  });

  it('a target that is no whole number, or none, is a usage error', async () => {
    for (const args of [['--target', '0'], ['--target', '1.5'], []]) {
      const result = await run(['update-shard-count', 'demo', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });

  it("Kinesis's limit is reported with its message", async () => {
    server.use(
      http.put(`${ENDPOINT}/streams/demo/shard-count`, () =>
        HttpResponse.json(
          {
            __type: 'LimitExceededException',
            message: 'UpdateShardCount to 9 shards would exceed double the current count of 4 open shards',
          },
          { status: 429 },
        ),
      ),
    );
    const result = await run(['update-shard-count', 'demo', '--target', '9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('would exceed double the current count of 4 open shards');
  });
});

describe('describe-stream-summary', () => {
  it('prints what aws kinesis describe-stream-summary prints, or a table', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/demo/summary`, () =>
        HttpResponse.json({
          StreamDescriptionSummary: {
            StreamName: 'demo',
            StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/demo',
            StreamStatus: 'UPDATING',
            RetentionPeriodHours: 24,
            OpenShardCount: 3,
          },
        }),
      ),
    );
    const json = await run(['describe-stream-summary', 'demo', '--output', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({
      StreamDescriptionSummary: {
        StreamName: 'demo',
        StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/demo',
        StreamStatus: 'UPDATING',
        RetentionPeriodHours: 24,
        OpenShardCount: 3,
      },
    });
    const text = await run(['describe-stream-summary', 'demo']);
    expect(text.stdout).toMatch(/^status +UPDATING$/m);
    expect(text.stdout).toMatch(/^open shards +3$/m);
  });
});

describe('tail --debug says how shards are listed', () => {
  it('with ListShards where the API has it', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a1'] });
    const result = await run(['tail', 'demo', '--no-follow', '--debug']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('[debug] demo: listed 1 shards with ListShards');
  });

  it('with DescribeStream on a deployment made from the seeds, and why', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a1'] });
    server.use(
      http.get(`${ENDPOINT}/streams/demo/shards`, () =>
        HttpResponse.json(
          { message: 'Missing Authentication Token' },
          { status: 403, headers: { 'x-amzn-errortype': 'MissingAuthenticationTokenException' } },
        ),
      ),
    );
    const result = await run(['tail', 'demo', '--no-follow', '--debug']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).data).toBe('a1');
    expect(result.stderr).toContain(
      '[debug] demo: listed 1 shards with DescribeStream (ListShards answered HTTP 403 (MissingAuthenticationTokenException): the API has no /shards route; DescribeStream allows 10 calls/s per account)',
    );
  });
});
