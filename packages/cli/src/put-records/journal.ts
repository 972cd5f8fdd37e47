/**
 * `put-records --checkpoint FILE`: a journal of where each input line ended, so that the same command
 * run again (after an error, Ctrl-C, or `kill -9`) skips what is done and sends only the rest.
 *
 * The file is JSON Lines, appended to and never rewritten:
 *
 *   {"journal":"kproxy put-records","version":1,"stream":"S","input":{…},"createdAt":"…"}   bound to
 *   {"run":2,"startedAt":"…","failedOut":"/abs/failed.jsonl"}                               one per run
 *   {"sent":[[1,500]]}                                    before each request: these may be stored now
 *   {"acked":[[1,480],[482,500]],"failed":[[481,481]],"failedOutBytes":1234,"possibleDuplicates":0}
 *
 * Line numbers are kept as ranges. A `sent` entry is written (synchronously, so a `kill -9` right after
 * cannot lose it) before its request leaves; acknowledgements and lines written to `--failed-out` are
 * written after each answer, with the length of `--failed-out` they account for and the run's count of
 * possible duplicates so far. Every entry is handed to the kernel at once (a `kill -9` loses nothing
 * written); the file is synced every `SYNC_MS` (after `--failed-out`), so a power loss forgets at most
 * the last fraction of a second: those lines are merely sent again.
 *
 * On a run with an existing journal: a line acknowledged or written to `--failed-out` is skipped;
 * `--failed-out` is cut back to the journalled length (lines written after the last entry are redone)
 * and appended to; a line sent but not settled (its answer never reached the journal) is sent again and
 * counted as a possible duplicate — exactly those lines may already be stored.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, UsageError } from '../core/errors.ts';
import { syncDirectory } from '../core/sync-directory.ts';
import type { FailedOut } from './failed-out.ts';
import type { InputSource } from './input.ts';
import { type LineRange, LineRanges, rangesOf } from './line-ranges.ts';
import { type FileIdentity, OutputFileError, sameFile, statOf } from './output-file.ts';
import { formatCount } from './summary.ts';

const MAGIC = 'kproxy put-records';
const VERSION = 1;
/** How often what was written is synced to disk (a power loss forgets at most this much). */
const SYNC_MS = 200;

/** What a journal is bound to: the stream, and the input by identity (not by name). */
interface Binding {
  stream: string;
  input: InputBinding;
}

interface InputBinding {
  /** As resolved on the first run; null for stdin. */
  path: string | null;
  /** The file (or the file stdin was redirected from); null for a pipe, replayed by the user. */
  file: { dev: number; ino: number; size: number; mtimeMs: number } | null;
}

interface HeaderEntry extends Binding {
  journal: typeof MAGIC;
  version: number;
  createdAt: string;
}

interface RunEntry {
  run: number;
  startedAt: string;
  failedOut: string | null;
}

interface SettledEntry {
  acked?: LineRange[];
  failed?: LineRange[];
  failedOutBytes?: number;
  possibleDuplicates?: number;
}

/** What the runs before this one left: in the summary as `resumed`. */
export interface Resumed {
  /** Runs before this one. */
  runs: number;
  acknowledged: number;
  /** Lines in `--failed-out` (bad lines, records that failed). */
  failedOut: number;
  /** Counted by earlier runs (for lines they settled). */
  possibleDuplicates: number;
  /** Lines sent without an answer in the journal: sent again now, each a possible duplicate. */
  inDoubt: number;
}

export class Journal {
  readonly #fd: number;
  readonly #done: LineRanges;
  readonly #inDoubt: LineRanges;
  /** Index into the done ranges for in-order lookups (lines are read in order). */
  #cursor = 0;
  #lastAsked = 0;
  /** The header of a new journal, written by `begin`. */
  readonly #header: HeaderEntry | undefined;
  readonly #failedOutBytes: number;
  readonly #runs: number;
  readonly #resumed: Resumed | undefined;
  #failedOut: FailedOut | undefined;
  /** Settled since the last entry written. */
  #acked: number[] = [];
  #failed: number[] = [];
  #possibleDuplicates = 0;
  #dirty = false;
  #syncTimer: ReturnType<typeof setInterval> | undefined;
  #error: OutputFileError | undefined;
  /** Settled after the journal could no longer be written: a rerun would do them again. */
  readonly notJournalled = new LineRanges();
  #closed = false;

