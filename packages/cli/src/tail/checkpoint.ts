/**
 * `tail --checkpoint FILE`: where a tail has got to, so that a restarted tail resumes right after the
 * last record it handed to the operating system.
 *
 * The file is a log of JSON lines: a full state (each stream's reader position and, with
 * `--output-file`, that file's length), followed by one line per record handed out since:
 *
 *   {"version":3,"streams":{"demo":{"shards":{…},"finished":[…],"start":…}},"updatedAt":"…"}
 *   {"stream":"demo","shardId":"shardId-000000000001","sequenceNumber":"4965…"}
 *   {"stream":"demo","shardId":"shardId-000000000000","sequenceNumber":"4966…","subSequenceNumber":41}
 *
 * A record line with `subSequenceNumber` is a user record part-way through a KPL aggregated record: a
 * resumed tail reads that record again and skips its user records up to that one. (Version 3 is version
 * 2 with such positions; an older kproxy refuses it rather than resume at the wrong place.)
 *
 * A record line is one small append, not synced: after `kill -9` the kernel still has it, so at most
 * the one record being handed out at that instant is printed again. A full state is appended after
 * each batch and the file is then synced (fsync), so a crash of the machine loses no more than the
 * batch in progress. Loading takes the last full state and applies the record lines after it; a line
 * torn by a crash is ignored (and cut off). When the log has grown, it is rewritten as one state: a
 * temporary file, synced, renamed over it, and the directory synced. Temporary files left by a tail
 * killed during that rename are removed when a tail starts.
 */
import {
  closeSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ReadPosition, ShardPosition } from '@kproxy/client';
import { CliError } from '../core/errors.ts';
import { syncDirectory } from '../core/sync-directory.ts';

/** What a checkpoint holds. */
export interface TailState {
  /** Per stream, the position of its reader. */
  streams: Record<string, ReadPosition>;
  /** With `--output-file`: that file and its length in bytes when the state was saved. */
  output?: { path: string; bytes: number } | undefined;
}

interface StateLine extends TailState {
  version: 3;
  updatedAt: string;
}

/** The single JSON object kproxy wrote before checkpoints were logs; still read. */
interface VersionOneFile {
  version: 1;
  stream: string;
  position: ReadPosition;
}

interface RecordLine {
  stream: string;
  shardId: string;
  sequenceNumber: string;
  /** Part-way through an aggregated record: the last user record handed out. */
  subSequenceNumber?: number;
}

/** The log is rewritten as one state once it is this long. */
const COMPACT_AT_BYTES = 4 * 1024 * 1024;

const fsyncAsync = promisify(fsync);

export class Checkpoint {
  readonly #temp: string;
  /** Open for appending once the file exists. */
  #fd: number | undefined;
  #bytes = 0;

  private constructor(
    readonly path: string,
    readonly streams: readonly string[],
    /** The state the file held when the tail started; undefined for a new checkpoint. */
    readonly saved: TailState | undefined,
  ) {
    this.#temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  }

  /** Removes stale temporary files, reads the checkpoint (when there is one) and opens it for appending. */
  static open(path: string, streams: readonly string[]): Checkpoint {
    // Saved by renaming a synced temporary file over it: a device (`/dev/null`) would be replaced.
    if (statSync(path, { throwIfNoEntry: false })?.isFile() === false) {
      throw new CliError(`The checkpoint ${path} is not a regular file.`, 'Name a file for the checkpoint.');
    }
    removeStaleTemps(path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new CliError(`Cannot read the checkpoint ${path}: ${(error as Error).message}`);
      }
      return new Checkpoint(path, streams, undefined);
    }
    const saved = parseLog(bytes.toString('utf8'), path);
    checkStreams(saved, streams, path);
    const checkpoint = new Checkpoint(path, streams, saved);
    checkpoint.#openForAppend(bytes);
    return checkpoint;
  }

