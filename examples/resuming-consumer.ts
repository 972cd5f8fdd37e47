/**
 * Consume a stream and resume where the last run stopped.
 *
 * Shows: `client.readStream` over every shard of a stream, and `reader.position()` saved to a
 * checkpoint file after each record, so that a restarted consumer goes on right after the last record
 * it handled: nothing is skipped, and nothing handled is read again.
 *
 * The checkpoint is replaced atomically (written to a temporary file, then renamed over the old one):
 * a crash leaves the old checkpoint or the new one, never half a file. A crash between handling a
 * record and saving the checkpoint hands that one record over again on restart (at-least-once): make
 * handling idempotent, or store the result and the position in one transaction.
 *
 * Usage: resuming-consumer.ts <stream-name> [--checkpoint FILE] [--limit N] [--no-follow]
 *
 * Run it from examples/ while the quick-start emulator runs (`pnpm start` at the repository root):
 *
 *   node --import tsx resuming-consumer.ts examples --no-follow --limit 2   # the first two records
 *   node --import tsx resuming-consumer.ts examples --no-follow             # the rest, then it stops
 *   node --import tsx resuming-consumer.ts examples                         # new ones as they come; Ctrl-C
 *
 * Each record is printed as `<shard id> <sequence number> <data as text>`. It follows the stream
 * (waits for new records) until Ctrl-C; --no-follow stops at the end of the stream, --limit N after N
 * records. The checkpoint defaults to `<stream-name>.checkpoint.json`; delete it to start over.
 *
 * Environment: KPROXY_ENDPOINT (default http://127.0.0.1:4600/v1); KPROXY_AUTH=iam signs requests
 * with SigV4 using the AWS default credential chain (for a deployed API with IAM auth).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KproxyClient, type ReadPosition } from '@kproxy/client';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  allowNegative: true,
  options: {
    checkpoint: { type: 'string' },
    limit: { type: 'string' },
    follow: { type: 'boolean', default: true },
  },
});
const [streamName] = positionals;
if (!streamName) {
  console.error('usage: resuming-consumer.ts <stream-name> [--checkpoint FILE] [--limit N] [--no-follow]');
  process.exit(1);
}
const checkpointFile = options.checkpoint ?? `${streamName}.checkpoint.json`;

const client = new KproxyClient({
  endpoint: process.env.KPROXY_ENDPOINT || 'http://127.0.0.1:4600/v1',
  auth: process.env.KPROXY_AUTH === 'iam' ? { type: 'sigv4' } : { type: 'none' },
});

/** The position the last run saved, or undefined on the first run. */
function loadCheckpoint(): ReadPosition | undefined {
  try {
    return JSON.parse(readFileSync(checkpointFile, 'utf8')) as ReadPosition;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Replaces the checkpoint atomically: rename() swaps the whole file or does nothing. */
function saveCheckpoint(position: ReadPosition): void {
  const temporary = `${checkpointFile}.tmp`;
  writeFileSync(temporary, JSON.stringify(position));
  renameSync(temporary, checkpointFile);
}

/** What this consumer does with a record; here it prints it. */
function handle(record: { shardId: string; sequenceNumber: string; text(): string }): void {
  console.log(`${record.shardId} ${record.sequenceNumber} ${record.text()}`);
}

const saved = loadCheckpoint();
console.error(saved ? `resuming from ${checkpointFile}` : 'no checkpoint: reading from the oldest record');

const reader = client.readStream({
  streamName,
  // The client checks a saved position before using it, so a damaged file fails here, loudly.
  from: saved ? { position: saved } : 'trim-horizon',
  follow: options.follow,
  limit: options.limit === undefined ? undefined : Number(options.limit),
});

// Ctrl-C or SIGTERM: stop reading. The checkpoint already covers every record handled.
const stop = () => reader.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

let handled = 0;
try {
  for await (const record of reader) {
    handle(record);
    // position() is past this record now: save it before handling the next one.
    saveCheckpoint(reader.position());
    handled++;
  }
  // Also remembers shards read to their end since the last record (after a reshard).
  saveCheckpoint(reader.position());
  console.error(`handled ${handled} records; position saved in ${checkpointFile}`);
} catch (error) {
  // E.g. the stream was deleted, or credentials are refused. Every record handled is checkpointed.
  console.error(
    `consumer stopped after ${handled} records: ${error instanceof Error ? error.message : error}`,
  );
  process.exitCode = 1;
}
