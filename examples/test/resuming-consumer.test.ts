import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStream, runExample, startExample, useEmulator } from './support.ts';

const emulator = useEmulator();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kproxy-examples-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Puts records `r<from>` … `r<to - 1>`, spread over the shards. */
async function put(streamName: string, from: number, to: number): Promise<void> {
  const records = Array.from({ length: to - from }, (_, i) => ({
    partitionKey: `k${from + i}`,
    data: `r${from + i}`,
  }));
  const result = await emulator.client.bulkPut({ streamName, records });
  expect(result.succeeded).toBe(to - from);
}

/** The data of each record a run printed (`<shard> <sequence number> <data>` per line). */
const printed = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[2]!);

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${from + i}`);

it('resumes after the last record handled: no record lost, none handled twice', async () => {
  await createStream(emulator.client, 'orders', 3);
  await put('orders', 0, 40);
  const checkpoint = join(dir, 'orders.json');
  const consume = (...args: string[]) =>
    runExample('resuming-consumer.ts', ['orders', '--checkpoint', checkpoint, ...args], emulator.proxy.url);

  const first = await consume('--limit', '7');
  expect(first.code).toBe(0);
  expect(first.stderr).toContain('no checkpoint: reading from the oldest record');
  const second = await consume('--limit', '11');
  expect(second.stderr).toContain(`resuming from ${checkpoint}`);
  const third = await consume('--no-follow');
  expect([first, second, third].map((run) => printed(run.stdout).length)).toEqual([7, 11, 22]);
  const all = [first, second, third].flatMap((run) => printed(run.stdout));
  expect(all.sort()).toEqual(range(0, 40).sort());

  // The checkpoint is the reader's position, saved whole (no temporary file left behind).
  const saved = JSON.parse(await readFile(checkpoint, 'utf8'));
  expect(Object.keys(saved.shards).sort()).toEqual([
    'shardId-000000000000',
    'shardId-000000000001',
    'shardId-000000000002',
  ]);
  await expect(readFile(`${checkpoint}.tmp`)).rejects.toThrow(/ENOENT/);

  // Records that arrive later are all that the next run sees.
  await put('orders', 40, 55);
  const fourth = await consume('--no-follow');
  expect(printed(fourth.stdout).sort()).toEqual(range(40, 55).sort());
  const fifth = await consume('--no-follow');
  expect(printed(fifth.stdout)).toEqual([]);
});

it('following, it stops on SIGTERM with the checkpoint covering exactly what it printed', async () => {
  await createStream(emulator.client, 'events', 2);
  await put('events', 0, 30);
  const checkpoint = join(dir, 'events.json');
  const following = startExample(
    'resuming-consumer.ts',
    ['events', '--checkpoint', checkpoint],
    emulator.proxy.url,
  );
  // Wait until it has caught up with the backlog, then add records while it follows.
  await expect.poll(() => printed(following.output.stdout).length, { timeout: 15_000 }).toBe(30);
  await put('events', 30, 45);
  await expect.poll(() => printed(following.output.stdout).length, { timeout: 15_000 }).toBe(45);
  following.child.kill('SIGTERM');
  const stopped = await following.done;
  expect(stopped.code).toBe(0);
  expect(stopped.stderr).toContain('handled 45 records');

  await put('events', 45, 50);
  const next = await runExample(
    'resuming-consumer.ts',
    ['events', '--checkpoint', checkpoint, '--no-follow'],
    emulator.proxy.url,
  );
  expect([...printed(stopped.stdout), ...printed(next.stdout)].sort()).toEqual(range(0, 50).sort());
});

it('after a crash (SIGKILL) it loses nothing, and hands over at most the one record in hand again', async () => {
  await createStream(emulator.client, 'crash', 2);
  await put('crash', 0, 2000);
  const checkpoint = join(dir, 'crash.json');
  const running = startExample(
    'resuming-consumer.ts',
    ['crash', '--checkpoint', checkpoint],
    emulator.proxy.url,
  );
  await expect
    .poll(() => printed(running.output.stdout).length, { timeout: 15_000, interval: 5 })
    .toBeGreaterThan(20);
  running.child.kill('SIGKILL');
  const killed = await running.done;
  expect(killed.signal).toBe('SIGKILL');

  const next = await runExample(
    'resuming-consumer.ts',
    ['crash', '--checkpoint', checkpoint, '--no-follow'],
    emulator.proxy.url,
  );
  expect(next.code).toBe(0);
  const before = printed(killed.stdout);
  // The kill came part-way (else this test would show nothing).
  expect(before.length).toBeLessThan(2000);
  const after = printed(next.stdout);
  expect(new Set([...before, ...after])).toEqual(new Set(range(0, 2000)));
  // At-least-once: killed between printing a record and saving the checkpoint, that record comes again.
  expect(before.length + after.length - 2000).toBeLessThanOrEqual(1);
});

it('says why it stopped, with exit code 1, when the stream does not exist', async () => {
  const run = await runExample(
    'resuming-consumer.ts',
    ['no-such-stream', '--checkpoint', join(dir, 'none.json'), '--no-follow'],
    emulator.proxy.url,
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/consumer stopped after 0 records: .*no-such-stream/);
});
