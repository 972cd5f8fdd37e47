/**
 * The process surface a command may touch, passed in so tests run `main()` in-process with their own
 * streams and environment instead of the real ones.
 */
import type { Readable } from 'node:stream';

export interface OutputStream {
  write(chunk: string | Uint8Array): boolean;
  /** True when the stream is a terminal: colors, progress bars and prompts are only for terminals. */
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  /** Data only: what a script pipes on. */
  stdout: OutputStream;
  /** Messages, progress, warnings and errors. */
  stderr: OutputStream;
  stdin: Readable & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands stop cleanly. */
  signal?: AbortSignal;
  /** Directory relative paths are resolved from. @default process.cwd() */
  cwd?: string;
}

export function processIo(signal?: AbortSignal): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    ...(signal ? { signal } : {}),
    cwd: process.cwd(),
  };
}
