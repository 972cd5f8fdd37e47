/**
 * Bulk writes through the fault proxy, audited: `bulkPut` in this process, `kproxy put-records` as the
 * built bin, and `put-records` interrupted (SIGINT/SIGTERM) while its stdin pipe stays open. Each run
 * gets a fresh stream and a freshly seeded proxy, reads the stream back straight from the emulator and
 * returns the audit with the proxy's counters. Used by the e2e tests and by `pnpm bench reliability`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BulkPutResult, isBulkPutError, KproxyClient } from '@kproxy/client';
import {
  type FaultCounters,
  type FaultProxy,
  type FaultRates,
  startFaultProxy,
} from '../fault-proxy/index.ts';
import {
  type Audit,
  audit,
  createStream,
  type Emulator,
  numberedRecords,
  perRecord,
  readBack,
} from './harness.ts';

/** The fault mixes of the tests and the benchmark (probabilities per request). */
export const FAULT_MIXES = {
  /** 20 % of requests get a fault, every kind represented. */
  twentyPercent: {
    throttle: 0.04,
    serverError: 0.04,
    resetBeforeForward: 0.03,
    resetAfterForward: 0.03,
    slowResponse: 0.02,
    partialFailure: 0.04,
  },
  /** 55 % of requests are reset (before or after forwarding) or answered too late. */
  stress: { resetBeforeForward: 0.2, resetAfterForward: 0.2, slowResponse: 0.15 },
} as const satisfies Record<string, FaultRates>;

export interface Scenario {
  /** Also the stream name's prefix. */
  name: string;
  records: number;
  rates: FaultRates;
  seed: number;
  /** The client's request timeout; slow responses are held back longer. */
  timeoutMs: number;
  slowResponseMs: number;
  shards?: number;
  concurrency?: number;
  /** Pack records into KPL aggregated records (`aggregate: true`, `--aggregate`). */
  aggregate?: boolean;
  /** Pad each record's data to this many bytes (more aggregated records, so more requests to fault). */
  dataBytes?: number;
  /** Records (entries) per request. */
  batchSize?: number;
}

export interface Outcome {
  audit: Audit;
  counters: FaultCounters;
  /** What the writer itself reported. */
  reported: { succeeded: number; failed: number; possibleDuplicates: number; stoppedBy?: string | undefined };
  seconds: number;
  exitCode?: number | null;
}

let runs = 0;

/** Reads the stream back and audits it against the input and what was reported failed. */
async function outcome(
  emulator: Emulator,
  run: { streamName: string; proxy: FaultProxy; input: readonly string[]; failed: readonly string[] },
  reported: Outcome['reported'],
  extra: { seconds: number; exitCode?: number | null },
): Promise<Outcome> {
  const stream = await readBack(emulator.client, run.streamName);
  // A slow answer still held back counts as unanswered only once the proxy has let it go.
  await run.proxy.idle();
  return {
    audit: audit({
      input: run.input,
      stream,
      failed: run.failed,
      unanswered: perRecord(run.proxy.unansweredEntries()),
    }),
    counters: run.proxy.counters(),
    reported,
    ...extra,
  };
}

/** What `put-records --output json` reported, in the terms of `Outcome`. */
function reportedBy(summary: Summary): Outcome['reported'] {
  return {
    succeeded: summary.succeeded,
    failed: summary.failed + summary.notRead,
    possibleDuplicates: summary.possibleDuplicates,
    stoppedBy: summary.stoppedBy,
  };
}

async function setUp(emulator: Emulator, scenario: Scenario) {
  const streamName = `${scenario.name}-${++runs}`;
  await createStream(emulator.client, streamName, scenario.shards ?? 4);
  const proxy = await startFaultProxy({
    target: emulator.url,
    seed: scenario.seed,
    rates: scenario.rates,
    slowResponseMs: scenario.slowResponseMs,
    trackEntries: true,
  });
  return { streamName, proxy };
}

/** `bulkPut` of numbered records through the proxy; `onFailure` collects what failed. */
export async function bulkPutScenario(emulator: Emulator, scenario: Scenario): Promise<Outcome> {
  const { streamName, proxy } = await setUp(emulator, scenario);
  try {
    const records = numberedRecords(scenario.name, scenario.records, 0, scenario.dataBytes);
    const client = new KproxyClient({ endpoint: proxy.url, timeout: scenario.timeoutMs });
    const failed: string[] = [];
    const started = performance.now();
    let result: BulkPutResult<unknown>;
    let stoppedBy: string | undefined;
    try {
      result = await client.bulkPut({
        streamName,
        records,
        ...(scenario.concurrency ? { concurrency: scenario.concurrency } : {}),
        ...(scenario.aggregate ? { aggregate: true } : {}),
        ...(scenario.batchSize ? { maxBatchRecords: scenario.batchSize } : {}),
        onFailure: (record) => failed.push(record.data),
      });
    } catch (error) {
      if (!isBulkPutError(error)) throw error;
      result = error.result;
      stoppedBy = error.stoppedBy;
    }
    const seconds = (performance.now() - started) / 1000;
    const input = records.map((r) => r.data);
    const { succeeded, possibleDuplicates } = result;
    return await outcome(
      emulator,
      { streamName, proxy, input, failed },
      { succeeded, failed: result.failed, possibleDuplicates, stoppedBy },
      { seconds },
    );
  } finally {
    await proxy.close();
  }
}

