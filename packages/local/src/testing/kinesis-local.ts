/**
 * Starts `kinesis-local` (kinesis-mock, the engine LocalStack uses) as a child process, for tests that
 * want a second Kinesis engine behind the emulator (`startProxyOnKinesisLocal` starts both). Needs the `kinesis-local` package installed (a
 * dev dependency of this package). Not part of the emulator itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { KINESIS_CONTENT_TYPE, KINESIS_TARGET_PREFIX } from '@kproxy/contract';
import type { LocalProxyOptions } from '../options.ts';
import { type LocalProxy, startLocalProxy } from '../server.ts';

export interface KinesisLocal {
  /** `http://127.0.0.1:<port>`: pass it as `kinesisEndpoint`. */
  readonly endpoint: string;
  /** Kills the process group and waits for it to exit. */
  stop(): Promise<void>;
}

export interface KinesisLocalOptions {
  /** Milliseconds to wait for the port to answer. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Extra environment, e.g. `{ SHOULD_PERSIST_DATA: 'true', PERSIST_PATH: dir }`. */
  readonly env?: Readonly<Record<string, string>>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves when the process answers a ListStreams call, rejects if it exits or the time is up. */
async function waitUntilReady(
  child: ChildProcess,
  endpoint: string,
  timeoutMs: number,
  output: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`kinesis-local exited during startup:\n${output()}`);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': KINESIS_CONTENT_TYPE,
          'x-amz-target': `${KINESIS_TARGET_PREFIX}.ListStreams`,
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
          'x-amz-date': '20240101T000000Z',
        },
        body: '{}',
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`kinesis-local did not answer within ${timeoutMs} ms:\n${output()}`);
}

export async function startKinesisLocal(options: KinesisLocalOptions = {}): Promise<KinesisLocal> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const durations = ['CREATE_STREAM', 'DELETE_STREAM', 'UPDATE_SHARD_COUNT', 'SPLIT_SHARD', 'MERGE_SHARDS'];
  const child = spawn(process.execPath, [join(packageDir, 'main.js')], {
    env: {
      ...process.env,
      KINESIS_MOCK_CERT_PATH: join(packageDir, 'server.json'),
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      LOG_LEVEL: 'WARN',
      ...Object.fromEntries(durations.map((name) => [`${name}_DURATION`, '0ms'])),
      ...options.env,
    },
    // Its own process group, so stop() can end it and anything it started.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const killTimer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 3000);
    await exited;
    clearTimeout(killTimer);
  };

  const endpoint = `http://127.0.0.1:${plainPort}`;
  try {
    await waitUntilReady(child, endpoint, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, stop };
}

/** The emulator in front of its own kinesis-local: what a suite on the second engine needs. */
export interface ProxyOnKinesisLocal {
  readonly engine: KinesisLocal;
  readonly proxy: LocalProxy;
  /** Closes the emulator, then stops kinesis-local. */
  close(): Promise<void>;
}

/**
 * Starts kinesis-local, then the emulator on a free port (quiet) with it as `kinesisEndpoint`.
 * `proxyOptions` adds to or overrides those emulator options.
 */
export async function startProxyOnKinesisLocal(
  proxyOptions: LocalProxyOptions = {},
  engineOptions: KinesisLocalOptions = {},
): Promise<ProxyOnKinesisLocal> {
  const engine = await startKinesisLocal(engineOptions);
  let proxy: LocalProxy;
  try {
    proxy = await startLocalProxy({
      port: 0,
      quiet: true,
      kinesisEndpoint: engine.endpoint,
      ...proxyOptions,
    });
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return {
    engine,
    proxy,
    close: async () => {
      await proxy.close();
      await engine.stop();
    },
  };
}
