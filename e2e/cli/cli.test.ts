/**
 * The built `kproxy` against the emulator: what a user types, end to end. The emulator runs in the test
 * process on a free port, in memory; each test uses its own stream.
 */

import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kproxy, run } from './kproxy.ts';

let proxy: LocalProxy;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), 'kproxy-cli-e2e-'));

beforeAll(async () => {
  await buildCli();
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
  endpoint = proxy.url;
}, 60_000);
afterAll(() => proxy?.close());

async function createStream(name: string, shards: number): Promise<void> {
  const created = await run(['create-stream', name, '--shard-count', String(shards), '--wait'], { endpoint });
  expect(created.code, created.stderr).toBe(0);
}

const parseLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l !== '')
    .map(
      (l) => JSON.parse(l) as { data: string; partitionKey: string; sequenceNumber: string; shardId: string },
    );

describe('kproxy against the emulator', () => {
  it('put-record, then tail --no-follow returns it', async () => {
    await createStream('one', 2);
    const put = await run(['put-record', 'one', '--data', '-', '--partition-key', 'greeting'], {
      endpoint,
      input: 'hello, kinesis\n',
    });
    expect(put.code, put.stderr).toBe(0);
    const [shardId, sequenceNumber] = put.stdout.trim().split('\t');

    const tail = await run(['tail', 'one', '--no-follow'], { endpoint });
    expect(tail.code, tail.stderr).toBe(0);
    expect(parseLines(tail.stdout)).toEqual([
      expect.objectContaining({
        stream: 'one',
        shardId,
        sequenceNumber,
        partitionKey: 'greeting',
        data: 'hello, kinesis\n',
      }),
    ]);
  });

  it('put-records of 10,000 lines, then tail --no-follow --count 10000 returns every one', async () => {
    await createStream('bulk', 4);
    const file = join(dir, 'bulk.jsonl');
    const expected = Array.from({ length: 10_000 }, (_, i) => `record-${i}`);
    await writeFile(
      file,
      expected.map((data, i) => JSON.stringify({ data, partitionKey: `k${i % 97}` })).join('\n'),
    );

    const put = await run(['put-records', 'bulk', file, '--output', 'json'], { endpoint });
    expect(put.code, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ succeeded: 10_000, failed: 0 });

    const tail = await run(['tail', 'bulk', '--no-follow', '--count', '10000'], { endpoint });
    expect(tail.code, tail.stderr).toBe(0);
    const data = parseLines(tail.stdout).map((r) => r.data);
    expect(data).toHaveLength(10_000);
    expect(new Set(data)).toEqual(new Set(expected));
  }, 60_000);

  it('tail --from -15m --no-follow prints a backlog larger than one GetRecords, on every shard', async () => {
    await createStream('backlog', 2);
    // 12,000 records on one key (one shard: past one 10,000-record read), 200 spread over both shards.
    const lines = [
      ...Array.from({ length: 12_000 }, (_, i) => JSON.stringify({ data: `hot-${i}`, partitionKey: 'hot' })),
      ...Array.from({ length: 200 }, (_, i) =>
        JSON.stringify({ data: `spread-${i}`, partitionKey: `k${i}` }),
      ),
    ];
    const put = await run(['put-records', 'backlog', '--output', 'json'], {
      endpoint,
      input: lines.join('\n'),
    });
    expect(put.code, put.stderr).toBe(0);

    const tail = await run(['tail', 'backlog', '--from', '-15m', '--no-follow'], { endpoint });
    expect(tail.code, tail.stderr).toBe(0);
    const printed = parseLines(tail.stdout);
    expect(new Set(printed.map((r) => r.shardId)).size).toBe(2);
    expect(printed).toHaveLength(12_200);
    // Every record once, and each shard's records in sequence-number order (put-records sends batches
    // concurrently, so the input order of one key is not what is stored).
    const hot = printed.filter((r) => r.partitionKey === 'hot').map((r) => r.data);
    expect(new Set(hot)).toEqual(new Set(Array.from({ length: 12_000 }, (_, i) => `hot-${i}`)));
    for (const shardId of new Set(printed.map((r) => r.shardId))) {
      const sequence = printed.filter((r) => r.shardId === shardId).map((r) => BigInt(r.sequenceNumber));
      expect(sequence.every((n, i) => i === 0 || n > sequence[i - 1]!)).toBe(true);
    }
  }, 60_000);

  it('tail --from <sequence number> on a 2-shard stream reads the shard that holds it, from that record', async () => {
    await createStream('byseq', 2);
    const input = Array.from({ length: 20 }, (_, i) => `r${i}`).join('\n');
    const put = await run(['put-records', 'byseq', '--lines', '--partition-key', 'k{n}'], {
      endpoint,
      input,
    });
    expect(put.code, put.stderr).toBe(0);
    const all = parseLines((await run(['tail', 'byseq', '--no-follow'], { endpoint })).stdout);
    for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
      // The engine refuses a sequence number on a shard that did not issue it: the tail finds the right one.
      const records = all.filter((r) => r.shardId === shardId);
      expect(records.length).toBeGreaterThan(1);
      const from = records[1]!;
      const tail = await run(['tail', 'byseq', '--from', from.sequenceNumber, '--no-follow'], { endpoint });
      expect(tail.code, tail.stderr).toBe(0);
      expect(parseLines(tail.stdout).map((r) => r.data)).toEqual(records.slice(1).map((r) => r.data));
    }
  });

  it('put-records reports a bad line by number and writes it to --failed-out, exit 3', async () => {
    await createStream('partial', 1);
    const put = await run(['put-records', 'partial', '--failed-out', 'failed.jsonl'], {
      endpoint,
      cwd: dir,
      input: '{"data":"ok","partitionKey":"k"}\n{"data":"no key"}\n',
    });
    expect(put.code).toBe(3);
    expect(put.stderr).toContain('line 2:');
  });

  it('a tail --checkpoint killed mid-way resumes with nothing lost and at most one record repeated', async () => {
    await createStream('resume', 2);
    const total = 5000;
    const lines = Array.from({ length: total }, (_, i) => `r${i}`).join('\n');
    const put = await run(['put-records', 'resume', '--lines', '--partition-key', 'k{n}'], {
      endpoint,
      input: lines,
    });
    expect(put.code, put.stderr).toBe(0);

    const checkpoint = join(dir, 'resume.ckpt');
    const first = kproxy(['tail', 'resume', '--no-follow', '--checkpoint', checkpoint], { endpoint });
    first.onStdout((stdout) => {
      if (stdout.split('\n').length > 1000) first.kill('SIGKILL');
    });
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    // Only complete lines count as printed (a line is written in one write).
    const before = parseLines(killed.stdout.slice(0, killed.stdout.lastIndexOf('\n') + 1)).map((r) => r.data);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(total);

    const second = await run(['tail', 'resume', '--no-follow', '--checkpoint', checkpoint], { endpoint });
    expect(second.code, second.stderr).toBe(0);
    const after = parseLines(second.stdout).map((r) => r.data);

    expect(new Set([...before, ...after]).size).toBe(total);
    const repeated = after.filter((d) => before.includes(d));
    expect(repeated.length).toBeLessThanOrEqual(1);
  }, 60_000);

  it('describe-stream --output json prints every field the API answers, as aws kinesis does', async () => {
    await createStream('fields', 1);
    const raw = await fetch(`${endpoint}/streams/fields`);
    const answered = ((await raw.json()) as { StreamDescription: Record<string, unknown> }).StreamDescription;
    const result = await run(['describe-stream', 'fields', '--output', 'json'], { endpoint });
    expect(result.code, result.stderr).toBe(0);
    const printed = (JSON.parse(result.stdout) as { StreamDescription: Record<string, unknown> })
      .StreamDescription;
    // kinesalite answers EnhancedMonitoring; a schema that forgot a field would drop it here.
    expect(Object.keys(answered)).toContain('EnhancedMonitoring');
    // HasMoreShards is the one paging field: the CLI reads every page, as `aws kinesis` does.
    const { HasMoreShards: _, ...unpaged } = answered;
    expect(Object.keys(printed).sort()).toEqual(Object.keys(unpaged).sort());
    expect(printed.EnhancedMonitoring).toEqual(answered.EnhancedMonitoring);
  });

  it('an unknown stream exits 1 with a hint', async () => {
    const result = await run(['describe-stream', 'missing'], { endpoint });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('kproxy list-streams');
  });
});