  private constructor(
    /** As the user wrote it, for messages. */
    readonly path: string,
    fd: number,
    state: LoadedState,
    header: HeaderEntry | undefined,
  ) {
    this.#fd = fd;
    this.#header = header;
    this.#done = state.done;
    this.#inDoubt = state.sent.minus(state.done);
    this.#failedOutBytes = state.failedOutBytes;
    this.#runs = state.runs;
    this.#resumed =
      state.runs > 0
        ? {
            runs: state.runs,
            acknowledged: state.acked,
            failedOut: state.failed,
            possibleDuplicates: state.possibleDuplicates,
            inDoubt: this.#inDoubt.size,
          }
        : undefined;
  }

  /**
   * Opens (or creates) the journal at `path` for `stream` and `input`, checks that an existing one is
   * about them and about `failedOut`, and reads what it holds. Nothing is written before `begin`.
   */
  static open(
    path: string,
    cwd: string,
    binding: { stream: string; input: InputSource; failedOut: string | undefined },
  ): Journal {
    if (path === '') throw new UsageError('--checkpoint needs a file name.');
    const absolute = resolve(cwd, path);
    const existing = statOf(absolute);
    const { input } = binding;
    const failedOutPath = binding.failedOut === undefined ? undefined : resolve(cwd, binding.failedOut);
    if (input.stats && sameFile(existing, input.stats)) {
      throw new UsageError(`--checkpoint ${path} is the input file: name another file for the journal.`);
    }
    if (
      failedOutPath !== undefined &&
      (failedOutPath === absolute || sameFile(existing, statOf(failedOutPath)))
    ) {
      throw new UsageError(
        `--checkpoint ${path} is the --failed-out file: name another file for the journal.`,
      );
    }
    if (failedOutPath !== undefined) {
      const target = statOf(failedOutPath);
      if (target && !target.isFile()) {
        throw new UsageError(
          `--failed-out ${binding.failedOut} is not a regular file: with --checkpoint it must be one (a rerun appends to it, cut back to what the journal covers).`,
          'Name a file, or leave out --checkpoint.',
        );
      }
    }
    if (existing && !existing.isFile()) throw new UsageError(`--checkpoint ${path} is not a regular file.`);

    const wanted: Binding = { stream: binding.stream, input: inputBinding(input) };
    let text = '';
    if (existing && existing.size > 0) {
      try {
        text = readFileSync(absolute, 'utf8');
      } catch (error) {
        throw new CliError(`Cannot read the journal ${path}: ${(error as Error).message}`);
      }
    }
    const state = text === '' ? emptyState() : parseJournal(text, path);
    if (state.header) checkBinding(state.header, wanted, path, input.name);
    if (state.failedOutBytes > 0 || state.failed > 0) {
      if (failedOutPath !== state.failedOutPath) {
        throw new UsageError(
          `The journal ${path} has ${formatCount(state.failed)} failed lines in --failed-out ${state.failedOutPath}: pass --failed-out ${state.failedOutPath} again (the run appends to it).`,
          'Or start over with another --checkpoint file.',
        );
      }
    }
    let fd: number;
    try {
      fd = openSync(absolute, existing ? 'r+' : 'wx');
      // An entry torn by a power loss would swallow the next one appended: cut it off.
      if (state.validBytes < (existing?.size ?? 0)) ftruncateSync(fd, state.validBytes);
      closeSync(fd);
      fd = openSync(absolute, 'a');
    } catch (error) {
      throw new UsageError(
        `--checkpoint ${path}: cannot write this file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
        'Pick a path in a directory that exists and that you can write to.',
      );
    }
    const header: HeaderEntry | undefined = state.header
      ? undefined
      : { journal: MAGIC, version: VERSION, ...wanted, createdAt: now() };
    return new Journal(path, fd, state, header);
  }

  /** What earlier runs did; undefined for a new journal. */
  get resumed(): Resumed | undefined {
    return this.#resumed;
  }

  /** The length of `--failed-out` the journal covers (what a resumed run keeps of it). */
  get failedOutBytes(): number {
    return this.#failedOutBytes;
  }

  /** The first write error; from then on nothing more is journalled. */
  get error(): OutputFileError | undefined {
    return this.#error;
  }

  /** Starts this run: notes its `--failed-out`, syncs, and syncs every `SYNC_MS` from now on. */
  begin(failedOut: FailedOut): void {
    this.#failedOut = failedOut.enabled ? failedOut : undefined;
    if (this.#header) this.#append(this.#header);
    const run: RunEntry = {
      run: this.#runs + 1,
      startedAt: now(),
      failedOut: failedOut.absolutePath ?? null,
    };
    this.#append(run);
    this.sync();
    syncDirectory(dirname(resolve(this.path)));
    this.#syncTimer = setInterval(() => {
      try {
        if (this.#dirty) this.sync();
      } catch {
        // Kept in #error: the next entry throws it into the run.
      }
    }, SYNC_MS);
    this.#syncTimer.unref?.();
  }

  /** The line is acknowledged or in `--failed-out` already. Fastest when asked in increasing order. */
  isDone(line: number): boolean {
    const ranges = this.#done.ranges;
    if (line < this.#lastAsked) return this.#done.has(line);
    this.#lastAsked = line;
    while (this.#cursor < ranges.length && ranges[this.#cursor]![1] < line) this.#cursor++;
    const range = ranges[this.#cursor];
    return range !== undefined && range[0] <= line;
  }

  /** An earlier run sent the line and its answer never reached the journal: it may be stored. */
  isInDoubt(line: number): boolean {
    return this.#inDoubt.size > 0 && this.#inDoubt.has(line);
  }

  /** These lines are about to be sent (a request): written at once. Throws the first write error. */
  sent(lines: readonly number[]): void {
    this.flush();
    this.#append({ sent: rangesOf(lines) });
  }

  acknowledged(line: number): void {
    if (this.#error) this.notJournalled.add(line);
    else this.#acked.push(line);
  }

  /** The line was written to `--failed-out` (journalled with the file's new length at the next flush). */
  failed(line: number): void {
    if (this.#error) this.notJournalled.add(line);
    else this.#failed.push(line);
  }

  /** The run's count of possible duplicates so far, journalled with the next entry. */
  set possibleDuplicates(count: number) {
    this.#possibleDuplicates = count;
  }

  /** Writes what was settled since the last entry. Throws the first write error. */
  flush(): void {
    if (this.#error) {
      this.#spill(this.#acked, this.#failed);
      throw this.#error;
    }
    if (this.#acked.length === 0 && this.#failed.length === 0) return;
    const entry: SettledEntry = {};
    if (this.#acked.length > 0) entry.acked = rangesOf(this.#acked);
    if (this.#failed.length > 0) {
      entry.failed = rangesOf(this.#failed);
      entry.failedOutBytes = this.#failedOut?.bytes ?? 0;
    }
    entry.possibleDuplicates = this.#possibleDuplicates;
    const acked = this.#acked;
    const failed = this.#failed;
    this.#acked = [];
    this.#failed = [];
    try {
      this.#append(entry);
    } catch (error) {
      this.#spill(acked, failed);
      throw error;
    }
  }

  /** Settled lines that can no longer be journalled: kept to be named in the summary. */
  #spill(acked: number[], failed: number[]): void {
    for (const line of acked) this.notJournalled.add(line);
    for (const line of failed) this.notJournalled.add(line);
    this.#acked = [];
    this.#failed = [];
  }

  /** `--failed-out`, then the journal, to disk: the journal never covers lines the file may lose. */
  sync(): void {
    if (this.#error) throw this.#error;
    this.#failedOut?.sync();
    try {
      fsyncSync(this.#fd);
      this.#dirty = false;
    } catch (error) {
      this.#error = new OutputFileError('--checkpoint', this.path, error);
      throw this.#error;
    }
  }

  /** Writes what is left, syncs and closes. Throws the first write error (after closing). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#syncTimer);
    try {
      this.flush();
      this.sync();
    } finally {
      closeSync(this.#fd);
    }
  }

  #append(entry: object): void {
    if (this.#error) throw this.#error;
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`);
    try {
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.#fd, bytes, offset);
    } catch (error) {
      this.#error = new OutputFileError('--checkpoint', this.path, error);
      throw this.#error;
    }
    this.#dirty = true;
  }
}

interface LoadedState {
  header: HeaderEntry | undefined;
  runs: number;
  done: LineRanges;
  sent: LineRanges;
  acked: number;
  failed: number;
  failedOutPath: string | null;
  failedOutBytes: number;
  possibleDuplicates: number;
  /** Bytes of whole entries (a torn last one is cut off). */
  validBytes: number;
}

const emptyState = (): LoadedState => ({
  header: undefined,
  runs: 0,
  done: new LineRanges(),
  sent: new LineRanges(),
  acked: 0,
  failed: 0,
  failedOutPath: null,
  failedOutBytes: 0,
  possibleDuplicates: 0,
  validBytes: 0,
});

function parseJournal(text: string, path: string): LoadedState {
  const state = emptyState();
  const notJournal = () =>
    new CliError(
      `${path} is not a put-records journal.`,
      'Pass another --checkpoint file (a tail checkpoint is not one), or delete it.',
    );
  let runDuplicates = 0;
  let runFailedOut: string | null = null;
  let offset = 0;
  let number = 0;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    number++;
    // The last entry without its line break was torn by a power loss: it never counted.
    if (end === -1) break;
    const line = text.slice(offset, end);
    offset = end + 1;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line);
    } catch {
      if (number === 1) throw notJournal();
      throw new CliError(
        `The journal ${path} is damaged at line ${number}.`,
        'Start over with another --checkpoint file.',
      );
    }
    if (number === 1) {
      if (entry?.journal !== MAGIC) throw notJournal();
      if (entry.version !== VERSION) {
        throw new CliError(
          `The journal ${path} is of version ${String(entry.version)}; this kproxy writes version ${VERSION}.`,
        );
      }
      state.header = entry as unknown as HeaderEntry;
    } else if (typeof entry.run === 'number') {
      state.possibleDuplicates += runDuplicates;
      runDuplicates = 0;
      state.runs++;
      runFailedOut = typeof entry.failedOut === 'string' ? entry.failedOut : null;
    } else {
      const settled = entry as SettledEntry & { sent?: LineRange[] };
      for (const [a, b] of settled.sent ?? []) state.sent.add(a, b);
      for (const [a, b] of settled.acked ?? []) {
        state.done.add(a, b);
        state.acked += b - a + 1;
      }
      for (const [a, b] of settled.failed ?? []) {
        state.done.add(a, b);
        state.failed += b - a + 1;
      }
      if (settled.failedOutBytes !== undefined) {
        state.failedOutBytes = settled.failedOutBytes;
        state.failedOutPath = runFailedOut;
      }
      if (settled.possibleDuplicates !== undefined) runDuplicates = settled.possibleDuplicates;
    }
    state.validBytes = offset;
  }
  state.possibleDuplicates += runDuplicates;
  if (!state.header) throw notJournal();
  return state;
}

