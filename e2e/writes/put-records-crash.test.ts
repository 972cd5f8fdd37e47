/**
 * `kproxy put-records --checkpoint J --failed-out F` killed with SIGKILL at seeded random moments, with
 * faults injected by the fault proxy, and run again (the same command) each time until it finishes:
 * the built bin against `kproxy local`, as a user runs it.
 *
 * At the end the stream is read back (straight from the emulator) and compared with the input:
 * - every input line is in the stream or in F; nothing else is in the stream;
 * - no line is in F twice (a rerun cuts F back to what the journal covers);
 * - the lines stored twice, or stored and also in F, are no more than the possible duplicates the runs
 *   counted (the last run's count plus what the journal says the earlier ones counted): a kill -9 may
 *   only make a line a possible duplicate, never lose it or duplicate it silently.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultRates, startFaultProxy } from '../fault-proxy/index.ts';
import { mulberry32 } from '../fault-proxy/prng.ts';
import { createStream, type Emulator, readBack, startEmulator } from './harness.ts';

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'kproxy-put-crash-'));
beforeAll(async () => {
  emulator = await startEmulator();
}, 60_000);
afterAll(() => emulator?.stop());

const LINES = 24_000;
/** Every 997th line is not JSON: a bad line, written to F at once. */
const isBad = (n: number) => n % 997 === 0;
const CRASHES = 6;
/** About 12 % of requests get a fault, every kind; slow answers come after the client gave up. */
const RATES: FaultRates = {
  throttle: 0.02,
  serverError: 0.02,
  resetBeforeForward: 0.02,
  resetAfterForward: 0.03,
  slowResponse: 0.01,
  partialFailure: 0.02,
};
const TIMEOUT_MS = 1_000;

interface Summary {
  succeeded: number;
  failed: number;
  possibleDuplicates: number;
  complete: boolean;
  skipped?: number;
  leftForNextRun?: number;
  resumed?: { acknowledged: number; failedOut: number; possibleDuplicates: number; inDoubt: number };
}

