/**
 * `put-records`, run: the input's lines are parsed into records and handed to `bulkPut`; every line
 * ends in exactly one place — written to the stream, or in `--failed-out` (a bad line, a record not
 * written, or input not read because the run stopped first) — and the summary counts each.
 *
 * Stops: Ctrl-C/SIGTERM (the context's signal) aborts the requests in flight and stops reading at once,
 * even from a pipe that stays open; bulkPut reports every record it read; the input not read yet is
 * written through to `--failed-out`. A second Ctrl-C exits at once: `--failed-out` is written
 * synchronously, and the process's exit handler copies what is left of the input and prints the counts.
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
import { FailedOut } from './failed-out.ts';
import { inputPath, type LineInput, openInput } from './input.ts';
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
  progress?: boolean | undefined;
  aggregate?: boolean | undefined;
}

type Record_ = LineRecord & { data: RecordData };

export async function putRecords(args: PutRecordsArgs, ctx: CommandContext): Promise<ExitCode> {
  const options = checkFlags(args);
  // Before anything is read or sent: a path that cannot be written is a usage error, not a crash later.
  const failedOut = FailedOut.open(args.failedOut, ctx.cwd, inputPath(args.file, ctx.cwd));
  let input: LineInput | undefined;
  try {
    input = await openInput(args.file, ctx.cwd, ctx.io.stdin);
    if (input.isTerminal) ctx.out.info('reading records from stdin, Ctrl-D to end');
    const client = await ctx.client();
    return await new Run(args, options, ctx, client, input, failedOut).start();
  } finally {
    input?.destroy();
    failedOut.close();
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
  #done = false;

  constructor(
    private readonly args: PutRecordsArgs,
    private readonly flags: Flags,
    private readonly ctx: CommandContext,
    private readonly client: KproxyClient,
    private readonly input: LineInput,
    private readonly failedOut: FailedOut,
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
    const { ctx, input } = this;
    const onInterrupt = () => input.stop();
    ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    const onExit = () => this.#exitNow();
    process.once('exit', onExit);
    try {
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
          },
          onFailure: (record, reason) => this.#failed(record, reason),
        });
      } catch (error) {
        if (!isBulkPutError(error)) throw error;
        this.#stopped = error;
        result = error.result as BulkPutResult<Record_>;
      } finally {
        input.stop();
      }
      // Stopped early: what was never read goes to --failed-out as it is.
      if (this.#stopped && this.failedOut.enabled) {
        this.#tally.notRead = await input.copyRest((chunk) => this.failedOut.writeRaw(chunk));
      }
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
    for await (const line of this.input.lines()) {
      const parsed = parseLine(line, options);
      if ('record' in parsed) {
        yield parsed.record as Record_;
        continue;
      }
      this.#tally.badLines++;
      this.#report(line.lineNumber, parsed.error);
      this.failedOut.writeLine(line.text);
    }
  }

  #failed(record: Record_, reason: BulkPutFailureReason): void {
    // Written first: if the write fails, bulkPut stops the run with that error.
    this.failedOut.writeLine(record.line);
    this.#tally.failure(reason.errorCode);
    // Records not sent, or cut off, because the run stopped: the summary says it once for all.
    if (STOPPED_CODES.has(reason.errorCode)) return;
    // An input error names the record by its place in bulkPut's input; the line number says it better.
    const message = reason.errorMessage.replace(/^records\[\d+\]\./, '');
    this.#report(record.lineNumber, `${reason.errorCode}: ${message}`);
  }

  #report(lineNumber: number, message: string): void {
    if (this.#reported++ < MAX_REPORTED) {
      this.#progress.print(() => this.ctx.out.warn(`line ${formatCount(lineNumber)}: ${message}`));
    }
  }

  async #finish(result: BulkPutResult<Record_> | undefined): Promise<ExitCode> {
    const { out } = this.ctx;
    const tally = this.#tally;
    const totals = tally.totals(result);
    const stopped = this.#stopped;
    if (out.format === 'json') out.json(jsonSummary(tally, totals, stopped?.stoppedBy));
    if (this.#reported > MAX_REPORTED) {
      out.warn(`… ${count(this.#reported - MAX_REPORTED, 'more failed line')} not shown`);
    }
    // Without --failed-out the input after the last line read stays unread; say where that starts.
    const unreadFrom = stopped && !this.failedOut.enabled ? this.input.lineNumber + 1 : undefined;
    const where = failedOutLine(this.failedOut.path, totals, unreadFrom);
    const duplicates = duplicatesLine(totals, this.failedOut.path);
    const accounting = `${accountingLine(tally, totals)} in ${totals.seconds.toFixed(2)} s (${formatCount(totals.recordsPerSecond)} records/s), ${formatCount(totals.retries)} retried`;

    if (stopped) {
      const report = stopReport(stopped, { endpoint: (await this.ctx.settings()).endpoint });
      if (report.exitCode === ExitCode.Interrupted) out.warn(`Interrupted. ${accounting}.`);
      else out.error(report.message, report.hint);
      if (report.exitCode !== ExitCode.Interrupted) out.info(`${accounting}.`);
      if (duplicates) out.warn(duplicates);
      if (where) out.info(where);
      return report.exitCode;
    }
    if (duplicates) out.warn(duplicates);
    if (totals.failed === 0) {
      out.success(accounting);
      return ExitCode.Ok;
    }
    out.error(accounting, where);
    return ExitCode.PartialFailure;
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
    let notRead = this.#tally.notRead;
    if (!notRead && this.failedOut.enabled) {
      try {
        this.input.stop();
        notRead = this.input.copyRestSync((chunk) => this.failedOut.writeRaw(chunk));
        this.#tally.notRead = notRead;
      } catch (error) {
        this.ctx.out.error(
          `Could not copy the rest of the input to ${this.failedOut.path}: ${(error as Error).message}`,
        );
      }
    }
    this.failedOut.close();
    const totals = this.#tally.totals(undefined);
    if (this.ctx.out.format === 'json') this.ctx.out.json(jsonSummary(this.#tally, totals, 'abort'));
    this.ctx.out.warn(`Interrupted again: exiting now. ${accountingLine(this.#tally, totals)}.`);
    const where = failedOutLine(
      this.failedOut.path,
      totals,
      this.failedOut.enabled ? undefined : this.input.lineNumber + 1,
    );
    if (where) this.ctx.out.info(where);
  }
}
