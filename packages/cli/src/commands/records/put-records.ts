import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { BulkPutFailureReason, BulkPutProgress, RecordData } from '@kproxy/client';
import { defineCommand } from '../../core/define-command.ts';
import { CliError, UsageError } from '../../core/errors.ts';
import { ExitCode } from '../../core/exit-codes.ts';
import { FailedOut } from '../../put-records/failed-out.ts';
import type { LineRecord } from '../../put-records/input.ts';
import { ProgressLine } from '../../put-records/progress.ts';

/** Lines reported one by one on stderr; the rest are counted in the summary. */
const MAX_REPORTED = 20;

/**
 * Errors of a whole request that would fail every record after it too (unknown stream, rejected
 * credentials, no connection): put-records stops at the first one instead of failing a million lines.
 */
const FATAL = new Set([
  'ResourceNotFoundException',
  'NotFoundError',
  'ResourceInUseException',
  'ConflictError',
  'AuthError',
  'AccessDeniedException',
  'ConnectionError',
  'TimeoutError',
  'ResponseValidationError',
]);

export const putRecordsCommand = defineCommand({
  command: 'put-records',
  describe: 'Write many records from JSON Lines or plain lines (a file or stdin), batched and concurrent',
  description: `Reads records line by line from FILE (or stdin when FILE is - or absent), streaming: inputs of
any size use bounded memory. Records are sent in PutRecords batches (up to 500 records / 5 MiB),
several requests at a time (--concurrency); records Kinesis refuses for throughput are retried.
A bad input line is reported with its line number and skipped; the rest go on. Lines of records that
were not written (bad lines and records refused for good) are written to --failed-out FILE, in the
input format, so the file can be fed back. Exit code 3 when any record was not written.`,
  epilogue: `Input formats:
  JSON Lines (default), one object per line:
    {"data": "text", "partitionKey": "k"}          data stored as the UTF-8 bytes of the string
    {"data": {"any": "json"}, "partitionKey": "k"} any other JSON value: stored as its JSON text
    {"dataBase64": "AAEC/w==", "partitionKey": "k"} bytes given as base64 (binary-safe)
    "explicitHashKey": "123…" is optional. Blank lines are skipped.
  --lines: each line is the data (text).
Partition key: the line's "partitionKey", else --partition-key-field (a field of the JSON data,
dotted paths allowed), else the --partition-key template ({n} = line number, {uuid} = random),
else, with --lines, a random UUID.`,
  examples: [
    ['kproxy put-records demo events.jsonl', 'JSON Lines from a file'],
    ["seq 1 1000 | kproxy put-records demo --lines --partition-key 'k{n}'", 'plain lines from stdin'],
    ['kproxy put-records demo logs.ndjson --lines --partition-key-field user.id', 'key from a field'],
    ['kproxy put-records demo big.jsonl --concurrency 8 --failed-out failed.jsonl', 'keep what failed'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
    file: { type: 'string', describe: 'Input file; - or absent reads stdin' },
  },
  options: {
    lines: { type: 'boolean', describe: 'Each line is the record data (text), not a JSON object' },
    'partition-key': {
      type: 'string',
      alias: 'k',
      describe: 'Partition key template: {n} line number, {uuid} random',
    },
    'partition-key-field': {
      type: 'string',
      describe: 'Take the partition key from this field of the JSON data',
    },
    concurrency: { type: 'number', describe: 'PutRecords requests in flight (default 4)' },
    'batch-size': { type: 'number', describe: 'Records per request (1-500, default 500)' },
    'max-attempts': {
      type: 'number',
      describe: 'Sends of one record before it counts as failed (default 5)',
    },
    'failed-out': { type: 'string', describe: 'Write the input lines of records not written to this file' },
    progress: { type: 'boolean', describe: 'Progress line on stderr (default: when stderr is a terminal)' },
  },
  async handler(args, ctx) {
    const { out } = ctx;
    const { parseLine, readLines } = await import('../../put-records/input.ts');
    const input = await openInput(args.file, ctx.cwd, ctx.io.stdin);
    const client = await ctx.client();
    const failedOut = new FailedOut(args.failedOut);
    failedOut.open(ctx.cwd);

    let reported = 0;
    let badLines = 0;
    const failuresByCode = new Map<string, number>();
    const reportLine = (lineNumber: number, message: string) => {
      if (reported++ < MAX_REPORTED) out.warn(`line ${lineNumber}: ${message}`);
    };

    let bytesRead = 0;
    let latest: BulkPutProgress = { sent: 0, succeeded: 0, failed: 0, retried: 0, inFlight: 0 };
    const showProgress = args.progress ?? out.stderrIsTTY;
    const progress = new ProgressLine(out.progressStream, () => ({
      ...latest,
      failed: latest.failed + badLines,
      bytesRead,
      totalBytes: input.size,
    }));

    const parseOptions = {
      lines: Boolean(args.lines),
      partitionKeyField: args.partitionKeyField,
      partitionKey: args.partitionKey,
    };
    async function* records(): AsyncGenerator<LineRecord & { data: RecordData }> {
      for await (const line of readLines(input.stream, (n) => (bytesRead += n))) {
        const parsed = parseLine(line, parseOptions);
        if ('record' in parsed) {
          yield parsed.record as LineRecord & { data: RecordData };
        } else {
          badLines++;
          reportLine(line.lineNumber, parsed.error);
          failedOut.write(line.text);
        }
      }
    }

    const stop = new AbortController();
    const onAbort = () => stop.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let fatal: BulkPutFailureReason | undefined;
    const started = performance.now();
    if (showProgress) progress.start();
    let result: Awaited<ReturnType<typeof client.bulkPut>> | undefined;
    try {
      result = await client.bulkPut({
        streamName: args.name,
        records: records(),
        ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
        ...(args.batchSize !== undefined ? { maxBatchRecords: args.batchSize } : {}),
        ...(args.maxAttempts !== undefined ? { maxAttempts: args.maxAttempts } : {}),
        signal: stop.signal,
        onProgress: (p) => {
          latest = p;
        },
        onFailure: (record, reason) => {
          if (FATAL.has(reason.errorCode)) {
            fatal ??= reason;
            stop.abort(new Error('fatal'));
          }
          failuresByCode.set(reason.errorCode, (failuresByCode.get(reason.errorCode) ?? 0) + 1);
          reportLine(record.lineNumber, `${reason.errorCode}: ${reason.errorMessage}`);
          failedOut.write(record.line);
        },
      });
    } catch (error) {
      if (!fatal && !ctx.signal.aborted) throw error;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      progress.stop();
      await failedOut.close();
    }

    const seconds = (performance.now() - started) / 1000;
    const succeeded = result?.succeeded ?? latest.succeeded;
    const failed = (result?.failed ?? latest.failed) + badLines;
    const summary = {
      succeeded,
      failed,
      badLines,
      failures: Object.fromEntries(failuresByCode),
      requests: result?.batches,
      retries: result?.retries ?? latest.retried,
      seconds: Math.round(seconds * 1000) / 1000,
      recordsPerSecond: seconds > 0 ? Math.round(succeeded / seconds) : 0,
      complete: result !== undefined,
    };
    if (out.format === 'json') out.json(summary);
    if (reported > MAX_REPORTED) out.warn(`… ${reported - MAX_REPORTED} more failed lines not shown`);

    if (fatal) {
      throw new CliError(
        `Stopped: ${fatal.errorCode}: ${fatal.errorMessage}`,
        `${n(succeeded)} records were written before the error; input after that was not read. ${fatalHint(fatal.errorCode)}`,
      );
    }
    if (ctx.signal.aborted) {
      out.warn(
        `Interrupted after ${n(succeeded)} records written (${n(failed)} failed); input after that was not read.`,
      );
      return ExitCode.Interrupted;
    }
    const rate = `${n(summary.recordsPerSecond)} records/s`;
    if (failed === 0) {
      out.success(
        `Wrote ${n(succeeded)} records in ${seconds.toFixed(2)} s (${rate}), ${n(summary.retries)} retried`,
      );
      return ExitCode.Ok;
    }
    const causes = [
      ...(badLines ? [`${n(badLines)} bad input lines`] : []),
      ...[...failuresByCode].map(([code, count]) => `${n(count)} ${code}`),
    ].join(', ');
    out.error(
      `Wrote ${n(succeeded)} records, ${n(failed)} failed (${causes}) in ${seconds.toFixed(2)} s (${rate})`,
      args.failedOut !== undefined
        ? `The failed lines are in ${args.failedOut}; fix them and run put-records on that file.`
        : 'Pass --failed-out FILE to keep the failed lines for a retry.',
    );
    return ExitCode.PartialFailure;
  },
});

const n = (value: number) => value.toLocaleString('en-US');

function fatalHint(code: string): string {
  if (code === 'ResourceNotFoundException' || code === 'NotFoundError')
    return 'Check the stream name with `kproxy list-streams`.';
  if (code === 'ResourceInUseException' || code === 'ConflictError')
    return 'The stream is not ACTIVE yet; retry shortly.';
  if (code === 'ConnectionError' || code === 'TimeoutError')
    return 'Check the endpoint, or start the emulator with `kproxy local`.';
  return 'Check the credentials and --auth.';
}

async function openInput(
  file: string | undefined,
  cwd: string,
  stdin: Readable,
): Promise<{ stream: Readable; size: number | undefined }> {
  // yargs hands a lone `-` positional over as an empty string.
  if (file === undefined || file === '-' || file === '') return { stream: stdin, size: undefined };
  const path = resolve(cwd, file);
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`${file} is not a file.`);
    return { stream: createReadStream(path), size: info.size };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
}
