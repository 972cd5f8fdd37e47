/**
 * Runs `main(argv, io)` in-process with captured stdout/stderr, a given stdin and an isolated
 * environment (a temporary config file, no AWS variables from the machine running the tests).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Io } from '../src/core/io.ts';
import { main } from '../src/main.ts';

export const ENDPOINT = 'http://kproxy.test/v1';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string | Uint8Array | Readable;
  /** Pretend stdout / stderr / stdin are terminals. */
  tty?: { stdout?: boolean; stderr?: boolean; stdin?: boolean };
  cwd?: string;
  signal?: AbortSignal;
  /** Called with all of stderr so far each time the command writes to it (to answer a question). */
  onStderr?: (stderrSoFar: string) => void;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

class Capture extends PassThrough {
  readonly chunks: Buffer[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {
    super();
    this.on('data', (chunk: Buffer) => this.chunks.push(chunk));
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A fresh directory for config files and outputs. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kproxy-cli-test-'));
}

export async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(options.tty?.stdout ?? false);
  const stderr = new Capture(options.tty?.stderr ?? false);
  const { onStderr } = options;
  if (onStderr) stderr.on('data', () => onStderr(stderr.text()));
  const stdinSource = options.stdin ?? '';
  const stdin = (
    stdinSource instanceof Readable ? stdinSource : Readable.from([Buffer.from(stdinSource)])
  ) as Io['stdin'];
  stdin.isTTY = options.tty?.stdin ?? false;
  const io: Io = {
    stdout,
    stderr,
    stdin,
    env: {
      KPROXY_CONFIG: join(tempDir(), 'config.json'),
      KPROXY_ENDPOINT: ENDPOINT,
      KPROXY_AUTH: 'none',
      HOME: '/nonexistent-home',
      ...options.env,
    },
    cwd: options.cwd ?? process.cwd(),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const code = await main(argv, io);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text(), stdoutBytes: Buffer.concat(stdout.chunks) };
}

/** An msw server for the test file; handlers are added per test with `server.use(...)`. */
export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
