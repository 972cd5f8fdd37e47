/** What the example tests share: run an example as a child process, and wait for a stream. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isNotFoundError, KproxyClient } from '@kproxy/client';
import { type LocalProxy, type LocalProxyOptions, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll } from 'vitest';

/** The examples/ directory: examples run from here, where `tsx` resolves. */
export const examplesDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * An in-memory emulator on a free port for the enclosing test file or describe block, and a client for
 * it; both are set once `beforeAll` has run.
 */
export function useEmulator(options: LocalProxyOptions = {}): { proxy: LocalProxy; client: KproxyClient } {
  const emulator = {} as { proxy: LocalProxy; client: KproxyClient };
  beforeAll(async () => {
    emulator.proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true, ...options });
    emulator.client = new KproxyClient({ endpoint: emulator.proxy.url });
  });
  afterAll(() => emulator.proxy?.close());
  return emulator;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `node --import tsx <example> ...args` with KPROXY_ENDPOINT set; `done` settles when it exits. */
export function startExample(
  example: string,
  args: string[],
  endpoint: string,
): { child: ChildProcess; output: { stdout: string; stderr: string }; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', example, ...args], {
    cwd: examplesDir,
    env: { ...process.env, KPROXY_ENDPOINT: endpoint, KPROXY_AUTH: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...output }));
  });
  return { child, output, done };
}

/** Runs an example to its end. */
export function runExample(example: string, args: string[], endpoint: string): Promise<Run> {
  return startExample(example, args, endpoint).done;
}

export async function createStream(
  client: KproxyClient,
  streamName: string,
  shardCount: number,
): Promise<void> {
  await client.createStream({ streamName, shardCount });
  for (let i = 0; i < 200; i++) {
    const description = await client.describeStream({ streamName }).catch((error: unknown) => {
      if (isNotFoundError(error)) return undefined;
      throw error;
    });
    if (description?.streamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${streamName} did not become ACTIVE`);
}

/** Every record of a stream as `shardId text`, read with the client (not with an example). */
export async function readAll(
  client: KproxyClient,
  streamName: string,
): Promise<{ shardId: string; data: Uint8Array; partitionKey: string; sequenceNumber: string }[]> {
  const records = [];
  for await (const record of client.readStream({ streamName, follow: false, pollIntervalMs: 0 }))
    records.push(record);
  return records;
}
