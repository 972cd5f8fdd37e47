import { defineCommand } from '../../core/define-command.ts';

export const putRecordsCommand = defineCommand({
  command: 'put-records',
  describe: 'Write many records from JSON Lines or plain lines (a file or stdin), batched and concurrent',
  description: `Reads records line by line from FILE (or stdin when FILE is - or absent), streaming: inputs of
any size use bounded memory. Records are sent in PutRecords batches (up to 500 records / 5 MiB),
several requests at a time (--concurrency). Throttled records, server errors, timeouts and lost
connections are retried with backoff for up to --record-ttl seconds per record, while the other
requests go on; the run stops early only when the API refuses every request (unknown stream, rejected
credentials, a spent quota) or accepts nothing for a whole --record-ttl.
Every input line ends written to the stream or in --failed-out FILE (in the input's own format, so the
file can be fed back): bad lines, records not written, and on Ctrl-C or an early stop the input not
read yet. A record whose request timed out or lost its connection may be stored twice; the summary
counts them. Exit code 3 when any record was not written.
At the stream's limits (Kinesis throttles records), requests are paced at the rate the stream takes.
--aggregate packs the records per shard into KPL aggregated records (up to 25,000 bytes each), as the
Kinesis Producer Library does: small records are then bound by a shard's 1 MiB/s instead of its 1,000
records/s, and billed by the 25 KB PUT payload unit instead of one unit each. kproxy tail, readStream,
the KCL, Lambda and Firehose read them as the records put; an aggregated record that fails fails with
all its records, and the counts are of input lines.
With --checkpoint FILE, a journal of the lines acknowledged and written to --failed-out is kept as the
run goes (every line is journalled before its request is sent); the same command run again, after an
error, Ctrl-C or even kill -9, skips what is done, appends to --failed-out, and sends the rest. A stop
then leaves what it did not send to the next run instead of --failed-out. The journal is bound to its
input file (and stream); on stdin, the same input must be fed again.`,
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
    ['kproxy put-records demo small.jsonl --aggregate', 'many small records per Kinesis record (KPL format)'],
    [
      'kproxy put-records demo big.jsonl --checkpoint big.journal --failed-out failed.jsonl',
      'resumable: run it again to go on',
    ],
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
    'record-ttl': {
      type: 'number',
      describe: 'Seconds a record may be retried before it counts as failed (default 30)',
    },
    'max-attempts': {
      type: 'number',
      describe: 'Sends of one record before it counts as failed (default: no limit within --record-ttl)',
    },
    'failed-out': {
      type: 'string',
      describe: 'Write the input lines not written (failed, or not read after a stop) to this file',
    },
    checkpoint: {
      type: 'string',
      describe: 'Journal of the lines done: run the same command again to resume (even after kill -9)',
    },
    progress: { type: 'boolean', describe: 'Progress line on stderr (default: when stderr is a terminal)' },
    aggregate: {
      type: 'boolean',
      describe: 'Pack records per shard into KPL aggregated records (fewer Kinesis records and PUT units)',
    },
  },
  async handler(args, ctx) {
    // Loaded only here: the client and the input machinery stay out of `kproxy --help`'s start.
    const { putRecords } = await import('../../put-records/run.ts');
    return putRecords(args, ctx);
  },
});