function inputBinding(input: InputSource): InputBinding {
  const { stats } = input;
  return {
    path: input.path ?? null,
    file: stats ? { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs } : null,
  };
}

function checkBinding(saved: Binding, wanted: Binding, path: string, inputName: string): void {
  const hint =
    'A journal resumes the same command on the same input; pass another --checkpoint file to start over.';
  if (saved.stream !== wanted.stream) {
    throw new CliError(`The journal ${path} is for stream "${saved.stream}", not "${wanted.stream}".`, hint);
  }
  const a = saved.input.file;
  const b = wanted.input.file;
  if (a === null && b === null) return; // stdin from a pipe: the same input must be fed again
  const same =
    a !== null &&
    b !== null &&
    sameFile(a as FileIdentity, b as FileIdentity) &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs;
  if (same) return;
  const describe = (input: InputBinding) =>
    input.file === null
      ? 'a pipe on stdin'
      : `${input.path ?? 'the file on stdin'} (${formatCount(input.file.size)} bytes, modified ${new Date(input.file.mtimeMs).toISOString()})`;
  const changed =
    a !== null && b !== null && sameFile(a as FileIdentity, b as FileIdentity)
      ? `${inputName} has changed since: it is now ${describe(wanted.input)}`
      : `this input is ${describe(wanted.input)}`;
  throw new CliError(
    `The journal ${path} belongs to another input: it was made for ${describe(saved.input)}; ${changed}.`,
    hint,
  );
}

const now = () => new Date().toISOString();
