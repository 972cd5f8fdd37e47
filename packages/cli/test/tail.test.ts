import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    expect(lines[0]).toMatchObject({ version: 2, streams: { demo: { shards: {}, finished: [] } } });
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
    const json = await run([
      'get-records',
      'demo',
      '--shard-iterator',
      'IT',
      '--decode',
      'json',
      '--output',
      'json',
    ]);
    expect(JSON.parse(json.stdout).records[0].data).toEqual({ a: 1 });
    const base64 = await run(['get-records', 'demo', '--shard-iterator', 'IT', '--decode', 'base64']);
    expect(base64.stdout.split('\n')[0]).toBe(Buffer.from('{"a": 1}').toString('base64'));
    const gzip = await run(['get-records', 'demo', '--shard-iterator', 'IT', '--decode', 'gzip']);
    expect(gzip.stdout.split('\n')[1]).toBe('zipped');
  });
});
