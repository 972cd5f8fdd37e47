/**
 * The input of `put-records`: a file or stdin, read as numbered lines with bounded memory.
 *
 * The reader can stop at any moment without waiting for more input (`stop()`: a pipe that stays open,
 * `tail -f log | kproxy put-records …`, never holds up Ctrl-C), and knows exactly which bytes it has
 * not handed out as lines yet, so they can be written through to `--failed-out` verbatim
 * (`copyRest`): the stream plus `--failed-out` then cover the whole input, including what was never
 * read. `copyRestSync` does the same synchronously, for a process that is exiting now.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { CliError, UsageError } from '../core/errors.ts';
import { fstatOf, statOf } from './output-file.ts';

export interface InputLine {
  /** 1-based. */
  lineNumber: number;
  /** The line as read, without its line break; what `--failed-out` writes back. */
  text: string;
}

/** What was written through: the bytes, and the lines among them that hold something. */
export interface CopiedRest {
  bytes: number;
  lines: number;
  /** The copy stopped at a write error: the first line not in it. */
  notCopiedFrom?: number;
}

const NEWLINE = 0x0a;
const STOPPED = Symbol('stopped');
const IDLE = Symbol('idle');
const EMPTY = Buffer.alloc(0);
/** A pipe that sends nothing for this long after a stop has nothing more for us. */
const PIPE_IDLE_MS = 100;
/** The longest a stop waits for a pipe that keeps sending. */
const PIPE_DRAIN_MS = 1_000;

export class LineInput {
  readonly #stream: Readable;
  readonly #chunks: AsyncIterator<Buffer | string>;
  /** The file, when the input is one (for reading what is left synchronously). */
  readonly #path: string | undefined;
  readonly #stop = new AbortController();
  /** A read that `stop()` cut short: the next read (by `copyRest`) continues it. */
  #underway: Promise<IteratorResult<Buffer | string>> | undefined;
  /** The chunk that read brought, once it settled (readable synchronously on exit). */
  #arrived: Buffer | undefined;
  /** Bytes read but not yet handed out as lines. */
  #rest: Buffer = EMPTY;
  #lineNumber = 0;
  #bytesRead = 0;
  #ended = false;
  /** The copy of the rest under way: a synchronous copy on exit continues an asynchronous one. */
  #copy: RestCounter | undefined;

  constructor(
    stream: Readable,
    readonly kind: 'file' | 'stdin',
    /** The file's size: drives a progress bar. */
    readonly size: number | undefined,
    /** Input typed at a terminal. */
    readonly isTerminal: boolean,
    path?: string,
  ) {
    this.#stream = stream;
    this.#chunks = stream[Symbol.asyncIterator]();
    this.#path = path;
  }

  /** Bytes handed out as lines so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** The number of the last line handed out. */
  get lineNumber(): number {
    return this.#lineNumber;
  }