  /**
   * Appends a full state. With `sync`, the file is synced afterwards (and rewritten as that one state
   * when it has grown large); without, the state is only handed to the kernel (enough for `kill -9`).
   */
  async save(state: TailState, options: { sync: boolean }): Promise<void> {
    const line: StateLine = { version: 3, ...state, updatedAt: new Date().toISOString() };
    const text = `${JSON.stringify(line)}\n`;
    if (this.#fd === undefined) {
      // The first state: written whole under a temporary name, so the file never exists half-written.
      this.#replaceWith(text);
      return;
    }
    if (options.sync && this.#bytes + text.length > COMPACT_AT_BYTES) {
      this.#replaceWith(text);
      return;
    }
    this.#append(text);
    if (options.sync) await fsyncAsync(this.#fd);
  }

  /**
   * One record handed out since the last state (a state must have been saved): the shard's position
   * after it. Not synced.
   */
  handedOut(stream: string, shardId: string, position: ShardPosition): void {
    if (this.#fd === undefined) throw new Error('handedOut() before the first save()');
    const line: RecordLine =
      typeof position === 'string'
        ? { stream, shardId, sequenceNumber: position }
        : { stream, shardId, ...position };
    this.#append(`${JSON.stringify(line)}\n`);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #append(text: string): void {
    const buffer = Buffer.from(text);
    try {
      let written = 0;
      while (written < buffer.length) written += writeSync(this.#fd!, buffer, written);
    } catch (error) {
      throw new CliError(`Cannot write the checkpoint ${this.path}: ${(error as Error).message}`);
    }
    this.#bytes += buffer.length;
  }

  #openForAppend(content: Buffer): void {
    this.#fd = openSync(this.path, 'r+');
    // A line torn by a crash would swallow the next line appended: cut it off.
    const end = content.lastIndexOf(0x0a) + 1;
    if (end < content.length) {
      ftruncateSync(this.#fd, end);
      fsyncSync(this.#fd);
    }
    closeSync(this.#fd);
    this.#fd = openSync(this.path, 'a');
    this.#bytes = end;
  }

  #replaceWith(text: string): void {
    try {
      const fd = openSync(this.#temp, 'w');
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(this.#temp, this.path);
    } catch (error) {
      try {
        unlinkSync(this.#temp);
      } catch {
        // Already gone.
      }
      throw new CliError(`Cannot write the checkpoint ${this.path}: ${(error as Error).message}`);
    }
    syncDirectory(dirname(this.path));
    this.close();
    this.#fd = openSync(this.path, 'a');
    this.#bytes = Buffer.byteLength(text);
  }
}

/** `.FILE.<pid>.tmp` files whose tail is no longer running (or whose pid is this process's). */
function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pid !== process.pid && isRunning(pid)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseLog(text: string, path: string): TailState {
  let state: TailState | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // torn by a crash
    }
    if (typeof value !== 'object' || value === null) continue;
    if ((value.version === 2 || value.version === 3) && isObject(value.streams)) {
      const line = value as unknown as StateLine;
      state = { streams: structuredClone(line.streams), output: line.output };
    } else if (value.version === 1 && isObject(value.position) && typeof value.stream === 'string') {
      const file = value as unknown as VersionOneFile;
      state = { streams: { [file.stream]: structuredClone(file.position) } };
    } else if (
      state &&
      typeof value.stream === 'string' &&
      typeof value.shardId === 'string' &&
      typeof value.sequenceNumber === 'string'
    ) {
      const position = state.streams[value.stream];
      if (position && isObject(position.shards)) {
        const sub = value.subSequenceNumber;
        position.shards[value.shardId] =
          typeof sub === 'number'
            ? { sequenceNumber: value.sequenceNumber, subSequenceNumber: sub }
            : value.sequenceNumber;
      }
    }
  }
  if (state) return state;
  if (text.trim() === '') throw new CliError(`The checkpoint ${path} is empty.`, 'Delete it to start over.');
  throw new CliError(`${path} is not a kproxy tail checkpoint.`, 'Delete it, or pass another file.');
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function checkStreams(saved: TailState, streams: readonly string[], path: string): void {
  const savedNames = Object.keys(saved.streams).sort();
  const names = [...streams].sort();
  if (savedNames.length === names.length && savedNames.every((n, i) => n === names[i])) return;
  const list = (ns: readonly string[]) => ns.map((n) => `"${n}"`).join(', ');
  throw new CliError(
    `The checkpoint ${path} belongs to stream${savedNames.length === 1 ? '' : 's'} ${list(savedNames)}, not ${list(names)}.`,
    'Use one checkpoint file per set of streams.',
  );
}
