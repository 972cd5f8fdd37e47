/**
 * `--failed-out FILE`: the input lines of records that were not written, in the input's own format, so
 * the file can be fed back to `put-records`.
 *
 * The file is opened (created or truncated) before anything is read or sent, so a path that cannot be
 * written is a usage error up front, not a crash halfway. Every write is synchronous: a line reported
 * failed is in the file at once, and a process that exits now (a second Ctrl-C) loses none of them.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';

export class FailedOut {
  readonly #fd: number | undefined;
  #lines = 0;
  #closed = false;

  private constructor(
    /** As the user wrote it, for messages. */
    readonly path: string | undefined,
    fd: number | undefined,
  ) {
    this.#fd = fd;
  }

  /** Opens `path` (relative to `cwd`) for writing; none when `path` is undefined. */
  static open(path: string | undefined, cwd: string, input: string | undefined): FailedOut {
    if (path === undefined) return new FailedOut(undefined, undefined);
    if (path === '') throw new UsageError('--failed-out needs a file name.');
    const absolute = resolve(cwd, path);
    if (absolute === input) {
      throw new UsageError(
        `--failed-out ${path} is the input file: it would be emptied before it is read.`,
        'Name another file for the lines that fail.',
      );
    }
    try {
      return new FailedOut(path, openSync(absolute, 'w'));
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new UsageError(
        `--failed-out ${path}: cannot write this file (${code ?? message}).`,
        'Pick a path in a directory that exists and that you can write to.',
      );
    }
  }

  get enabled(): boolean {
    return this.#fd !== undefined;
  }

  /** Lines written with `writeLine`. */
  get lines(): number {
    return this.#lines;
  }

  writeLine(text: string): void {
    if (this.#fd === undefined) return;
    writeAll(this.#fd, Buffer.from(`${text}\n`));
    this.#lines++;
  }

  /** Input bytes passed through as they are (the input not read). */
  writeRaw(chunk: Buffer): void {
    if (this.#fd === undefined) return;
    writeAll(this.#fd, chunk);
  }

  /** Flushes to disk and closes; later calls do nothing. */
  close(): void {
    if (this.#fd === undefined || this.#closed) return;
    this.#closed = true;
    try {
      fsyncSync(this.#fd);
    } finally {
      closeSync(this.#fd);
    }
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}
