/** `--failed-out FILE`: the input lines of records that were not written, in the input's own format. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';

export class FailedOut {
  #stream: WriteStream | undefined;

  constructor(private readonly path: string | undefined) {}

  /** Creates (truncates) the file up front, so a stale file from an earlier run never misleads. */
  open(cwd: string): void {
    if (this.path !== undefined) this.#stream = createWriteStream(resolve(cwd, this.path), { flags: 'w' });
  }

  write(line: string): void {
    this.#stream?.write(`${line}\n`);
  }

  async close(): Promise<void> {
    if (!this.#stream) return;
    this.#stream.end();
    await finished(this.#stream);
  }
}
