import { resolve } from 'node:path';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { DECODE_MODES, parseDecoding } from '../../records/decode.ts';
import { createFormatter, TEMPLATE_HELP } from '../../records/format.ts';
import type { TailOutput, WritableTarget } from '../../tail/output.ts';

export const tailCommand = defineCommand({
  command: 'tail',
  noQuery: 'tail prints one JSON line per record: choose fields with --format, or pipe --output json to jq.',
  describe: 'Print the records of every shard as they arrive (follows resharding)',
  description: `Reads all shards of one or more streams at once and prints each record, following new records
until Ctrl-C (or, with --no-follow / -e, until every shard is read to its end). Parent shards are read
before their children after a reshard. While following, an outage (the API unreachable, timeouts,
5xx, throttling) is retried until it passes: one warning when it starts, one line when reading works
again. A slow consumer slows the reads: kproxy reads ahead no further than the consumer takes.
With --checkpoint FILE the position is saved as records are handed to the operating system, and a
later tail with the same file resumes right after the last one: a crash of kproxy loses nothing and
repeats at most the one record in flight. With --output-file FILE as well, nothing is repeated and
nothing is lost even if the machine crashes.
Records in the KPL aggregated format (written by the Kinesis Producer Library or put-records
--aggregate) are printed as the user records they hold, each with its own partition key and its
subSequenceNumber; checkpoints resume inside such a record. --no-deaggregate prints records as stored.`,
  epilogue: `Output: --format text prints the data (decoded per --decode) one record per line (the default
on a terminal, or with --output text); json prints one envelope per line (the default when piped, or
with --output json):
  {"stream","shardId","sequenceNumber","partitionKey","approximateArrivalTimestamp","data"}
with "dataBase64" instead of "data" when the bytes are not text (or with --decode base64), and
"subSequenceNumber" (and "explicitHashKey" when it has one) after "sequenceNumber" for a user record
of an aggregated record.

${TEMPLATE_HELP}`,
  examples: [
    ['kproxy tail demo', 'everything from the oldest record, then new records as they arrive'],
    ['kproxy tail demo -o end', 'only records written from now on (also --from latest)'],
    ['kproxy tail demo -o -10 -e', 'the last 10 records of each shard, then exit (kcat habits)'],
    ['kproxy tail demo --from -15m --no-follow', 'the last 15 minutes, then exit'],
    [
      "kproxy tail demo -e -f '%T %p %o %k: %s'",
      'arrival time (epoch ms), shard, sequence number, key and data',
    ],
    [
      "kproxy tail demo -e -f '%o/{subSequenceNumber} %k'",
      'where each user record of an aggregated record is, and its key',
    ],
    [
      'kproxy tail demo -e --decode gzip,json --grep error',
      'gunzip and parse each record; only those matching',
    ],
    ['kproxy tail demo other -e', 'two streams in one output (the json envelope names the stream)'],
    [
      'kproxy tail demo --checkpoint demo.ckpt | ./consumer',
      'resumable: restart to continue where it stopped',
    ],
    [
      'kproxy tail demo --checkpoint demo.ckpt --output-file demo.jsonl',
      'into a file, exactly once across restarts and machine crashes',
    ],
  ],
  positionals: {
    name: { type: 'string', array: true, demandOption: true, describe: 'Stream name(s)' },
  },
  options: {
    from: {
      type: 'string',
      alias: 'o',
      describe:
        'trim-horizon or beginning (default), latest or end, -N (the last N records of each shard), a sequence number (with --shard-id when several shards may hold it), an ISO time, epoch seconds, s@<epoch ms>, or a relative time (-15m, -2h)',
    },
    follow: {
      type: 'boolean',
      default: true,
      describe: 'Keep waiting for new records; --no-follow exits at the end',
    },
    'exit-at-end': { type: 'boolean', alias: 'e', describe: 'Same as --no-follow (kcat -e)' },
    count: { type: 'number', alias: ['n', 'c'], describe: 'Exit after printing this many records' },
    'shard-id': { type: 'string', array: true, describe: 'Only these shards (repeatable; one stream)' },
    checkpoint: {
      type: 'string',
      describe: 'Save the position here as records are handed out; resume from it',
    },
    'output-file': {
      type: 'string',
      describe: 'Append records to this file instead of stdout (synced before each checkpoint)',
    },
    format: {
      type: 'string',
      alias: 'f',
      describe:
        'text, json, or a template like "%k %s" (default: per --output, else text on a terminal, json when piped)',
    },
    decode: {
      type: 'string',
      default: 'text',
      describe: `How to read the data: ${DECODE_MODES.join(', ')}, or a chain such as gzip,json`,
    },
    grep: {
      type: 'string',
      describe: 'Only records whose data (decoded per --decode) matches this regular expression',
    },
    'partition-key': {
      type: 'string',
      array: true,
      describe: 'Only records with this partition key (repeatable)',
    },
    deaggregate: {
      type: 'boolean',
      default: true,
      describe: 'Print the user records of KPL aggregated records; --no-deaggregate prints records as stored',
    },
  },
  async handler(args, ctx) {
    const { out } = ctx;
    const streams = [...new Set(args.name)];
    if (args.count !== undefined && (!Number.isInteger(args.count) || args.count < 1)) {
      throw new UsageError(`--count must be a positive integer, got ${args.count}.`);
    }
    if (args.shardId?.length && streams.length > 1) {
      throw new UsageError('--shard-id names shards of one stream; give one stream with it.');
    }
    const decoding = parseDecoding(args.decode);
    const format = chooseFormat(
      args.format,
      args.output ?? ctx.io.env.KPROXY_OUTPUT,
      out.stdoutIsTTY && args.outputFile === undefined,
    );
    const formatters = new Map(streams.map((name) => [name, createFormatter(format, decoding, name)]));

    const [{ parseFrom, explainReadError }, { createFilter }, { Checkpoint }, { FileOutput, StreamOutput }] =
      await Promise.all([
        import('../../tail/from.ts'),
        import('../../tail/filters.ts'),
        import('../../tail/checkpoint.ts'),
        import('../../tail/output.ts'),
      ]);
    const filter = createFilter({ grep: args.grep, partitionKeys: args.partitionKey, decoding });
    const from = args.from !== undefined ? parseFrom(args.from) : 'trim-horizon';
    if (typeof from === 'object' && 'sequenceNumber' in from && streams.length > 1) {
      throw new UsageError(
        '--from <sequence number> is a place in one shard of one stream; give one stream.',
      );
    }

    const checkpoint = args.checkpoint
      ? Checkpoint.open(resolve(ctx.cwd, args.checkpoint), streams)
      : undefined;
    const saved = checkpoint?.saved;
    if (saved && args.from !== undefined)
      out.warn(`--from is ignored: resuming from the checkpoint ${args.checkpoint}`);

    let output: TailOutput;
    if (args.outputFile !== undefined) {
      const path = resolve(ctx.cwd, args.outputFile);
      const opened = FileOutput.open(path, saved?.output?.path === path ? saved.output.bytes : undefined);
      if (opened.cut > 0) {
        out.info(
          `${args.outputFile}: cut ${opened.cut} bytes written after the last checkpoint; those records are read again.`,
        );
      }
      output = opened.output;
    } else {
      // Every stdout kproxy is given is a Node writable; its write callback says the OS has the bytes.
      output = new StreamOutput(ctx.io.stdout as unknown as WritableTarget);
    }

    const { OutageReporter, runTail } = await import('../../tail/run.ts');
    const outages = new OutageReporter(out);
    const client = await ctx.client();
    const follow = args.follow && !args.exitAtEnd;
    const plan = {
      streams: streams.map((name) => ({
        name,
        format: formatters.get(name)!,
        reader: client.readStream({
          streamName: name,
          from: saved?.streams[name] ? { position: saved.streams[name] } : from,
          follow,
          deaggregate: args.deaggregate,
          ...(args.shardId?.length ? { shardIds: args.shardId } : {}),
          // Without a filter every record read is printed: no need to read more than --count.
          ...(args.count !== undefined && !filter ? { limit: args.count } : {}),
          signal: ctx.signal,
          onError: (error, failure) => outages.failed(name, error, failure.retryInMs),
          onRecover: () => outages.recovered(name),
          // Which route lists the shards: ListShards, or DescribeStream on an API made from the seeds.
          onShardDiscovery: ({ method, shards, fallbackReason }) =>
            out.debug(
              `${name}: listed ${shards} shards with ${method}` +
                (fallbackReason ? ` (${fallbackReason}; DescribeStream allows 10 calls/s per account)` : ''),
            ),
        }),
      })),
      output,
      checkpoint,
      filter,
      count: args.count,
    };
    try {
      await runTail(plan);
    } catch (error) {
      // Ctrl-C is how a following tail ends: not an error.
      if (ctx.signal.aborted) return;
      throw explainReadError(error);
    } finally {
      checkpoint?.close();
      output.close();
    }
  },
});

/** --format when given; else --output (or KPROXY_OUTPUT); else text on a terminal, JSON Lines when piped. */
function chooseFormat(format: string | undefined, output: string | undefined, terminal: boolean): string {
  if (format !== undefined) return format;
  if (output !== undefined) return output === 'json' ? 'json' : 'text';
  return terminal ? 'text' : 'json';
}
