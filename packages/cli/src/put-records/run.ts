/**
 * `put-records`, run: the input's lines are parsed into records and handed to `bulkPut`; every line
 * ends in exactly one place — written to the stream, or in `--failed-out` (a bad line, a record not
 * written, or input not read because the run stopped first) — and the summary counts each.
 *
 * Stops: Ctrl-C/SIGTERM (the context's signal) aborts the requests in flight and stops reading at once,
 * even from a pipe that stays open; bulkPut reports every record it read; the input not read yet is
 * written through to `--failed-out`. A second Ctrl-C exits at once: `--failed-out` is written
 * synchronously, and the process's exit handler copies what is left of the input and prints the counts.
 *
 * With `--checkpoint J` (a journal, `journal.ts`) the same command run again resumes: lines already
 * acknowledged or in `--failed-out` are skipped. A stop then leaves the records it did not send, and the
 * input it did not read, to the next run instead of copying them to `--failed-out`; and a `kill -9`
 * loses nothing, since every line sent is journalled before its request leaves.
 *
 * A `--failed-out` (or journal) that cannot be written (a full disk) stops the run like any other
 * error; the summary then names, by line number, what is in neither the stream nor the file.
 */
import {
  type BulkPutError,
  type BulkPutFailureReason,
  type BulkPutResult,
  isBulkPutError,
  type KproxyClient,
  type RecordData,
} from '@kproxy/client';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { inCliTerms, reportError } from '../core/report-error.ts';
import { FailedOut } from './failed-out.ts';
import { inputSource, type LineInput, openInput } from './input.ts';
import { Journal } from './journal.ts';
import { type LineRecord, type ParseOptions, parseLine } from './parse.ts';
import { ProgressLine } from './progress.ts';
import { stopReport } from './stop.ts';
import {
  accountingLine,
  count,
  duplicatesLine,
  failedOutLine,
  formatCount,
  jsonSummary,
  Tally,
  type Unaccounted,
} from './summary.ts';

/** Lines reported one by one on stderr; the rest are counted in the summary. */
const MAX_REPORTED = 20;
/** bulkPut's codes for records a stop left unsent (`NotSent`) or cut off in flight (`Aborted`). */
const STOPPED_CODES = new Set(['NotSent', 'Aborted']);

export interface PutRecordsArgs {
  name: string;
  file?: string | undefined;
  lines?: boolean | undefined;
  partitionKey?: string | undefined;
  partitionKeyField?: string | undefined;
  concurrency?: number | undefined;
  batchSize?: number | undefined;
  maxAttempts?: number | undefined;
  recordTtl?: number | undefined;
  failedOut?: string | undefined;
  checkpoint?: string | undefined;
  progress?: boolean | undefined;
  aggregate?: boolean | undefined;
}

type Record_ = LineRecord & {
  data: RecordData;
  /** An earlier run sent it and its answer never reached the journal: it may be stored already. */
  inDoubt?: boolean;
};

export async function putRecords(args: PutRecordsArgs, ctx: CommandContext): Promise<ExitCode> {
  const options = checkFlags(args);
  const source = inputSource(args.file, ctx.cwd, ctx.io.stdin);
  let input: LineInput | undefined;
  let journal: Journal | undefined;
  let failedOut: FailedOut | undefined;
  try {
    // Before anything is read or sent: the input, the journal and --failed-out are checked and opened,
    // so a path that cannot be written is a usage error, not a crash later.
    input = await openInput(args.file, ctx.cwd, ctx.io.stdin);
    if (args.checkpoint !== undefined) {
      journal = Journal.open(args.checkpoint, ctx.cwd, {
        stream: args.name,
        input: source,
        failedOut: args.failedOut,
      });
    }
    failedOut = FailedOut.open(args.failedOut, ctx.cwd, {
      input: source.stats ? { identity: source.stats, name: source.name } : undefined,
      keepBytes: journal?.failedOutBytes,
    });
    journal?.begin(failedOut);
    if (input.isTerminal) ctx.out.info('reading records from stdin, Ctrl-D to end');
    const client = await ctx.client();
    return await new Run(args, options, ctx, client, input, failedOut, journal).start();
  } finally {
    input?.destroy();
    // Closed (and their errors reported) by the run; here only when it never started.
    quietly(() => journal?.close());
    quietly(() => failedOut?.close());
  }
}