  /** Lines of the input; blank lines are skipped (but counted). Ends at the end of input or at `stop()`. */
  async *lines(): AsyncGenerator<InputLine> {
    for (;;) {
      const newline = this.#rest.indexOf(NEWLINE);
      if (newline !== -1) {
        const line = this.#rest.subarray(0, newline);
        this.#rest = this.#rest.subarray(newline + 1);
        this.#lineNumber++;
        this.#bytesRead += newline + 1;
        const text = decodeLine(line);
        if (text.trim() === '') continue;
        yield { lineNumber: this.#lineNumber, text };
        if (this.#stop.signal.aborted) return;
        continue;
      }
      const chunk = await this.#read({ untilStop: true });
      if (chunk === STOPPED || chunk === IDLE) return;
      if (chunk === null) {
        if (this.#rest.length === 0) return;
        // The last line, without a line break.
        const line = this.#rest;
        this.#rest = EMPTY;
        this.#lineNumber++;
        this.#bytesRead += line.length;
        const text = decodeLine(line);
        if (text.trim() !== '') yield { lineNumber: this.#lineNumber, text };
        return;
      }
      this.#rest = this.#rest.length === 0 ? chunk : Buffer.concat([this.#rest, chunk]);
    }
  }

  /** No more lines: `lines()` ends at once, even while it waits for input that may never come. */
  stop(): void {
    this.#stop.abort();
  }

  /**
   * Writes what was not handed out as lines to `write`, verbatim: the rest of a file up to its end;
   * from a pipe, what it holds until it stays idle for a moment (or has sent for a second: a producer
   * that ignores the stop cannot hold us). Call after `stop()`.
   */
  async copyRest(write: (chunk: Buffer) => void): Promise<CopiedRest> {
    this.#copy ??= new RestCounter(write, this.#lineNumber + 1);
    const copy = this.#copy;
    copy.add(this.#rest);
    this.#rest = EMPTY;
    const isFile = this.kind === 'file' || this.#isRegularFile();
    const until = Date.now() + PIPE_DRAIN_MS;
    while (!this.#ended && (isFile || Date.now() < until) && !this.isTerminal) {
      const chunk = await this.#read(isFile ? {} : { idleMs: PIPE_IDLE_MS });
      if (chunk === IDLE || chunk === STOPPED || chunk === null) break;
      copy.add(chunk);
      if (copy.failed) break;
    }
    return copy.end();
  }

  /**
   * `copyRest` for a process that exits now (a second Ctrl-C): what is buffered, then, without waiting,
   * the rest of a file or what a pipe holds at this moment.
   */
  copyRestSync(write: (chunk: Buffer) => void): CopiedRest {
    this.#copy ??= new RestCounter(write, this.#lineNumber + 1);
    const copy = this.#copy;
    copy.add(this.#rest);
    this.#rest = EMPTY;
    if (this.#arrived) copy.add(this.#arrived);
    this.#arrived = undefined;
    for (let chunk = this.#stream.read(); chunk !== null; chunk = this.#stream.read())
      copy.add(toBuffer(chunk));
    if (!this.#ended && !this.isTerminal && !copy.failed) {
      if (this.#path !== undefined) {
        // A file stream has read up to `bytesRead`; the rest is still in the file.
        const fd = openSync(this.#path, 'r');
        try {
          readAllSync(fd, (this.#stream as Readable & { bytesRead: number }).bytesRead, copy);
        } finally {
          closeSync(fd);
        }
      } else {
        // stdin: a regular file reads on from its offset; a pipe is non-blocking in Node, so this takes
        // what it holds now and stops at EAGAIN.
        readAllSync(0, null, copy);
      }
    }
    return copy.end();
  }

  /** Releases the input: an open pipe must not keep the process alive once the command is done. */
  destroy(): void {
    this.#stream.destroy();
  }

  #isRegularFile(): boolean {
    try {
      return this.kind === 'stdin' && fstatSync(0).isFile();
    } catch {
      return false;
    }
  }

  /**
   * The next chunk; null at the end; with `untilStop`, STOPPED once `stop()` is called (at once if it
   * was); with `idleMs`, IDLE when nothing came for that long.
   */
  async #read(options: {
    untilStop?: boolean;
    idleMs?: number;
  }): Promise<Buffer | null | typeof STOPPED | typeof IDLE> {
    const { untilStop = false, idleMs } = options;
    if (this.#ended) return null;
    if (untilStop && this.#stop.signal.aborted) return STOPPED;
    if (!this.#underway) {
      const read = this.#chunks.next();
      this.#underway = read;
      read.then(
        (result) => {
          if (this.#underway === read && !result.done) this.#arrived = toBuffer(result.value);
        },
        () => undefined,
      );
    }
    const underway = this.#underway;
    const stop = this.#stop.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onStop: (() => void) | undefined;
    const other = new Promise<typeof STOPPED | typeof IDLE>((resolve) => {
      if (idleMs !== undefined) timer = setTimeout(() => resolve(IDLE), idleMs);
      if (untilStop) {
        onStop = () => resolve(STOPPED);
        stop.addEventListener('abort', onStop, { once: true });
      }
    });
    let result: IteratorResult<Buffer | string> | typeof STOPPED | typeof IDLE;
    try {
      result = await Promise.race([underway, other]);
    } catch (error) {
      throw new CliError(`Cannot read the input: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      if (onStop) stop.removeEventListener('abort', onStop);
    }
    if (result === STOPPED || result === IDLE) return result;
    this.#underway = undefined;
    this.#arrived = undefined;
    if (result.done) {
      this.#ended = true;
      return null;
    }
    return toBuffer(result.value);
  }
}

/** Opens FILE, or stdin when FILE is `-` or absent. */
export async function openInput(
  file: string | undefined,
  cwd: string,
  stdin: Readable & { isTTY?: boolean },
): Promise<LineInput> {
  // yargs hands a lone `-` positional over as an empty string.
  if (file === undefined || file === '-' || file === '') {
    return new LineInput(stdin, 'stdin', undefined, Boolean(stdin.isTTY));
  }
  const path = resolve(cwd, file);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${file} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  return new LineInput(createReadStream(path), 'file', size, false, path);
}

/** Which input FILE names, before it is opened: to refuse writing onto it, and to bind a journal to it. */
export interface InputSource {
  /** As the user wrote it, or `stdin`. */
  name: string;
  /** The file, resolved; undefined for stdin. */
  path: string | undefined;
  /** The file (or the file stdin is redirected from); undefined for a pipe, a terminal, a missing file. */
  stats: Stats | undefined;
}

export function inputSource(
  file: string | undefined,
  cwd: string,
  stdin: Readable & { fd?: number },
): InputSource {
  if (file === undefined || file === '-' || file === '') {
    const stats = fstatOf(typeof stdin.fd === 'number' ? stdin.fd : undefined);
    return { name: 'stdin', path: undefined, stats: stats?.isFile() ? stats : undefined };
  }
  const path = resolve(cwd, file);
  return { name: file, path, stats: statOf(path) };
}

function decodeLine(line: Buffer): string {
  const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
  return line.toString('utf8', 0, end);
}

const toBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

/**
 * Copies chunks on, whole lines at a time, and counts the lines that hold something (the records they
 * may be). A write that fails ends the copy: what was written is whole lines, and `notCopiedFrom`
 * names the first line that is not in the copy.
 */
class RestCounter {
  #bytes = 0;
  #lines = 0;
  /** Lines written, blank ones included. */
  #passed = 0;
  /** Bytes after the last line break seen, not written yet. */
  #pending: Buffer = EMPTY;
  #notCopiedFrom: number | undefined;

  constructor(
    private readonly write: (chunk: Buffer) => void,
    /** The number of the first line of the rest. */
    private readonly firstLine: number,
  ) {}

  /** A write failed: nothing more is copied. */
  get failed(): boolean {
    return this.#notCopiedFrom !== undefined;
  }

  add(chunk: Buffer): void {
    if (chunk.length === 0 || this.failed) return;
    const newline = chunk.lastIndexOf(NEWLINE);
    if (newline === -1) {
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
      return;
    }
    const whole = chunk.subarray(0, newline + 1);
    const lines = this.#pending.length === 0 ? whole : Buffer.concat([this.#pending, whole]);
    this.#pending = chunk.subarray(newline + 1);
    this.#flush(lines);
  }

  end(): CopiedRest {
    // The input's last line had no line break; the file gets one so that it stays a list of lines.
    if (this.#pending.length > 0 && !this.failed) {
      this.#flush(Buffer.concat([this.#pending, Buffer.from('\n')]));
    }
    this.#pending = EMPTY;
    return {
      bytes: this.#bytes,
      lines: this.#lines,
      ...(this.#notCopiedFrom !== undefined ? { notCopiedFrom: this.#notCopiedFrom } : {}),
    };
  }

  /** Writes whole lines (ending with a line break) and counts them. */
  #flush(lines: Buffer): void {
    try {
      this.write(lines);
    } catch (error) {
      // The writer keeps its error (`FailedOut.error`); here only where the copy stopped matters. The
      // whole lines a partial write got into the file (`keptBytes`) are in the copy.
      this.#count(lines.subarray(0, (error as { keptBytes?: number }).keptBytes ?? 0));
      this.#notCopiedFrom = this.firstLine + this.#passed;
      return;
    }
    this.#count(lines);
  }

  #count(lines: Buffer): void {
    this.#bytes += lines.length;
    for (let from = 0; from < lines.length; ) {
      const end = lines.indexOf(NEWLINE, from);
      const length = end - from;
      if (length > 1 || (length === 1 && lines[from] !== 0x0d)) this.#lines++;
      this.#passed++;
      from = end + 1;
    }
  }
}

function readAllSync(fd: number, position: number | null, copy: RestCounter): void {
  const buffer = Buffer.alloc(1 << 20);
  let at = position;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return;
      throw error;
    }
    if (n === 0) return;
    copy.add(Buffer.from(buffer.subarray(0, n)));
    if (copy.failed) return;
    if (at !== null) at += n;
  }
}
