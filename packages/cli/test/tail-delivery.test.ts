/**
 * What `tail` promises about delivery: it reads no further ahead than its consumer takes, a checkpoint
 * covers only records whose write the operating system has taken, checkpoints leave no temporary files,
 * `--output-file` is cut back to its checkpointed length on resume, and an outage is one warning and
 * one recovery line. Reading runs on a fake clock where it needs no real time.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Clock, KproxyClient } from '@kproxy/client';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { createFormatter } from '../src/records/format.ts';
import { Checkpoint } from '../src/tail/checkpoint.ts';
import { StreamOutput } from '../src/tail/output.ts';
import { runTail } from '../src/tail/run.ts';
import { fakeSequence, fakeStream } from './fake-stream.ts';
import { ENDPOINT, run, tempDir, useMswServer } from './helpers.ts';

const server = useMswServer();

/** Sleeps return after a macrotask turn and advance time: pacing costs no real time. */
class FakeClock implements Clock {
  time = Date.UTC(2026, 0, 15, 12);
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.time += ms;
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

/** A consumer that takes a write only when the test says so. */
class HeldWritable extends Writable {
  readonly taken: string[] = [];
  readonly #held: (() => void)[] = [];
  constructor() {
    super({ highWaterMark: 1, decodeStrings: false });
  }
  override _write(chunk: string, _encoding: BufferEncoding, callback: () => void): void {
    this.#held.push(() => {
      this.taken.push(String(chunk));
      callback();
    });
  }
  get pending(): number {
    return this.#held.length;
  }
  /** Takes the oldest write held. */
  release(): void {
    this.#held.shift()?.();
  }
}