interface Flags {
  concurrency?: number;
  maxBatchRecords?: number;
  maxAttempts?: number;
  recordTtlMs?: number;
}

/** The numeric flags, checked with their own names (bulkPut would name its options instead). */
function checkFlags(args: PutRecordsArgs): Flags {
  const flags: Flags = {};
  const integer = (value: number, flag: string, max?: number) => {
    if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
      const range = max === undefined ? 'a whole number of 1 or more' : `a whole number from 1 to ${max}`;
      const got = Number.isNaN(value) ? 'not a number' : String(value);
      throw new UsageError(`--${flag} must be ${range} (got ${got}).`);
    }
    return value;
  };
  if (args.concurrency !== undefined) flags.concurrency = integer(args.concurrency, 'concurrency');
  if (args.batchSize !== undefined) flags.maxBatchRecords = integer(args.batchSize, 'batch-size', 500);
  if (args.maxAttempts !== undefined) flags.maxAttempts = integer(args.maxAttempts, 'max-attempts');
  if (args.recordTtl !== undefined) {
    if (!(args.recordTtl > 0) || !Number.isFinite(args.recordTtl)) {
      throw new UsageError(
        `--record-ttl must be a number of seconds above 0 (got ${Number.isNaN(args.recordTtl) ? 'not a number' : args.recordTtl}).`,
      );
    }
    flags.recordTtlMs = Math.max(1, Math.round(args.recordTtl * 1000));
  }
  return flags;
}

class Run {
  readonly #tally = new Tally();
  readonly #progress: ProgressLine;
  readonly #showProgress: boolean;
  #reported = 0;
  /** The bulk put stopped early (any reason). */
  #stopped: BulkPutError | undefined;
  /** The first line neither read nor copied to --failed-out, once the run has stopped. */
  #notReadFrom: number | undefined;
  /** Errors closing --failed-out or the journal (a sync that failed): the run did not end well. */
  readonly #closeErrors: Error[] = [];
  #done = false;

