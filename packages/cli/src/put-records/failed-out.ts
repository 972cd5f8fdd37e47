/**
 * `--failed-out FILE`: the input lines of records that were not written, in the input's own format, so
 * the file can be fed back to `put-records`.
 *
 * The file is opened (created or truncated; with a journal that resumes, cut back to the length the
 * journal covers and appended to) before anything is read or sent, so a path that cannot be written
 * is a usage error up front, not a crash halfway; a path that is the input itself (by device and
 * inode: a symlink, stdin redirected from it) is refused before it is emptied. Every write is
 * synchronous: a line reported failed is in the file at once, and a process that exits now (a second
 * Ctrl-C) loses none of them.
 *
 * A write that fails (a full disk) does not throw into the middle of the run more than once: the first
 * failure throws an `OutputFileError` (which stops the run), the file is cut back to its last whole
 * line, and every line that could not be written from then on is remembered by number (`unwritten`)
 * so that the summary can name exactly what is in neither the stream nor the file.
 */
import { closeSync, ftruncateSync, openSync, truncateSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, UsageError } from '../core/errors.ts';
import { LineRanges } from './line-ranges.ts';
import { type FileIdentity, OutputFileError, sameFile, statOf, syncIfFile } from './output-file.ts';

export interface FailedOutOpenOptions {
  /** The input file (or the file on stdin): never to be opened for writing. */
  input?: { identity: FileIdentity; name: string } | undefined;
  /** A journal that resumes: keep the first `bytes` of the file (what it covers) and append. */
  keepBytes?: number | undefined;
}

export class FailedOut {
  readonly #fd: number | undefined;
  readonly #regular: boolean;
  #bytes: number;
  #lines = 0;
  #closed = false;
  #error: OutputFileError | undefined;
  /** Failed lines that could not be written (after the first write error). */
  readonly unwritten = new LineRanges();

  private constructor(
    /** As the user wrote it, for messages. */
    readonly path: string | undefined,
    /** Resolved, for the journal. */
    readonly absolutePath: string | undefined,
    fd: number | undefined,
    regular: boolean,
    bytes: number,
  ) {
    this.#fd = fd;
    this.#regular = regular;
    this.#bytes = bytes;
  }

  /** Opens `path` (relative to `cwd`) for writing; none when `path` is undefined. */
  static open(path: string | undefined, cwd: string, options: FailedOutOpenOptions = {}): FailedOut {
    if (path === undefined) return new FailedOut(undefined, undefined, undefined, false, 0);
    if (path === '') throw new UsageError('--failed-out needs a file name.');
    const absolute = resolve(cwd, path);
    const existing = statOf(absolute);
    const { input, keepBytes } = options;
    if (input && sameFile(existing, input.identity)) {
      const what =
        input.name === 'stdin'
          ? 'the file stdin reads'
          : `the input file${input.name === path ? '' : ` (${input.name})`}`;
      throw new UsageError(
        `--failed-out ${path} is ${what}: it would be emptied before it is read.`,
        'Name another file for the lines that fail.',
      );
    }
    if (keepBytes !== undefined && keepBytes > 0) {
      const size = existing?.size ?? 0;
      if (!existing?.isFile() || size < keepBytes) {
        throw new CliError(
          `--failed-out ${path} holds ${size} bytes, fewer than the ${keepBytes} the journal says were written to it: lines reported failed would be lost.`,
          'Put the file back as it was, or start over with another --checkpoint file.',
        );
      }
    }
    let fd: number;
    try {
      if (keepBytes !== undefined && existing?.isFile()) {
        // Lines written after the journal's last entry are in the journal's doubt: they are redone.
        if (existing.size > keepBytes) truncateSync(absolute, keepBytes);
        fd = openSync(absolute, 'a');
      } else {
        fd = openSync(absolute, 'w');
      }
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new UsageError(
        `--failed-out ${path}: cannot write this file (${code ?? message}).`,
        'Pick a path in a directory that exists and that you can write to.',
      );
    }
    const regular = statOf(absolute)?.isFile() ?? false;
    return new FailedOut(path, absolute, fd, regular, regular ? (keepBytes ?? 0) : 0);
  }

  get enabled(): boolean {
    return this.#fd !== undefined;
  }

  /** A regular file (so its length can be journalled, and it can be synced). */
  get isRegularFile(): boolean {
    return this.#regular;
  }

  /** Lines written with `writeLine`. */
  get lines(): number {
    return this.#lines;
  }

  /** The file's length: what was there (kept from a journal) and what this run wrote. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The first write error; once there is one, nothing more is written. */
  get error(): OutputFileError | undefined {
    return this.#error;
  }

  /**
   * Writes one line. Returns false when it could not (then `unwritten` has its number); throws the
   * first write error, so that the caller stops the run.
   */
  writeLine(lineNumber: number, text: string): boolean {
    if (this.#fd === undefined) return false;
    if (this.#error) {
      this.unwritten.add(lineNumber);
      return false;
    }
    try {
      this.#write(Buffer.from(`${text}\n`));
    } catch (error) {
      this.unwritten.add(lineNumber);
      throw error;
    }
    this.#lines++;
    return true;
  }

  /**
   * Input bytes passed through as they are (the input not read), whole lines only. Throws the first
   * write error (the file is cut back to before this chunk); false once broken.
   */
  writeRaw(chunk: Buffer): boolean {
    if (this.#fd === undefined || this.#error) return false;
    this.#write(chunk);
    return true;
  }

  /** Makes what was written durable (a regular file only). */
  sync(): void {
    if (this.#fd === undefined || this.#closed || this.#error) return;
    try {
      syncIfFile(this.#fd, this.#regular);
    } catch (error) {
      this.#error = new OutputFileError('--failed-out', this.path!, error);
      throw this.#error;
    }
  }

  /** Flushes a regular file to disk and closes; later calls do nothing. */
  close(): void {
    if (this.#fd === undefined || this.#closed) return;
    this.#closed = true;
    try {
      if (!this.#error) this.sync();
    } finally {
      closeSync(this.#fd);
    }
  }

  #write(bytes: Buffer): void {
    const fd = this.#fd!;
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
    } catch (error) {
      // A torn line could be fed back as a different record: cut the file back to its last whole line.
      let kept = 0;
      if (offset > 0 && this.#regular) {
        kept = bytes.lastIndexOf(0x0a, offset - 1) + 1;
        try {
          ftruncateSync(fd, this.#bytes + kept);
        } catch {
          kept = 0; // Nothing more can be done; the summary names the lines that are not in the file.
        }
      }
      this.#bytes += kept;
      this.#error = new OutputFileError('--failed-out', this.path!, error, kept);
      throw this.#error;
    }
    this.#bytes += bytes.length;
  }
}
