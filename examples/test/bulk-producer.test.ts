import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KproxyClient } from '@kproxy/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, readAll, runExample, useEmulator } from './support.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kproxy-examples-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const jsonl = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('against a plain emulator', () => {
  const emulator = useEmulator();

  it('loads every line, and keeps no failures file when nothing failed', async () => {
    await createStream(emulator.client, 'load', 2);
    const input = join(dir, 'load.jsonl');
    const records = Array.from({ length: 1200 }, (_, i) => ({
      partitionKey: `user-${i % 37}`,
      data: i % 2 ? { n: i } : `text ${i}`,
    }));
    await writeFile(input, jsonl(records));

    const run = await runExample('bulk-producer.ts', ['load', input], emulator.proxy.url);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^written 1200 records in \d+ requests \(0 retried\), 0 failed\n$/);
    await expect(readFile(join(dir, 'load.failed.jsonl'))).rejects.toThrow(/ENOENT/);

    const stored = await readAll(emulator.client, 'load');
    const texts = stored.map((r) => Buffer.from(r.data).toString()).sort();
    const expected = records.map((r) => (typeof r.data === 'string' ? r.data : JSON.stringify(r.data)));
    expect(texts).toEqual(expected.sort());
  });

  it('writes the lines of invalid records to the failures file, in the input format, and loads the rest', async () => {
    await createStream(emulator.client, 'mixed', 1);
    const input = join(dir, 'mixed.jsonl');
    const tooLongKey = JSON.stringify({ partitionKey: 'k'.repeat(300), data: 'key too long' });
    await writeFile(
      input,
      [
        JSON.stringify({ partitionKey: 'a', data: 'ok 1' }),
        'this is not JSON',
        '',
        tooLongKey,
        JSON.stringify({ data: 'no partition key' }),
        JSON.stringify({ partitionKey: 'b', data: 'ok 2' }),
      ].join('\n'),
    );
    const failures = join(dir, 'retry-me.jsonl');

    const run = await runExample(
      'bulk-producer.ts',
      ['mixed', input, '--failures', failures],
      emulator.proxy.url,
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^written 2 records in 1 requests \(0 retried\), 3 failed\n$/);
    expect(run.stderr).toContain('line 2: BadLine: not JSON');
    expect(run.stderr).toMatch(/line 4: InputError: .*partitionKey/);
    expect(run.stderr).toContain('line 5: BadLine: needs "partitionKey"');
    expect(run.stderr).toContain(
      `3 records not written (2 BadLine, 1 InputError): their lines are in ${failures}`,
    );
    expect((await readFile(failures, 'utf8')).split('\n')).toEqual([
      'this is not JSON',
      tooLongKey,
      JSON.stringify({ data: 'no partition key' }),
      '',
    ]);
    const stored = await readAll(emulator.client, 'mixed');
    expect(stored.map((r) => Buffer.from(r.data).toString())).toEqual(['ok 1', 'ok 2']);
  });

  it('stops at once with exit code 1 when the stream does not exist', async () => {
    const input = join(dir, 'nowhere.jsonl');
    await writeFile(input, jsonl([{ partitionKey: 'a', data: 'x' }]));
    const run = await runExample('bulk-producer.ts', ['no-such-stream', input], emulator.proxy.url);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bulk load stopped: .*no-such-stream/);
    await expect(readFile(join(dir, 'nowhere.failed.jsonl'))).rejects.toThrow(/ENOENT/);
  });
});

describe('against a throttled emulator', () => {
  // Stage throttling: 429 Too Many Requests beyond 20 requests a second (a burst of 2).
  const emulator = useEmulator({ throttle: { rate: 20, burst: 2 } });

  it('retries throttled requests until every record is written', async () => {
    const client = new KproxyClient({ endpoint: emulator.proxy.url, maxRetries: 10 });
    await createStream(client, 'throttled', 1);
    const input = join(dir, 'throttled.jsonl');
    await writeFile(
      input,
      jsonl(Array.from({ length: 300 }, (_, i) => ({ partitionKey: `k${i}`, data: `r${i}` }))),
    );

    // 30 requests of 10 records, 4 at a time: more than the bucket allows.
    const run = await runExample(
      'bulk-producer.ts',
      ['throttled', input, '--batch-records', '10'],
      emulator.proxy.url,
    );
    expect(run.code).toBe(0);
    const [, requests, retried] = /^written 300 records in (\d+) requests \((\d+) retried\), 0 failed\n$/
      .exec(run.stdout)!
      .map(Number);
    expect(retried).toBeGreaterThan(0);
    expect(requests).toBe(30 + retried! / 10);
    const stored = await readAll(client, 'throttled');
    expect(stored.map((r) => Buffer.from(r.data).toString()).sort()).toEqual(
      Array.from({ length: 300 }, (_, i) => `r${i}`).sort(),
    );
  });
});
