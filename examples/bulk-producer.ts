/**
 * Bulk-load a JSON Lines file into a stream.
 *
 * Shows: `client.bulkPut` fed lazily from a file of any size (memory stays bounded: lines are read only
 * as fast as batches are sent), progress on stderr, retries of throttled records, and every record that
 * could not be written kept in a failures file, in the input's own format, so it can be loaded again.
 *
 * Input, one JSON object per line (blank lines are skipped):
 *   {"partitionKey": "user-1", "data": "some text"}         stored as the UTF-8 bytes of the string
 *   {"partitionKey": "user-2", "data": {"any": ["json"]}}   any other JSON value: stored as its JSON text
 *
 * Usage: bulk-producer.ts <stream-name> <input.jsonl> [--failures FILE]
 *     [--concurrency N]       PutRecords requests in flight (default 4)
 *     [--batch-records N]     records per request (default 500, the most Kinesis takes)
 * and, to retry what failed: bulk-producer.ts <stream-name> <input>.failed.jsonl
 *
 * Run it from examples/ while the quick-start emulator runs (`pnpm start` at the repository root); the
 * stream must exist (`pnpm -w kproxy create-stream examples`, or run put-and-read.ts first):
 *
 *   printf '%s\n' '{"partitionKey":"k1","data":"hello"}' '{"partitionKey":"k2","data":{"n":2}}' > input.jsonl
 *   node --import tsx bulk-producer.ts examples input.jsonl --concurrency 2
 *
 * Exit code 0: everything written; 2: some records failed (see the failures file, default
 * `<input>.failed.jsonl`); 1: the load could not run (bad arguments, unknown stream, no API).
 *
 * Environment: KPROXY_ENDPOINT (default http://127.0.0.1:4600/v1); KPROXY_AUTH=iam signs requests
 * with SigV4 using the AWS default credential chain (for a deployed API with IAM auth).
 */
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type BulkPutProgress, KproxyClient, type RecordData } from '@kproxy/client';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    failures: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'batch-records': { type: 'string', default: '500' },
  },
});
const [streamName, inputFile] = positionals;
if (!streamName || !inputFile) {
  console.error(
    'usage: bulk-producer.ts <stream-name> <input.jsonl> [--failures FILE] [--concurrency N] [--batch-records N]',
  );
  process.exit(1);
}
const failuresFile = options.failures ?? inputFile.replace(/(\.jsonl?)?$/, '.failed.jsonl');
if (resolve(failuresFile) === resolve(inputFile)) {
  console.error('the failures file must not be the input file');
  process.exit(1);
}

const client = new KproxyClient({
  endpoint: process.env.KPROXY_ENDPOINT || 'http://127.0.0.1:4600/v1',
  auth: process.env.KPROXY_AUTH === 'iam' ? { type: 'sigv4' } : { type: 'none' },
});

/** A record to put, remembering the line it came from (bulkPut hands it back if it fails). */
interface LineRecord {
  partitionKey: string;
  data: RecordData;
  lineNumber: number;
  line: string;
}

// Failures are written as they happen, so a crash part-way still leaves them on disk. The first few
// reasons are shown as they come, and a count per reason at the end (a missing stream fails every line).
const failuresFd = openSync(failuresFile, 'w');
const failuresByReason = new Map<string, number>();
let failures = 0;
function recordFailure(lineNumber: number, line: string, errorCode: string, message: string): void {
  failures++;
  failuresByReason.set(errorCode, (failuresByReason.get(errorCode) ?? 0) + 1);
  writeSync(failuresFd, `${line}\n`);
  if (failures <= 5) console.error(`line ${lineNumber}: ${errorCode}: ${message}`);
}

/** The input's records, parsed line by line; a line that is not a record goes to the failures file. */
async function* readRecords(file: string): AsyncGenerator<LineRecord> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      recordFailure(lineNumber, line, 'BadLine', 'not JSON');
      continue;
    }
    const { partitionKey, data } = (parsed ?? {}) as Partial<LineRecord>;
    if (typeof partitionKey !== 'string' || data === undefined) {
      recordFailure(lineNumber, line, 'BadLine', 'needs "partitionKey" (a string) and "data"');
      continue;
    }
    yield { partitionKey, data, lineNumber, line };
  }
}

// Progress at most once a second (bulkPut reports after every request).
let lastProgressAt = 0;
function showProgress(progress: BulkPutProgress): void {
  if (Date.now() - lastProgressAt < 1000) return;
  lastProgressAt = Date.now();
  // `failures` also counts lines that were not records; progress.failed only what bulkPut refused.
  console.error(`written ${progress.succeeded}, failed ${failures}, retried ${progress.retried}`);
}

try {
  // Fail fast on a wrong stream name or endpoint, instead of failing every line of the file.
  await client.describeStream({ streamName });
  const result = await client.bulkPut({
    streamName,
    records: readRecords(inputFile),
    concurrency: Number(options.concurrency),
    maxBatchRecords: Number(options['batch-records']),
    // A record refused for throughput (or a throttled, failed or timed-out request) is sent again
    // after an exponential backoff with jitter, within its time budget. A bulk load should ride out
    // throttling: give each record a minute (the default is 30 s). Invalid records fail at once.
    recordTtlMs: 60_000,
    onProgress: (progress) => showProgress(progress),
    onFailure: (record, reason) =>
      recordFailure(record.lineNumber, record.line, reason.errorCode, reason.errorMessage),
  });
  console.log(
    `written ${result.succeeded} records in ${result.batches} requests (${result.retries} retried), ${failures} failed`,
  );
} catch (error) {
  // The whole load stopped (e.g. the stream does not exist, or credentials are refused).
  console.error(`bulk load stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  closeSync(failuresFd);
}

if (failures > 0) {
  const reasons = [...failuresByReason].map(([code, count]) => `${count} ${code}`).join(', ');
  console.error(`${failures} records not written (${reasons}): their lines are in ${failuresFile}`);
  process.exitCode ||= 2;
} else {
  rmSync(failuresFile); // nothing failed: leave no empty file behind
}
