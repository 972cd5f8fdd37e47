/** `tail` with the habits of kcat users: -o, -e, -c, %T, formats, --decode chains, filters, streams. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type FakeRecord, type FakeStreamOptions, fakeSequence, fakeStream } from './fake-stream.ts';
import { run, useMswServer } from './helpers.ts';

const server = useMswServer();

/** Whole shards in one read: fewer paced reads, faster tests. */
const fake = (records: Record<string, FakeRecord[]>, options: FakeStreamOptions = {}) =>
  fakeStream(server, records, { pageSize: 100, ...options });

const STREAM = { 'shardId-000000000000': ['a1', 'a2', 'a3'], 'shardId-000000000001': ['b1', 'b2'] };
const lines = (stdout: string) => stdout.split('\n').filter((l) => l !== '');

describe('kcat habits', () => {
  it('-o beginning reads from the oldest record, -o end from the tip (kcat offsets)', async () => {
    const { iteratorRequests } = fake(STREAM);
    const beginning = await run(['tail', 'demo', '-o', 'beginning', '-e', '-f', '%s']);
    expect(beginning.code, beginning.stderr).toBe(0);
    expect(lines(beginning.stdout).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    iteratorRequests.length = 0;
    const end = await run(['tail', 'demo', '-o', 'end', '-e']);
    expect(end.stdout).toBe('');
    expect(iteratorRequests.map((q) => q.get('shard-iterator-type'))).toEqual(['LATEST', 'LATEST']);
  });

  it('-o -N prints the last N records of each shard (and so does --from -N)', async () => {
    fake(STREAM);
    const last = await run(['tail', 'demo', '-o', '-2', '-e', '-f', '%s']);
    expect(last.code, last.stderr).toBe(0);
    expect(lines(last.stdout).sort()).toEqual(['a2', 'a3', 'b1', 'b2']);
    const one = await run(['tail', 'demo', '--from', '-1', '-e', '-f', '%s']);
    expect(lines(one.stdout).sort()).toEqual(['a3', 'b2']);
    const bad = await run(['tail', 'demo', '-o', '-0', '-e']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('at least 1');
  });

  it('-o stored is refused with a pointer to --checkpoint; s@<ms> is a time in epoch ms', async () => {
    const { iteratorRequests } = fake(STREAM);
    const stored = await run(['tail', 'demo', '-o', 'stored']);
    expect(stored.code).toBe(2);
    expect(stored.stderr).toContain('--checkpoint');
    await run(['tail', 'demo', '-o', 's@1700000000000', '-e']);
    expect(iteratorRequests.map((q) => [q.get('shard-iterator-type'), q.get('timestamp')])).toEqual([
      ['AT_TIMESTAMP', '1700000000'],
      ['AT_TIMESTAMP', '1700000000'],
    ]);
  });

  it('-e exits at the end and -c N after N records', async () => {
    fake(STREAM);
    const counted = await run(['tail', 'demo', '-e', '-c', '2', '-f', '%s']);
    expect(counted.code, counted.stderr).toBe(0);
    expect(lines(counted.stdout)).toHaveLength(2);
    const counted1 = await run(['tail', 'demo', '-c1', '-f', '%s']);
    expect(lines(counted1.stdout)).toHaveLength(1);
  });

  it('%T is the arrival time in epoch milliseconds as in kcat; {timestamp} stays ISO 8601', async () => {
    fake({ 'shardId-000000000000': ['a1', 'a2'] });
    const result = await run(['tail', 'demo', '-e', '-f', '%T {timestamp} {timestampMs}']);
    expect(lines(result.stdout)).toEqual([
      '1700000000000 2023-11-14T22:13:20.000Z 1700000000000',
      '1700000001000 2023-11-14T22:13:21.000Z 1700000001000',
    ]);
  });

  it('a format that ends with a newline gets no second one; others get one', async () => {
    fake({ 'shardId-000000000000': ['a1', 'a2'] });
    expect((await run(['tail', 'demo', '-e', '-f', '%s\\n'])).stdout).toBe('a1\na2\n');
    expect((await run(['tail', 'demo', '-e', '-f', '%s\n'])).stdout).toBe('a1\na2\n');
    expect((await run(['tail', 'demo', '-e', '-f', '%s\\n--'])).stdout).toBe('a1\n--\na2\n--\n');
    expect((await run(['tail', 'demo', '-e', '-f', '[%s]\\r\\n'])).stdout).toBe('[a1]\r\n[a2]\r\n');
  });
});

describe('decoding and filters', () => {
  const records = [
    { data: gzipSync('{"level":"error","n":1}'), key: 'web' },
    { data: gzipSync('{"level":"info","n":2}'), key: 'db' },
    { data: gzipSync('{"level":"error","n":3}'), key: 'db' },
  ];

  it('--decode gzip,json gunzips then parses; steps out of order are a usage error', async () => {
    fake({ 'shardId-000000000000': records });
    const json = await run(['tail', 'demo', '-e', '--decode', 'gzip,json', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(lines(json.stdout).map((l) => JSON.parse(l).data)).toEqual([
      { level: 'error', n: 1 },
      { level: 'info', n: 2 },
      { level: 'error', n: 3 },
    ]);
    const text = await run(['tail', 'demo', '-e', '--decode', 'gzip', '-f', '%s']);
    expect(lines(text.stdout)[0]).toBe('{"level":"error","n":1}');
    const base64 = await run(['tail', 'demo', '-e', '--decode', 'gzip,base64', '-f', '%s']);
    expect(Buffer.from(lines(base64.stdout)[0]!, 'base64').toString()).toBe('{"level":"error","n":1}');
    const wrong = await run(['tail', 'demo', '-e', '--decode', 'json,gzip']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('must come last');
    const unknown = await run(['tail', 'demo', '-e', '--decode', 'zstd']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown step "zstd"');
  });

  it('--grep matches the decoded data; --partition-key keeps the keys given; both together', async () => {
    fake({ 'shardId-000000000000': records });
    const grep = await run([
      'tail',
      'demo',
      '-e',
      '--decode',
      'gzip',
      '--grep',
      '"level":"error"',
      '-f',
      '%k',
    ]);
    expect(lines(grep.stdout)).toEqual(['web', 'db']);
    const key = await run(['tail', 'demo', '-e', '--decode', 'gzip', '--partition-key', 'db', '-f', '%s']);
    expect(lines(key.stdout).map((l) => JSON.parse(l).n)).toEqual([2, 3]);
    const both = await run([
      'tail',
      'demo',
      '-e',
      '--decode',
      'gzip',
      '--grep',
      'error',
      '--partition-key',
      'db',
      '--partition-key',
      'api',
      '-f',
      '%s',
    ]);
    expect(lines(both.stdout).map((l) => JSON.parse(l).n)).toEqual([3]);
    // -c counts records printed, not records read.
    const counted = await run([
      'tail',
      'demo',
      '-e',
      '--decode',
      'gzip',
      '--grep',
      'error',
      '-c',
      '2',
      '-f',
      '%k',
    ]);
    expect(lines(counted.stdout)).toEqual(['web', 'db']);
    const bad = await run(['tail', 'demo', '-e', '--grep', '(']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--grep');
  });
});

describe('several streams, and --output', () => {
  it('reads several streams into one output; the json envelope names each record’s stream', async () => {
    fake(STREAM);
    fake({ 'shardId-000000000000': ['o1', 'o2'] }, { stream: 'other' });
    const result = await run(['tail', 'demo', 'other', '-e']);
    expect(result.code, result.stderr).toBe(0);
    const printed = lines(result.stdout).map((l) => JSON.parse(l) as { stream: string; data: string });
    expect(
      printed
        .filter((r) => r.stream === 'demo')
        .map((r) => r.data)
        .sort(),
    ).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(printed.filter((r) => r.stream === 'other').map((r) => r.data)).toEqual(['o1', 'o2']);
    const template = await run(['tail', 'demo', 'other', '-e', '-f', '%t %s']);
    expect(lines(template.stdout)).toContain('other o2');
    const counted = await run(['tail', 'demo', 'other', '-e', '-c', '3']);
    expect(lines(counted.stdout)).toHaveLength(3);
  });

  it('--shard-id and a sequence number belong to one stream: usage errors with several', async () => {
    const shard = await run(['tail', 'demo', 'other', '--shard-id', 'shardId-000000000000']);
    expect(shard.code).toBe(2);
    expect(shard.stderr).toContain('one stream');
    const seq = await run(['tail', 'demo', 'other', '--from', fakeSequence(0, 1)]);
    expect(seq.code).toBe(2);
    expect(seq.stderr).toContain('one stream');
  });

  it('honours the global --output: json on a terminal, text when piped; --format wins', async () => {
    fake({ 'shardId-000000000000': ['a1'] });
    const json = await run(['--output', 'json', 'tail', 'demo', '-e'], { tty: { stdout: true } });
    expect(JSON.parse(json.stdout)).toMatchObject({ stream: 'demo', data: 'a1' });
    const text = await run(['tail', 'demo', '-e', '--output', 'text']);
    expect(text.stdout).toBe('a1\n');
    const env = await run(['tail', 'demo', '-e'], { env: { KPROXY_OUTPUT: 'text' } });
    expect(env.stdout).toBe('a1\n');
    const format = await run(['tail', 'demo', '-e', '--output', 'json', '-f', '%k']);
    expect(format.stdout).toBe('key-a1\n');
  });
});
