/** Runs the BUILT `kproxy` bin as a child process, as a user would. */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages', 'cli');
export const BIN = join(cliDir, 'dist', 'kproxy.js');

/** Builds the bundle (always: a stale bundle would test old code). */
export async function buildCliNow(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(cliDir, 'scripts', 'build.mjs')]);
  if (!existsSync(BIN)) throw new Error(`the build did not produce ${BIN}`);
}

/** The bundle for a test file: built once by the project's global setup, else here. */
export async function buildCli(): Promise<void> {
  if (inject('kproxyCliBuilt')) return;
  await buildCliNow();
}

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  /** Resolves when the process has exited and its output is read. */
  done: Promise<Result>;
  kill(signal: NodeJS.Signals): void;
  /** Called with stdout as it grows. */
  onStdout(listener: (stdoutSoFar: string) => void): void;
}

/** Async on purpose: the emulator runs in this process, so a synchronous spawn would deadlock it. */
export function kproxy(args: string[], options: { endpoint: string; input?: string; cwd?: string }): Child {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KPROXY_ENDPOINT: options.endpoint,
      KPROXY_AUTH: 'none',
      KPROXY_CONFIG: '/nonexistent/kproxy-config.json',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners: ((s: string) => void)[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener(stdout);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? '');
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: (signal) => child.kill(signal), onStdout: (listener) => listeners.push(listener) };
}

export const run = (args: string[], options: Parameters<typeof kproxy>[1]) => kproxy(args, options).done;