/** Gives the tail the chance to run as far as it can (it waits on msw and the disk, not on time). */
async function settle(ms = 50): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds (the tail got to a write), failing after a few seconds. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i++) {
    if (i > 2000) throw new Error('the tail never got there');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const client = () => new KproxyClient({ endpoint: ENDPOINT, clock: new FakeClock() });
const records = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('backpressure', () => {
  it('with a consumer that takes nothing, the reader stops reading; it goes on as the consumer takes', async () => {
    const { reads } = fakeStream(
      server,
      { 'shardId-000000000000': records(400, 'a'), 'shardId-000000000001': records(400, 'b') },
      { pageSize: 20 },
    );
    const consumer = new HeldWritable();
    const reader = client().readStream({ streamName: 'demo', follow: false });
    const done = runTail({
      streams: [{ name: 'demo', reader, format: createFormatter('%s', ['text'], 'demo') }],
      output: new StreamOutput(consumer),
      checkpoint: undefined,
      filter: undefined,
      count: undefined,
    });
    await until(() => consumer.pending === 1);
    await settle(200);
    // One write held; each shard holds at most one read and has at most one more under way: 2 × 2
    // pages of 20 records, of 800 (pacing costs no time here: without backpressure it would read all).
    expect(consumer.pending).toBe(1);
    expect(reads.records).toBeLessThanOrEqual(2 * 2 * 20);
    // Each write taken lets the reader read a little more, never far ahead of what was taken.
    let finished = false;
    void done.then(() => {
      finished = true;
    });
    while (!finished) {
      await until(() => consumer.pending > 0 || finished);
      consumer.release();
      await settle(5);
      const written = consumer.taken.join('').split('\n').length - 1;
      expect(reads.records - written).toBeLessThanOrEqual(2 * 2 * 20);
    }
    await done;
    expect(consumer.taken.join('').split('\n').filter(Boolean)).toHaveLength(800);
  });
});

describe('--checkpoint', () => {
  it('covers a record only once the operating system has taken its write', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0', 'a1', 'a2'] });
    const dir = tempDir();
    const path = join(dir, 'ck');
    const checkpoint = Checkpoint.open(path, ['demo']);
    const consumer = new HeldWritable();
    const reader = client().readStream({ streamName: 'demo', follow: false });
    const done = runTail({
      streams: [{ name: 'demo', reader, format: createFormatter('%s', ['text'], 'demo') }],
      output: new StreamOutput(consumer),
      checkpoint,
      filter: undefined,
      count: undefined,
    });
    const covered = () => {
      const saved = Checkpoint.open(path, ['demo']);
      saved.close();
      return saved.saved!.streams.demo!.shards['shardId-000000000000'];
    };
    // Each record's write is held until released: the checkpoint covers the records before it only.
    await until(() => consumer.pending === 1);
    await settle();
    expect(covered()).toBeUndefined();
    consumer.release();
    await until(() => consumer.pending === 1);
    expect(consumer.taken).toEqual(['a0\n']);
    expect(covered()).toBe(fakeSequence(0, 0));
    consumer.release();
    await until(() => consumer.pending === 1);
    await settle();
    expect(covered()).toBe(fakeSequence(0, 1));
    consumer.release();
    await done;
    expect(covered()).toBe(fakeSequence(0, 2));
    checkpoint.close();
  });

  it('removes temporary files of dead tails on start, and leaves none behind', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0', 'a1'] });
    const dir = tempDir();
    const dead = join(dir, '.ck.2147483646.tmp');
    const own = join(dir, `.ck.${process.pid}.tmp`);
    const live = join(dir, `.ck.${process.ppid}.tmp`);
    for (const file of [dead, own, live]) writeFileSync(file, '{"version":2,"streams":{}}');
    const result = await run(['tail', 'demo', '-e', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(own)).toBe(false);
    // A running process's temporary file may be in use: kept.
    expect(existsSync(live)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([`.ck.${process.ppid}.tmp`, 'ck']);
  });

  it('ignores a line torn by a crash and resumes from the last whole one', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0', 'a1', 'a2'] });
    const dir = tempDir();
    const first = await run(['tail', 'demo', '-c', '1', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(first.stdout).toBe('a0\n');
    appendFileSync(join(dir, 'ck'), '{"stream":"demo","shardId":"shardId-0000');
    const second = await run(['tail', 'demo', '-e', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe('a1\na2\n');
    expect(readFileSync(join(dir, 'ck'), 'utf8')).not.toContain('shardId-0000"');
  });

  it('reads the one-object checkpoints of earlier versions', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0', 'a1', 'a2'] });
    const dir = tempDir();
    const position = { shards: { 'shardId-000000000000': fakeSequence(0, 0) }, finished: [] };
    writeFileSync(join(dir, 'ck'), JSON.stringify({ version: 1, stream: 'demo', position, updatedAt: 'x' }));
    const result = await run(['tail', 'demo', '-e', '--checkpoint', 'ck', '-f', '%s'], { cwd: dir });
    expect(result.stdout).toBe('a1\na2\n');
  });
});

describe('--output-file', () => {
  it('appends; on resume cuts off what was written after the checkpoint, so nothing is written twice', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0', 'a1', 'a2', 'a3'] });
    const dir = tempDir();
    const args = ['tail', 'demo', '-e', '--checkpoint', 'ck', '--output-file', 'out.txt', '-f', '%s'];
    const first = await run([...args, '-c', '2'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('a0\na1\n');
    // A crash after writing a2 (whole or torn) but before the checkpoint covered it.
    appendFileSync(join(dir, 'out.txt'), 'a2\na3');
    const second = await run(args, { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('cut 5 bytes');
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('a0\na1\na2\na3\n');
  });
});

describe('outages while following', () => {
  it('one warning when reading starts failing, one line when it works again', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0'] });
    let failures = 5;
    server.use(
      http.get(`${ENDPOINT}/streams/demo/records`, () => (failures-- > 0 ? HttpResponse.error() : undefined)),
    );
    // Following (it would retry for ever); -c 1 ends it once the record is printed.
    const { code, stdout, stderr } = await run(['tail', 'demo', '-c', '1', '-f', '%s']);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('a0\n');
    expect(stderr.match(/warning: reading demo failed/g)).toHaveLength(1);
    expect(stderr).toContain('Retrying until it works');
    expect(stderr.match(/reading again after/g)).toHaveLength(1);
  });
});
