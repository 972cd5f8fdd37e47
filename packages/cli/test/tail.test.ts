import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeAggregatedRecord, KPL_MAGIC } from '@kproxy/client';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { type FakeRecord, fakeStream as fakeStreamOf } from './fake-stream.ts';
import { ENDPOINT, run, tempDir, useMswServer } from './helpers.ts';

const server = useMswServer();

const fakeStream = (records: Record<string, FakeRecord[]>) => fakeStreamOf(server, records);

const STREAM = { 'shardId-000000000000': ['a1', 'a2', 'a3'], 'shardId-000000000001': ['b1', 'b2'] };

describe('tail', () => {
  it('--no-follow prints every record of every shard as JSON envelopes when piped', async () => {
    fakeStream(STREAM);
    const result = await run(['tail', 'demo', '--no-follow']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.data).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(lines[0]).toMatchObject({
      stream: 'demo',
      partitionKey: expect.stringMatching(/^key-/),
      approximateArrivalTimestamp: '2023-11-14T22:13:20.000Z',
    });
  });

  it('prints text on a terminal, and a template with --format', async () => {
    fakeStream({ 'shardId-000000000000': ['a1'] });
    const text = await run(['tail', 'demo', '--exit-at-end'], { tty: { stdout: true } });
    expect(text.stdout).toBe('a1\n');
    const template = await run(['tail', 'demo', '--no-follow', '--format', '%t/{stream} %p %k {data}\\t%S']);
    expect(template.stdout).toBe('demo/demo shardId-000000000000 key-a1 a1\t2\n');
  });

  it('an unknown placeholder is a usage error', async () => {
    const result = await run(['tail', 'demo', '--format', '%q']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown placeholder "%q"');
    // Only the documented names: not whatever a plain object inherits.
    const inherited = await run(['tail', 'demo', '--format', '{toString}']);
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toContain('unknown placeholder "{toString}"');
  });

  it('--count stops after N records', async () => {
    fakeStream(STREAM);
    const result = await run(['tail', 'demo', '--count', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('--shard-id reads only that shard', async () => {
    fakeStream(STREAM);
    const result = await run([
      'tail',
      'demo',
      '--no-follow',
      '--shard-id',
      'shardId-000000000001',
      '--format',
      '%s',
    ]);
    expect(result.stdout).toBe('b1\nb2\n');
  });

  it('--checkpoint resumes right after the last record printed', async () => {
    const { iteratorRequests } = fakeStream(STREAM);
    const dir = tempDir();
    const first = await run(['tail', 'demo', '--count', '3', '--checkpoint', 'ck.json', '--format', '%s'], {
      cwd: dir,
    });
    // A log of JSON lines: full states, and a line per record handed out.
    const lines = readFileSync(join(dir, 'ck.json'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ version: 3, streams: { demo: { shards: {}, finished: [] } } });
    expect(lines.filter((l) => l.sequenceNumber)).toHaveLength(3);
    const second = await run(['tail', 'demo', '--no-follow', '--checkpoint', 'ck.json', '--format', '%s'], {
      cwd: dir,
    });
    const all = [...first.stdout.trim().split('\n'), ...second.stdout.trim().split('\n')];
    expect(all.sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    expect(iteratorRequests.some((q) => q.get('shard-iterator-type') === 'AFTER_SEQUENCE_NUMBER')).toBe(true);
  });

  it('a checkpoint of another stream is refused', async () => {
    fakeStream(STREAM);
    const dir = tempDir();
    await run(['tail', 'demo', '--count', '1', '--checkpoint', 'ck.json'], { cwd: dir });
    const result = await run(['tail', 'other', '--checkpoint', 'ck.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('belongs to stream "demo"');
  });

  it('--from latest starts at the tip; a relative --from asks for AT_TIMESTAMP', async () => {
    const { iteratorRequests } = fakeStream(STREAM);
    const latest = await run(['tail', 'demo', '--no-follow', '--from', 'latest']);
    expect(latest.stdout).toBe('');
    await run(['tail', 'demo', '--no-follow', '--from', '-15m']);
    const timestamp = iteratorRequests
      .find((q) => q.get('shard-iterator-type') === 'AT_TIMESTAMP')
      ?.get('timestamp');
    expect(Number(timestamp)).toBeGreaterThan(Date.now() / 1000 - 16 * 60);
    expect(Number(timestamp)).toBeLessThan(Date.now() / 1000 - 14 * 60);
  });

  it('--from <sequence number> needs --shard-id when several shards accept it (exit 2)', async () => {
    const { iteratorRequests, reads } = fakeStream(STREAM);
    // Both shards are open and started before it, and this fake accepts any number on any shard.
    const ambiguous = await run(['tail', 'demo', '--no-follow', '--from', '2000000000000000001']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('shardId-000000000000, shardId-000000000001');
    expect(ambiguous.stderr).toContain('--shard-id');
    expect(ambiguous.stderr).not.toContain('shardIds');
    // Each candidate was asked; nothing was read or printed.
    expect(iteratorRequests.map((q) => q.get('shard-iterator-type'))).toEqual([
      'AT_SEQUENCE_NUMBER',
      'AT_SEQUENCE_NUMBER',
    ]);
    expect(reads.count).toBe(0);
    expect(ambiguous.stdout).toBe('');
    iteratorRequests.length = 0;

    const named = await run([
      'tail',
      'demo',
      '--no-follow',
      '--from',
      '2000000000000000001',
      '--shard-id',
      'shardId-000000000001',
      '--format',
      '%s',
    ]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toBe('b2\n');
    expect(iteratorRequests.map((q) => q.get('shard-iterator-type'))).toEqual(['AT_SEQUENCE_NUMBER']);
  });

  it('--from <sequence number> on a stream with one shard open finds the shard itself', async () => {
    fakeStream({ 'shardId-000000000000': ['a1', 'a2', 'a3'] });
    const result = await run(['tail', 'demo', '--no-follow', '--from', '1000000000000000001', '-f', '%s']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('a2\na3\n');
  });

  it('a bad --from is a usage error', async () => {
    const result = await run(['tail', 'demo', '--from', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--from');
  });

  it('stops cleanly when aborted (Ctrl-C) while following', async () => {
    fakeStream({ 'shardId-000000000000': ['a1'] });
    const controller = new AbortController();
    const pending = run(['tail', 'demo', '--format', '%s'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('SIGINT')), 300);
    const result = await pending;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('a1\n');
  });
});

describe('--decode', () => {
  it('json, base64 and gzip', async () => {
    const { gzipSync } = await import('node:zlib');
    server.use(
      http.get(`${ENDPOINT}/streams/demo/records`, () =>
        HttpResponse.json({
          Records: [
            { SequenceNumber: '1', PartitionKey: 'k', Data: Buffer.from('{"a": 1}').toString('base64') },
            { SequenceNumber: '2', PartitionKey: 'k', Data: gzipSync('zipped').toString('base64') },
          ],
          NextShardIterator: 'IT-2',
        }),
      ),
    );
    const json = await run(['get-records', 'demo', '--shard-iterator', 'IT', '--decode', 'json']);
    expect(JSON.parse(json.stdout.split('\n')[0]!)).toEqual({ a: 1 });
    const base64 = await run(['get-records', 'demo', '--shard-iterator', 'IT', '--decode', 'base64']);
    expect(base64.stdout.split('\n')[0]).toBe(Buffer.from('{"a": 1}').toString('base64'));
    const gzip = await run(['get-records', 'demo', '--shard-iterator', 'IT', '--decode', 'gzip']);
    expect(gzip.stdout.split('\n')[1]).toBe('zipped');
  });
});

describe('KPL aggregated records', () => {
  /** Shard 0: a plain record, then an aggregate of 3 user records (keys u0…u2, one with a hash key). */
  const aggregated = () =>
    fakeStream({
      'shardId-000000000000': [
        'p1',
        {
          key: 'outer',
          data: encodeAggregatedRecord([
            { partitionKey: 'u0', data: new TextEncoder().encode('x0') },
            { partitionKey: 'u1', data: new TextEncoder().encode('x1'), explicitHashKey: '42' },
            { partitionKey: 'u2', data: new TextEncoder().encode('x2') },
          ]),
        },
      ],
    });

  it('prints the user records, each with its key and subSequenceNumber; --no-deaggregate the stored record', async () => {
    aggregated();
    const json = await run(['tail', 'demo', '-e']);
    expect(json.code, json.stderr).toBe(0);
    const lines = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.data, l.partitionKey, l.subSequenceNumber, l.explicitHashKey])).toEqual([
      ['p1', 'key-p1', undefined, undefined],
      ['x0', 'u0', 0, undefined],
      ['x1', 'u1', 1, '42'],
      ['x2', 'u2', 2, undefined],
    ]);
    // subSequenceNumber right after sequenceNumber, in every line that has it.
    expect(Object.keys(lines[1]).slice(0, 4)).toEqual([
      'stream',
      'shardId',
      'sequenceNumber',
      'subSequenceNumber',
    ]);

    const template = await run(['tail', 'demo', '-e', '-f', '%o/{subSequenceNumber} %k {explicitHashKey}']);
    expect(template.stdout.split('\n').map((l) => l.replace(/^\d+/, 'S'))).toEqual([
      'S/ key-p1 ',
      'S/0 u0 ',
      'S/1 u1 42',
      'S/2 u2 ',
      '',
    ]);

    const raw = await run(['tail', 'demo', '-e', '--no-deaggregate', '--decode', 'base64']);
    const rawLines = raw.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rawLines).toHaveLength(2);
    expect(rawLines[1].partitionKey).toBe('outer');
    expect(Buffer.from(rawLines[1].dataBase64, 'base64').subarray(0, 4)).toEqual(Buffer.from(KPL_MAGIC));
  });

  it('--checkpoint resumes inside an aggregated record: the user records printed are not printed again', async () => {
    const { iteratorRequests } = aggregated();
    const dir = tempDir();
    const first = await run(['tail', 'demo', '-c', '2', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(first.stdout).toBe('p1\nx0\n');
    const lines = readFileSync(join(dir, 'ck'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // The record line of x0 names its place in the aggregate; the last state holds it too.
    expect(lines.find((l) => l.subSequenceNumber !== undefined)).toMatchObject({ subSequenceNumber: 0 });
    expect(lines.at(-1).streams.demo.shards['shardId-000000000000']).toMatchObject({ subSequenceNumber: 0 });

    const second = await run(['tail', 'demo', '-e', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('x1\nx2\n');
    expect(iteratorRequests.at(-1)!.get('shard-iterator-type')).toBe('AT_SEQUENCE_NUMBER');

    // After the aggregate's last user record, the position is past the record: nothing more.
    const third = await run(['tail', 'demo', '-e', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(third.stdout).toBe('');
    expect(iteratorRequests.at(-1)!.get('shard-iterator-type')).toBe('AFTER_SEQUENCE_NUMBER');
  });
});
