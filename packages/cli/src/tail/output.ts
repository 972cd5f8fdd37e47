/**
 * Where `tail` writes records: stdout, or a file (`--output-file`). A write resolves once its bytes are
 * handed to the operating system (the stream's write callback; for a pipe, the data is then in the
 * kernel's pipe buffer), so the tail never reads further ahead than its consumer takes: memory stays
 * bounded however slow the consumer is.
 */
import { closeSync, fstatSync, fsync, openSync, statSync, truncateSync, write } from 'node:fs';
import { promisify } from 'node:util';
import { CliError } from '../core/errors.ts';

/** A Node writable (process.stdout, or a test's stream). */
export interface WritableTarget {
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
}

export interface TailOutput {
  /** A file (`--output-file`) rather than a stream. */
  readonly file: { path: string; bytes: number } | undefined;
  /** Resolves when `text` is handed to the operating system. */
  write(text: string): Promise<void>;
  /** Makes what was written durable: fsync for a file; nothing a stream can do. */
  sync(): Promise<void>;
  close(): void;
}

export class StreamOutput implements TailOutput {
  readonly file = undefined;

  constructor(readonly stream: WritableTarget) {}

  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.write(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  async sync(): Promise<void> {}

  close(): void {}
}

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);

/** `--output-file FILE`: appended to; synced before each checkpoint that covers what it holds. */
export class FileOutput implements TailOutput {
  readonly #fd: number;
  /** A device or a pipe (`/dev/null`, `>(gzip > f.gz)`) has nothing to sync: fsync fails with EINVAL. */
  readonly #regular: boolean;
  #bytes: number;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.#fd = fd;
    const stats = fstatSync(fd);
    this.#regular = stats.isFile();
    this.#bytes = stats.size;
  }

  /**
   * Opens `path` for appending. With `keepBytes` (the length a checkpoint recorded), whatever was
   * written after that checkpoint is cut off first: those records are read again, so they are not
   * written twice. Returns how many bytes were cut.
   */
  static open(path: string, keepBytes?: number): { output: FileOutput; cut: number } {
    let cut = 0;
    try {
      if (keepBytes !== undefined) {
        const size = sizeOf(path);
        if (size !== undefined && size > keepBytes) {
          truncateSync(path, keepBytes);
          cut = size - keepBytes;
        }
      }
      return { output: new FileOutput(path, openSync(path, 'a')), cut };
    } catch (error) {
      throw new CliError(`Cannot open the output file ${path}: ${(error as Error).message}`);
    }
  }

  get file(): { path: string; bytes: number } {
    return { path: this.path, bytes: this.#bytes };
  }

  async write(text: string): Promise<void> {
    const buffer = Buffer.from(text);
    let written = 0;
    while (written < buffer.length) {
      written += (await writeAsync(this.#fd, buffer, written, buffer.length - written)).bytesWritten;
    }
    this.#bytes += buffer.length;
  }

  async sync(): Promise<void> {
    if (this.#regular) await fsyncAsync(this.#fd);
  }

  close(): void {
    closeSync(this.#fd);
  }
}

function sizeOf(path: string): number | undefined {
  return statSync(path, { throwIfNoEntry: false })?.size;
}