  constructor(
    private readonly args: PutRecordsArgs,
    private readonly flags: Flags,
    private readonly ctx: CommandContext,
    private readonly client: KproxyClient,
    private readonly input: LineInput,
    private readonly failedOut: FailedOut,
    private readonly journal: Journal | undefined,
  ) {
    this.#showProgress = args.progress ?? ctx.out.stderrIsTTY;
    this.#progress = new ProgressLine(ctx.out.progressStream, () => {
      const { succeeded = 0, failed = 0, retried = 0 } = this.#tally.progress ?? {};
      return {
        succeeded,
        failed: failed + this.#tally.badLines,
        retried,
        bytesRead: input.bytesRead,
        totalBytes: input.size,
      };
    });
  }

  async start(): Promise<ExitCode> {
    const { ctx, input, journal, failedOut } = this;
    const onInterrupt = () => input.stop();
    ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    const onExit = () => this.#exitNow();
    process.once('exit', onExit);
    try {
      const resumed = journal?.resumed;
      if (resumed) ctx.out.info(resumedLine(journal!.path, resumed, failedOut.path));
      if (this.#showProgress) this.#progress.start();
      let result: BulkPutResult<Record_>;
      try {
        result = await this.client.bulkPut({
          streamName: this.args.name,
          records: this.#records(),
          ...this.flags,
          aggregate: Boolean(this.args.aggregate),
          signal: ctx.signal,
          onProgress: (progress) => {
            this.#tally.progress = progress;
            // After each answer: what it settled goes into the journal (a write error stops the run).
            this.#journalFlush();
          },
          onFailure: (record, reason) => this.#failed(record, reason),
          ...(journal
            ? {
                onSend: (records: readonly Record_[]) => journal.sent(records.map((r) => r.lineNumber)),
                onAcknowledged: (record: Record_) => {
                  if (record.inDoubt) this.#tally.inDoubtSettled++;
                  journal.acknowledged(record.lineNumber);
                },
              }
            : {}),
        });
      } catch (error) {
        if (!isBulkPutError(error)) throw error;
        this.#stopped = error;
        result = error.result as BulkPutResult<Record_>;
      } finally {
        input.stop();
      }
      if (this.#stopped) this.#afterStop();
      if (this.#stopped && failedOut.enabled && !journal && !failedOut.error) {
        // Stopped early: what was never read goes to --failed-out as it is.
        const copied = await input.copyRest((chunk) => failedOut.writeRaw(chunk));
        this.#tally.notRead = copied;
        this.#notReadFrom = copied.notCopiedFrom;
      }
      this.#closeFiles();
      this.#progress.stop();
      return await this.#finish(result);
    } finally {
      this.#progress.stop();
      this.#done = true;
      ctx.signal.removeEventListener('abort', onInterrupt);
      process.removeListener('exit', onExit);
    }
  }

  /** The input's lines as records; a bad line is reported and written to --failed-out at once. */
  async *#records(): AsyncGenerator<Record_> {
    const options: ParseOptions = {
      lines: Boolean(this.args.lines),
      partitionKeyField: this.args.partitionKeyField,
      partitionKey: this.args.partitionKey,
    };
    const { journal } = this;
    for await (const line of this.input.lines()) {
      const { lineNumber } = line;
      if (journal?.isDone(lineNumber)) {
        this.#tally.skipped++;
        continue;
      }
      const inDoubt = journal?.isInDoubt(lineNumber) ?? false;
      const parsed = parseLine(line, options);
      if ('record' in parsed) {
        const record = parsed.record as Record_;
        if (inDoubt) record.inDoubt = true;
        yield record;
        continue;
      }
      this.#tally.badLines++;
      if (inDoubt) this.#tally.inDoubtSettled++;
      this.#report(lineNumber, parsed.error);
      // A write error ends the records here: bulkPut stops the run with it ('source').
      this.#writeFailed(lineNumber, line.text);
    }
  }

  #failed(record: Record_, reason: BulkPutFailureReason): void {
    const stoppedCode = STOPPED_CODES.has(reason.errorCode);
    if (stoppedCode && this.journal) {
      // Not sent (or cut off) because the run stopped: the next run of the command sends it.
      this.#tally.leftForNextRun++;
      return;
    }
    this.#tally.failure(reason.errorCode);
    if (record.inDoubt) this.#tally.inDoubtSettled++;
    // Records not sent, or cut off, because the run stopped: the summary says it once for all.
    if (!stoppedCode) {
      // An input error names the record by its place in bulkPut's input; the line number says it better,
      // and its field names are the client's: said with the flag (or the line's field) instead.
      const message = reason.errorMessage.replace(/^records\[\d+\]\./, '');
      const text =
        reason.errorCode === 'InputError' ? inCliTerms(message, undefined, keyTerms(record)) : message;
      this.#report(record.lineNumber, `${reason.errorCode}: ${text}`);
    }
    // If the write fails, bulkPut stops the run with that error ('callback').
    this.#writeFailed(record.lineNumber, record.line);
  }

  /** Writes a failed line to --failed-out and, once it is there, journals it. */
  #writeFailed(lineNumber: number, text: string): void {
    if (this.failedOut.writeLine(lineNumber, text)) this.journal?.failed(lineNumber);
  }

  #journalFlush(): void {
    const { journal } = this;
    if (!journal) return;
    const { possibleDuplicates = 0 } = this.#tally.progress ?? {};
    journal.possibleDuplicates = possibleDuplicates + this.#tally.inDoubtSettled;
    journal.flush();
  }

  #report(lineNumber: number, message: string): void {
    if (this.#reported++ < MAX_REPORTED) {
      this.#progress.print(() => this.ctx.out.warn(`line ${formatCount(lineNumber)}: ${message}`));
    }
  }

  /** Where a stopped run leaves its input: read up to `lineNumber`, the rest not read (yet). */
  #afterStop(): void {
    const unread = this.input.lineNumber + 1;
    if (this.journal || !this.failedOut.enabled || this.failedOut.error) this.#notReadFrom = unread;
  }

  /** Writes what is left to the journal, syncs and closes it and --failed-out; keeps their errors. */
  #closeFiles(): void {
    const keep = (close: () => void) => {
      try {
        close();
      } catch (error) {
        this.#closeErrors.push(error as Error);
      }
    };
    if (this.journal) {
      keep(() => {
        const { possibleDuplicates = 0 } = this.#tally.progress ?? {};
        this.journal!.possibleDuplicates = possibleDuplicates + this.#tally.inDoubtSettled;
        this.journal!.close();
      });
    }
    keep(() => this.failedOut.close());
  }

  /** What is in neither the stream nor --failed-out (nor, for a rerun, in the journal). */
  #unaccounted(): Unaccounted {
    return {
      notInFailedOut: this.failedOut.unwritten.toJSON(),
      notReadFrom: this.#notReadFrom,
      notJournalled: this.journal?.notJournalled.toJSON(),
    };
  }

  async #finish(result: BulkPutResult<Record_> | undefined): Promise<ExitCode> {
    const { out } = this.ctx;
    const tally = this.#tally;
    const totals = tally.totals(result);
    const stopped = this.#stopped;
    const resumed = this.journal?.resumed;
    const unaccounted = this.#unaccounted();
    if (out.format === 'json' || out.hasQuery) {
      out.json(jsonSummary(tally, totals, stopped?.stoppedBy, { resumed, unaccounted }));
    }
    if (this.#reported > MAX_REPORTED) {
      out.warn(`… ${count(this.#reported - MAX_REPORTED, 'more failed line')} not shown`);
    }
    const where = failedOutLine(
      { path: this.failedOut.path, lines: this.failedOut.lines, earlier: resumed?.failedOut ?? 0 },
      totals,
      stopped && !this.failedOut.enabled && !this.journal ? this.#notReadFrom : undefined,
    );
    const duplicates = duplicatesLine(totals, this.failedOut.path, tally.inDoubtSettled);
    const accounting = `${accountingLine(tally, totals)} in ${totals.seconds.toFixed(2)} s (${formatCount(totals.recordsPerSecond)} records/s), ${formatCount(totals.retries)} retried`;
    const closeError = this.#closeErrors[0];

    if (stopped || closeError) {
      let exitCode: ExitCode = ExitCode.Error;
      if (stopped) {
        const report = stopReport(stopped, { endpoint: (await this.ctx.settings()).endpoint });
        exitCode = report.exitCode;
        if (report.exitCode === ExitCode.Interrupted) out.warn(`Interrupted. ${accounting}.`);
        else out.error(report.message, report.hint);
        if (report.exitCode !== ExitCode.Interrupted) out.info(`${accounting}.`);
      } else {
        const report = reportError(closeError);
        out.error(report.message, report.hint);
        out.info(`${accounting}.`);
      }
      if (duplicates) out.warn(duplicates);
      if (where) out.info(where);
      for (const line of this.#leftOver(unaccounted, totals.leftForNextRun)) out.warn(line);
      return exitCode;
    }
    if (duplicates) out.warn(duplicates);
    if (totals.failed === 0 && !resumed?.failedOut) {
      out.success(accounting);
      return ExitCode.Ok;
    }
    if (totals.failed === 0) out.info(accounting);
    else out.error(accounting, where);
    if (totals.failed === 0 && where) out.info(where);
    return ExitCode.PartialFailure;
  }

  /**
   * What a stopped run leaves, by line number: failed lines that are not in --failed-out, the input not
   * read, and (with a journal) what the next run does.
   */
  #leftOver(unaccounted: Unaccounted, leftForNextRun: number): string[] {
    const lines: string[] = [];
    const journal = this.journal;
    const failedOut = this.failedOut;
    if (failedOut.unwritten.size > 0) {
      lines.push(
        `Not in ${failedOut.path}, and not written to the stream: ${count(failedOut.unwritten.size, 'failed line')} (${failedOut.unwritten.size === 1 ? 'line' : 'lines'} ${failedOut.unwritten.format()}).`,
      );
    }
    const from = unaccounted.notReadFrom;
    if (journal) {
      if (journal.notJournalled.size > 0) {
        lines.push(
          `The journal ${journal.path} misses ${count(journal.notJournalled.size, 'line')} settled after it could no longer be written (${journal.notJournalled.format()}): run again with it, and they are sent again; or start over with another --checkpoint file.`,
        );
      }
      if (from !== undefined || leftForNextRun > 0) {
        const parts = [
          ...(leftForNextRun ? [`${count(leftForNextRun, 'record')} read but not sent`] : []),
          ...(from !== undefined ? [`the input from line ${formatCount(from)} on`] : []),
        ];
        const stdin = this.input.kind === 'stdin' ? ' (on stdin, feed it the same input again)' : '';
        lines.push(
          `Left for the next run: ${parts.join(' and ')}. Run the same command again to go on${stdin}; ${journal.path} has what is done.`,
        );
      }
    } else if (from !== undefined && failedOut.enabled) {
      // Without --failed-out, `failedOutLine` says where the unread input starts.
      lines.push(
        `The input from line ${formatCount(from)} on was not read, and is not in ${failedOut.path}.`,
      );
    }
    return lines;
  }

  /**
   * The process exits now (a second Ctrl-C) while this run is not finished: bulkPut has already
   * reported what it read (written synchronously); copy what is left of the input and say where
   * things stand. Everything here is synchronous.
   */
  #exitNow(): void {
    if (this.#done) return;
    this.#done = true;
    this.#progress.stop();
    const { journal, failedOut } = this;
    let notRead = this.#tally.notRead;
    if (!notRead && failedOut.enabled && !journal && !failedOut.error) {
      try {
        this.input.stop();
        notRead = this.input.copyRestSync((chunk) => failedOut.writeRaw(chunk));
        this.#tally.notRead = notRead;
        this.#notReadFrom = notRead.notCopiedFrom;
      } catch (error) {
        this.ctx.out.error(
          `Could not copy the rest of the input to ${failedOut.path}: ${(error as Error).message}`,
        );
      }
    } else if (!notRead) {
      this.#notReadFrom = this.input.lineNumber + 1;
    }
    this.#closeFiles();
    for (const error of this.#closeErrors) this.ctx.out.error(error.message);
    const totals = this.#tally.totals(undefined);
    const unaccounted = this.#unaccounted();
    if (this.ctx.out.format === 'json' || this.ctx.out.hasQuery) {
      this.ctx.out.json(
        jsonSummary(this.#tally, totals, 'abort', { resumed: journal?.resumed, unaccounted }),
      );
    }
    this.ctx.out.warn(`Interrupted again: exiting now. ${accountingLine(this.#tally, totals)}.`);
    const where = failedOutLine(
      { path: failedOut.path, lines: failedOut.lines, earlier: journal?.resumed?.failedOut ?? 0 },
      totals,
      failedOut.enabled || journal ? undefined : this.input.lineNumber + 1,
    );
    if (where) this.ctx.out.info(where);
    for (const line of this.#leftOver(unaccounted, totals.leftForNextRun)) this.ctx.out.warn(line);
  }
}

/** How the partition key of this record is known to the user, for the client's `partitionKey`. */
function keyTerms(record: LineRecord): Record<string, string> {
  const partitionKey = {
    line: 'the line\'s "partitionKey"',
    field: 'the partition key (from --partition-key-field)',
    flag: '--partition-key',
    uuid: 'the partition key',
  }[record.keyFrom];
  return { partitionKey, explicitHashKey: 'the line\'s "explicitHashKey"' };
}

/** "Resuming from J: 12,000 lines done …" */
function resumedLine(
  path: string,
  resumed: NonNullable<Journal['resumed']>,
  failedOut: string | undefined,
): string {
  const done = [
    `${formatCount(resumed.acknowledged)} acknowledged`,
    ...(resumed.failedOut ? [`${formatCount(resumed.failedOut)} in ${failedOut}`] : []),
  ];
  const inDoubt = resumed.inDoubt
    ? `; ${count(resumed.inDoubt, 'line')} sent without an answer in the journal ${resumed.inDoubt === 1 ? 'is' : 'are'} sent again (counted as possible duplicates)`
    : '';
  return `Resuming from ${path} (${count(resumed.runs, 'earlier run')}): ${formatCount(resumed.acknowledged + resumed.failedOut)} lines done (${done.join(', ')}) are skipped${inDoubt}.`;
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // Reported by the run; here the command is already failing for another reason.
  }
}
