/** Child processes for the benchmarks: each contender runs in its own process so CPU and memory figures are its own. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { benchDir } from './paths.ts';

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Spawn to exit, in ms. */
  readonly wallMs: number;
  /** Peak resident set size in bytes, when measured with `/usr/bin/time`. */
  readonly maxRssBytes?: number;
}

const TIME = '/usr/bin/time';
export const canMeasureRss = existsSync(TIME);

/** Runs `node …args` to completion. With `measureRss`, under GNU time for the peak RSS. */
export async function runNode(
  args: readonly string[],
  options: { env?: Record<string, string>; measureRss?: boolean; onLine?: (line: string) => void } = {},
): Promise<Finished> {
  const rss = options.measureRss && canMeasureRss;
  const [file, argv] = rss
    ? [TIME, ['-f', 'MAXRSS_KB=%M', process.execPath, ...args]]
    : [process.execPath, [...args]];
  const started = performance.now();
  const child = spawn(file, argv, {
    cwd: benchDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (options.onLine) createInterface({ input: child.stdout! }).on('line', options.onLine);
  else child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  const wallMs = performance.now() - started;
  const match = /MAXRSS_KB=(\d+)/.exec(stderr);
  stderr = stderr.replace(/MAXRSS_KB=\d+\n?/, '');
  return { code, stdout, stderr, wallMs, ...(match ? { maxRssBytes: Number(match[1]) * 1024 } : {}) };
}

/** Runs a TypeScript file of bench/ (through tsx) to completion. */
export function runScript(script: string, args: readonly string[] = [], env?: Record<string, string>) {
  return runNode(['--import', 'tsx', script, ...args], env ? { env } : {});
}

export function expectSuccess(what: string, finished: Finished): Finished {
  if (finished.code !== 0) {
    throw new Error(`${what} exited with ${finished.code}:\n${finished.stderr.slice(-2000)}`);
  }
  return finished;
}

/** A long-running server process that prints its URL as its first line of stdout. */
export interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(args: readonly string[], env?: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [...args], {
    cwd: benchDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Its banner and request log would drown the progress lines: kept only to explain a failed start.
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${args.join(' ')} exited with ${code} before printing its URL:\n${stderr}`);
  });
  const [url] = (await Promise.race([once(lines, 'line'), exited])) as [string];
  return {
    url: url.trim(),
    child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await once(child, 'exit');
    },
  };
}