/** The built `kproxy put-records` on a JSON Lines file, through the proxy, with `--failed-out`. */
export async function cliScenario(emulator: Emulator, scenario: Scenario, dir: string): Promise<Outcome> {
  const { streamName, proxy } = await setUp(emulator, scenario);
  try {
    const records = numberedRecords(scenario.name, scenario.records, 0, scenario.dataBytes);
    const inputFile = join(dir, `${streamName}.jsonl`);
    const failedOut = join(dir, `${streamName}.failed.jsonl`);
    writeFileSync(inputFile, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const started = performance.now();
    const args = ['put-records', streamName, inputFile, '--failed-out', failedOut, '--output', 'json'];
    args.push(...extraArgs(scenario));
    const { code, stdout, stderr } = await runBin(emulator.bin, args, proxy.url, scenario.timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    const summary = parseSummary(stdout, stderr);
    const failed = readLines(failedOut).map((line) => (JSON.parse(line) as { data: string }).data);
    const input = records.map((r) => r.data);
    return await outcome(emulator, { streamName, proxy, input, failed }, reportedBy(summary), {
      seconds,
      exitCode: code,
    });
  } finally {
    await proxy.close();
  }
}

export interface InterruptOutcome extends Outcome {
  /** From the signal to the process's exit. */
  exitMs: number;
  /** Lines fed into the pipe before the signal. */
  fed: number;
}

/**
 * `… | kproxy put-records S --lines --failed-out F` with a pipe that stays open (as `tail -f`): lines are
 * fed, and once requests flow the process gets `signal` (twice with `twice`). The audit's input is
 * everything fed before the signal.
 */
export async function interruptScenario(
  emulator: Emulator,
  scenario: Scenario,
  dir: string,
  signal: NodeJS.Signals,
  twice = false,
): Promise<InterruptOutcome> {
  const { streamName, proxy } = await setUp(emulator, scenario);
  try {
    const fed = numberedRecords(scenario.name, scenario.records, 0, scenario.dataBytes).map((r) => r.data);
    const failedOut = join(dir, `${streamName}.failed.txt`);
    const child = spawn(
      process.execPath,
      [
        emulator.bin,
        'put-records',
        streamName,
        '--lines',
        '--failed-out',
        failedOut,
        '--output',
        'json',
        ...extraArgs(scenario),
      ],
      { env: binEnv(proxy.url, scenario.timeoutMs), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Everything is handed to the pipe; the pipe is never closed (a producer that keeps it open).
    await new Promise<void>((resolve, reject) =>
      child.stdin.write(`${fed.join('\n')}\n`, (error) => (error ? reject(error) : resolve())),
    );
    // Interrupt once requests flow (the process is up and sending).
    while (proxy.counters().requests < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const signalledAt = performance.now();
    child.kill(signal);
    if (twice) setTimeout(() => child.kill(signal), 20);
    const code = await exited;
    const exitMs = performance.now() - signalledAt;
    child.stdin.destroy();
    const summary = parseSummary(stdout, stderr);
    const failed = readLines(failedOut);
    const result = await outcome(emulator, { streamName, proxy, input: fed, failed }, reportedBy(summary), {
      seconds: exitMs / 1000,
      exitCode: code,
    });
    return { ...result, exitMs, fed: fed.length };
  } finally {
    await proxy.close();
  }
}

/** The scenario's options as `put-records` flags. */
function extraArgs(scenario: Scenario): string[] {
  return [
    ...(scenario.concurrency ? ['--concurrency', String(scenario.concurrency)] : []),
    ...(scenario.aggregate ? ['--aggregate'] : []),
    ...(scenario.batchSize ? ['--batch-size', String(scenario.batchSize)] : []),
  ];
}

interface Summary {
  succeeded: number;
  failed: number;
  notRead: number;
  possibleDuplicates: number;
  stoppedBy?: string;
}

function parseSummary(stdout: string, stderr: string): Summary {
  const line = stdout.trim().split('\n').at(-1);
  if (!line) throw new Error(`put-records printed no summary; stderr:\n${stderr}`);
  return JSON.parse(line) as Summary;
}

function readLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

function binEnv(endpoint: string, timeoutMs: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    KPROXY_ENDPOINT: endpoint,
    KPROXY_AUTH: 'none',
    KPROXY_TIMEOUT: String(timeoutMs / 1000),
    KPROXY_CONFIG: '/nonexistent/kproxy-config.json',
  };
}

function runBin(
  bin: string,
  args: string[],
  endpoint: string,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: binEnv(endpoint, timeoutMs),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