function start(args: string[], endpoint: string) {
  const child = spawn(process.execPath, [emulator.bin, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KPROXY_ENDPOINT: endpoint,
      KPROXY_AUTH: 'none',
      KPROXY_TIMEOUT: String(TIMEOUT_MS / 1000),
      KPROXY_CONFIG: '/nonexistent/kproxy-config.json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Acknowledged lines the journal holds so far (to kill once the run is under way). */
function journalledAcks(path: string): number {
  if (!existsSync(path)) return 0;
  let acked = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.startsWith('{"acked"')) continue;
    for (const [a, b] of (JSON.parse(line) as { acked: [number, number][] }).acked) acked += b - a + 1;
  }
  return acked;
}

describe('put-records --checkpoint killed with SIGKILL at random moments, run again until done', () => {
  it(`${LINES.toLocaleString('en-US')} lines, ${CRASHES} kills, faults injected: every line in the stream or --failed-out, duplicates counted`, async () => {
    const stream = 'crash-journal';
    await createStream(emulator.client, stream, 4);
    const proxy = await startFaultProxy({
      target: emulator.url,
      seed: 20261204,
      rates: RATES,
      slowResponseMs: TIMEOUT_MS + 500,
      operations: ['putRecords'],
    });
    const input: string[] = [];
    const lines: string[] = [];
    for (let n = 1; n <= LINES; n++) {
      const id = `c-${String(n).padStart(6, '0')}`;
      input.push(id);
      lines.push(isBad(n) ? id : JSON.stringify({ data: id, partitionKey: `k${n % 101}` }));
    }
    writeFileSync(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    // Records that meet two faults in a row fail for good (and go to F), some of them possibly stored;
    // batches of 100 make more requests, so more of them meet a fault.
    const args = [
      'put-records',
      stream,
      'in.jsonl',
      '--checkpoint',
      'in.journal',
      '--failed-out',
      'failed.jsonl',
      '--max-attempts',
      '2',
      '--batch-size',
      '100',
      '--output',
      'json',
    ];
    const journal = join(dir, 'in.journal');
    const next = mulberry32(9);
    let killed = 0;
    let runs = 0;
    let last: Awaited<ReturnType<typeof start>['done']> | undefined;
    try {
      while (runs++ < 30) {
        const child = start(args, proxy.url);
        if (killed < CRASHES) {
          // Kill at a random moment once this run has acknowledged something of its own.
          const before = journalledAcks(journal);
          const deadline = Date.now() + 15_000;
          while (journalledAcks(journal) === before && Date.now() < deadline) await sleep(10);
          await sleep(next() * 600);
          child.kill();
        }
        const result = await child.done;
        if (result.signal === 'SIGKILL') {
          killed++;
          continue;
        }
        expect(result.code, result.stderr).not.toBeNull();
        if (killed < CRASHES) continue; // it finished before the kill: go on with the next
        last = result;
        break;
      }
    } finally {
      await proxy.close();
    }
    expect(last!.code, last!.stderr).toBeOneOf([0, 3]);
    const summary = JSON.parse(last!.stdout.trim().split('\n').at(-1)!) as Summary;
    expect(summary.complete).toBe(true);

    // The stream and F, against the input.
    const stored = await readBack(emulator.client, stream);
    const failed = new Map<string, number>();
    for (const line of readFileSync(join(dir, 'failed.jsonl'), 'utf8').split('\n')) {
      if (line === '') continue;
      const id = line.startsWith('{') ? (JSON.parse(line) as { data: string }).data : line;
      failed.set(id, (failed.get(id) ?? 0) + 1);
    }
    const inputSet = new Set(input);
    const lost = input.filter((id) => !stored.has(id) && !failed.has(id));
    const phantoms = [...stored.keys()].filter((id) => !inputSet.has(id));
    const failedTwice = [...failed].filter(([, n]) => n > 1).map(([id]) => id);
    let duplicatedLines = 0;
    let extraCopies = 0;
    let inBoth = 0;
    for (const id of input) {
      const copies = (stored.get(id) ?? 0) + (failed.get(id) ?? 0);
      if (copies > 1) duplicatedLines++;
      extraCopies += Math.max(0, copies - 1);
      if (stored.has(id) && failed.has(id)) inBoth++;
    }
    const counted = summary.possibleDuplicates + (summary.resumed?.possibleDuplicates ?? 0);
    const counters = proxy.counters();
    console.info(
      `put-records --checkpoint, ${runs} runs, ${killed} SIGKILLs: ${LINES} lines, ${stored.size} stored, ${failed.size} in F ` +
        `(${input.filter((_, i) => isBad(i + 1)).length} bad), ${lost.length} lost, ${duplicatedLines} lines duplicated ` +
        `(${extraCopies} extra copies, ${inBoth} in both), ${counted} counted as possible duplicates; ` +
        `faults: ${JSON.stringify(counters.faults)}`,
    );
    expect(killed).toBe(CRASHES);
    expect(lost.slice(0, 5)).toEqual([]);
    expect(phantoms.slice(0, 5)).toEqual([]);
    expect(failedTwice.slice(0, 5)).toEqual([]);
    expect(duplicatedLines).toBeLessThanOrEqual(counted);
    // The last run accounts for the whole input: what it skipped, wrote and failed.
    expect(summary.leftForNextRun ?? 0).toBe(0);
    expect((summary.skipped ?? 0) + summary.succeeded + summary.failed).toBe(LINES);
    // Every bad line is in F, once.
    for (let n = 997; n <= LINES; n += 997) expect(failed.get(input[n - 1]!)).toBe(1);
    // The faults happened (so the runs met retries, ambiguous answers and partial failures).
    expect(counters.faults.resetAfterForward).toBeGreaterThan(0);
    expect(counters.faults.partialFailure).toBeGreaterThan(0);
  }, 120_000);
});