describe('kproxy local on a data directory another emulator holds', () => {
  it('says so in one line (the directory, who holds it, how to fix) and exits 2, without a stack trace', async () => {
    const dataDir = join(dir, 'held-data');
    const holder = await startLocalProxy({ port: 0, dataDir, quiet: true });
    try {
      const second = await run(['local', '--port', '0', '--data-dir', dataDir], { endpoint });
      expect(second.code, second.stderr).toBe(2);
      expect(second.stdout).toBe('');
      const lines = second.stderr.trim().split('\n');
      expect(lines, second.stderr).toHaveLength(1);
      expect(lines[0]).toContain(dataDir);
      expect(lines[0]).toMatch(/in use by another `kproxy local`: stop it, or .*--data-dir .*--in-memory/);
      expect(second.stderr).not.toMatch(/LOCK|LevelDB|levelup|\n\s+at /);
    } finally {
      await holder.close();
    }
    // Once the holder has stopped, the directory is free again.
    const next = kproxy(['local', '--port', '0', '--data-dir', dataDir, '--quiet'], { endpoint });
    const url = await new Promise<string>((resolve) =>
      next.onStdout((out) => out.includes('\n') && resolve(out)),
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\n/);
    next.kill('SIGTERM');
    expect((await next.done).code).toBe(0);
  });
});
