/**
 * `kproxy tail`'s delivery promises, with the built bin as a user runs it against the emulator:
 * - `tail --checkpoint F | slow-consumer`, killed with SIGKILL at random moments while records are
 *   being written and read: no record lost, at most one repeated per crash — also when the records
 *   are KPL aggregated records (a kill inside one resumes inside it);
 * - `tail --checkpoint F --output-file O`, killed the same way: every record exactly once in O;
 * - an outage while following (the API stopped, then started again on the same port): one warning,
 *   one line when it works again, nothing lost;
 * - kcat habits on a real engine: the last N records of each shard.
 * Sequence numbers identify records: what the consumer got is compared with what was written.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAggregatedRecord, KproxyClient } from '@kproxy/client';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildCli, kproxy, run } from './kproxy.ts';

let proxy: LocalProxy;
let endpoint: string;
const dir = mkdtempSync(join(tmpdir(), 'kproxy-tail-e2e-'));

beforeAll(async () => {
  await buildCli();
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
  endpoint = proxy.url;
}, 60_000);
afterAll(() => proxy?.close());

/** A small seeded generator (mulberry32): the kill moments are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; !condition(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function createStream(client: KproxyClient, name: string, shardCount: number): Promise<void> {
  await client.createStream({ streamName: name, shardCount });
  for (;;) {
    const { streamStatus } = await client.describeStream({ streamName: name });
    if (streamStatus === 'ACTIVE') return;
    await sleep(50);
  }
}

/**
 * Puts a backlog of records `prefix-<n>` (so the tail can read faster than its consumer takes), then
 * more in small batches until stopped; remembers every record written by its identity: the sequence
 * number, or `<sequence number>/<sub-sequence number>` for a user record. With `aggregate`, the records
 * are put as a KPL producer puts them: `aggregate` user records in each Kinesis record.
 */
async function startWriter(client: KproxyClient, streamName: string, prefix: string, aggregate = 0) {
  const written = new Set<string>();
  let n = 0;
  const put = async (count: number) => {
    const users = Array.from({ length: count }, () => ({ data: `${prefix}-${n}`, partitionKey: `k${n++}` }));
    if (aggregate === 0) {
      const result = await client.putRecords({ streamName, records: users });
      for (const entry of result.records) {
        if (entry.sequenceNumber === undefined) throw new Error(`a put failed: ${entry.errorCode}`);
        written.add(entry.sequenceNumber);
      }
      return;
    }
    const groups: (typeof users)[] = [];
    for (let i = 0; i < users.length; i += aggregate) groups.push(users.slice(i, i + aggregate));
    const records = groups.map((group) => ({
      partitionKey: group[0]!.partitionKey,
      data: encodeAggregatedRecord(
        group.map((u) => ({ partitionKey: u.partitionKey, data: new TextEncoder().encode(u.data) })),
      ),
    }));
    const result = await client.putRecords({ streamName, records });
    result.records.forEach((entry, i) => {
      if (entry.sequenceNumber === undefined) throw new Error(`a put failed: ${entry.errorCode}`);
      for (let sub = 0; sub < groups[i]!.length; sub++) written.add(`${entry.sequenceNumber}/${sub}`);
    });
  };
  await put(500);
  let stop = false;
  const done = (async () => {
    while (!stop) {
      // Aggregated: faster than the consumer takes, so a kill finds the tail part-way through one.
      await put(aggregate === 0 ? 10 : 100);
      await sleep(100);
    }
  })();
  return {
    written,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

/**
 * Runs the bin with stdout going to a consumer that takes about 50 bytes per millisecond (roughly 250
 * records a second): slower than the tail reads a backlog. Resolves with the complete lines received.
 */
function slowConsumer(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KPROXY_AUTH: 'none', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), Math.ceil(chunk.length / 50));
  });
  const done = new Promise<{
    stdout: string;
    stderr: string;
    signal: NodeJS.Signals | null;
    code: number | null;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, stderr, signal, code }));
  });
  return { done, kill: () => child.kill('SIGKILL'), lines: () => stdout.split('\n').length - 1 };
}

/**
 * The identities of the records in the complete JSON lines of `text` (the sequence number, with the
 * sub-sequence number of a user record); a torn last line would be a failure.
 */
function sequenceNumbers(text: string): string[] {
  expect(text === '' || text.endsWith('\n'), 'a record line was torn').toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const { sequenceNumber, subSequenceNumber } = JSON.parse(l) as {
        sequenceNumber: string;
        subSequenceNumber?: number;
      };
      return subSequenceNumber === undefined ? sequenceNumber : `${sequenceNumber}/${subSequenceNumber}`;
    });
}

/** Every written record received; how many were received more than once. */
function compare(written: Set<string>, received: string[]) {
  const counts = new Map<string, number>();
  for (const s of received) counts.set(s, (counts.get(s) ?? 0) + 1);
  const lost = [...written].filter((s) => !counts.has(s));
  const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
  const unknown = [...counts.keys()].filter((s) => !written.has(s));
  return { lost, duplicates, unknown };
}

const CRASHES = 10;

describe('tail --checkpoint killed with SIGKILL at random moments', () => {
  it.each([
    { producer: 'plain records', stream: 'crash-pipe', aggregate: 0, seed: 20261115 },
    {
      producer: 'an aggregating producer (25 user records each)',
      stream: 'crash-agg',
      aggregate: 25,
      seed: 11,
    },
  ])(
    '$producer, to a slow consumer through a pipe: nothing lost, at most one record repeated per crash',
    async ({ stream, aggregate, seed }) => {
      const client = new KproxyClient({ endpoint, auth: { type: 'none' } });
      await createStream(client, stream, 2);
      const writer = await startWriter(client, stream, 'p', aggregate);
      const next = random(seed);
      const received: string[] = [];
      let resumedInside = 0;
      const args = ['tail', stream, '--checkpoint', `${stream}.ckpt`, '--format', 'json'];
      try {
        for (let crash = 0; crash < CRASHES; crash++) {
          const tail = slowConsumer(args, { KPROXY_ENDPOINT: endpoint });
          // Let it print something first, then kill it at a random moment.
          await until(() => tail.lines() > 0, 'the first record');
          await sleep(50 + next() * 400);
          tail.kill();
          const result = await tail.done;
          expect(result.signal, result.stderr).toBe('SIGKILL');
          const got = sequenceNumbers(result.stdout);
          // A run whose first user record of an aggregate is not its first resumed inside it.
          const seen = new Set<string>();
          for (const identity of got) {
            const [seq, sub] = identity.split('/');
            if (sub !== undefined && !seen.has(seq!) && sub !== '0') resumedInside++;
            seen.add(seq!);
          }
          received.push(...got);
        }
      } finally {
        await writer.stop();
      }
      // The rest, to the end, with a consumer as fast as it goes.
      const last = await run(['tail', stream, '--checkpoint', join(dir, `${stream}.ckpt`), '-e'], {
        endpoint,
      });
      expect(last.code, last.stderr).toBe(0);
      received.push(...sequenceNumbers(last.stdout));

      const { lost, duplicates, unknown } = compare(writer.written, received);
      console.info(
        `tail | slow consumer (${stream}), ${CRASHES} SIGKILLs: ${writer.written.size} written, ${received.length} received, ${lost.length} lost, ${duplicates} repeated, ${resumedInside} resumed inside an aggregate`,
      );
      expect(lost).toEqual([]);
      expect(unknown).toEqual([]);
      expect(duplicates).toBeLessThanOrEqual(CRASHES);
      if (aggregate > 0) expect(resumedInside, 'no kill fell inside an aggregated record').toBeGreaterThan(0);
    },
    90_000,
  );

  it('into --output-file: every record exactly once in the file', async () => {
    const client = new KproxyClient({ endpoint, auth: { type: 'none' } });
    await createStream(client, 'crash-file', 2);
    const writer = await startWriter(client, 'crash-file', 'f');
    const next = random(7);
    const out = join(dir, 'out.jsonl');
    const args = [
      'tail',
      'crash-file',
      '--checkpoint',
      'file.ckpt',
      '--output-file',
      out,
      '--format',
      'json',
    ];
    const lineCount = () => {
      try {
        return readFileSync(out, 'utf8').split('\n').length - 1;
      } catch {
        return 0;
      }
    };
    try {
      for (let crash = 0; crash < CRASHES; crash++) {
        const before = lineCount();
        const tail = kproxy(args, { endpoint, cwd: dir });
        await until(() => lineCount() > before, 'a record in the file');
        await sleep(next() * 400);
        tail.kill('SIGKILL');
        expect((await tail.done).signal).toBe('SIGKILL');
      }
    } finally {
      await writer.stop();
    }
    const last = await run([...args, '-e'], { endpoint, cwd: dir });
    expect(last.code, last.stderr).toBe(0);
    const received = sequenceNumbers(readFileSync(out, 'utf8'));
    const { lost, duplicates, unknown } = compare(writer.written, received);
    console.info(
      `tail --output-file, ${CRASHES} SIGKILLs: ${writer.written.size} written, ${received.length} in the file, ${lost.length} lost, ${duplicates} repeated`,
    );
    expect(lost).toEqual([]);
    expect(unknown).toEqual([]);
    expect(duplicates).toBe(0);
  }, 90_000);
});

describe('following through an outage', () => {
  it('the API stopped and started again on the same port: one warning, one recovery line, nothing lost', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kproxy-outage-'));
    let api = await startLocalProxy({ port: 0, dataDir, quiet: true });
    const port = Number(new URL(api.url).port);
    const client = new KproxyClient({ endpoint: api.url, auth: { type: 'none' } });
    try {
      await createStream(client, 'outage', 1);
      const put = (from: number) =>
        client.putRecords({
          streamName: 'outage',
          records: Array.from({ length: 5 }, (_, i) => ({ data: `o${from + i}`, partitionKey: 'k' })),
        });
      await put(0);
      const tail = kproxy(['tail', 'outage', '-f', '%s'], { endpoint: api.url });
      let stdout = '';
      tail.onStdout((text) => {
        stdout = text;
      });
      await until(() => stdout.split('\n').length > 5, 'the first records');

      await api.close();
      await sleep(3000);
      api = await startLocalProxy({ port, dataDir, quiet: true });
      await put(5);
      await until(() => stdout.split('\n').length > 10, 'the records written after the outage', 45_000);
      tail.kill('SIGINT');
      const result = await tail.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${Array.from({ length: 10 }, (_, i) => `o${i}`).join('\n')}\n`);
      expect(result.stderr.match(/warning: reading outage failed/g), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(/ECONNREFUSED|fetch failed|failed/);
      expect(result.stderr.match(/reading again after/g), result.stderr).toHaveLength(1);
    } finally {
      await api.close();
    }
  }, 90_000);
});

describe('kcat habits on a real engine', () => {
  it('-o -N -e prints the last N records of each shard; -c and %T', async () => {
    const client = new KproxyClient({ endpoint, auth: { type: 'none' } });
    await createStream(client, 'habits', 2);
    for (let batch = 0; batch < 4; batch++) {
      await client.putRecords({
        streamName: 'habits',
        records: Array.from({ length: 10 }, (_, i) => ({
          data: `h${batch * 10 + i}`,
          partitionKey: `k${i}`,
        })),
      });
    }
    const all = (await run(['tail', 'habits', '-e'], { endpoint })).stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { shardId: string; data: string; approximateArrivalTimestamp: string });
    const last = await run(['tail', 'habits', '-o', '-3', '-e', '-f', '%p %s'], { endpoint });
    expect(last.code, last.stderr).toBe(0);
    const expected = ['shardId-000000000000', 'shardId-000000000001'].flatMap((shard) =>
      all
        .filter((r) => r.shardId === shard)
        .slice(-3)
        .map((r) => `${shard} ${r.data}`),
    );
    expect(last.stdout.split('\n').filter(Boolean).sort()).toEqual(expected.sort());
    const stamped = await run(['tail', 'habits', '-c', '1', '-f', '%T'], { endpoint });
    expect(Number(stamped.stdout)).toBe(
      Date.parse(all.find((r) => r.shardId === 'shardId-000000000000')!.approximateArrivalTimestamp),
    );
  });
});
