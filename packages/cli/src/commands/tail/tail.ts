import { resolve } from 'node:path';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { DECODE_MODES } from '../../records/decode.ts';
import { createFormatter, TEMPLATE_HELP } from '../../records/format.ts';
import { Checkpoint } from '../../tail/checkpoint.ts';
import type { From } from '../../tail/from.ts';

export const tailCommand = defineCommand({
  command: 'tail',
  describe: 'Print the records of every shard as they arrive (follows resharding)',
  description: `Reads all shards of a stream at once and prints each record, following new records until
Ctrl-C (or, with --no-follow, until every shard is read to its end). Parent shards are read before
their children after a reshard. With --checkpoint FILE the position is saved after every record
printed (temp file + rename), and a later tail with the same file resumes right after the last record
printed: nothing is lost after a crash; at most the one record being printed when it happened is
printed again.`,
  epilogue: `Output: --format text prints the data (decoded per --decode) one record per line (the default
on a terminal); json prints one envelope per line (the default when piped):
  {"stream","shardId","sequenceNumber","partitionKey","approximateArrivalTimestamp","data"}
with "dataBase64" instead of "data" when the bytes are not text (or with --decode base64).

${TEMPLATE_HELP}`,
  examples: [
    ['kproxy tail demo', 'everything from the oldest record, then new records as they arrive'],
    ['kproxy tail demo --from latest', 'only records written from now on'],
    ['kproxy tail demo --from -15m --no-follow', 'the last 15 minutes, then exit'],
    ["kproxy tail demo --format '%p %o %k: %s'", 'shard, sequence number, key and data'],
    [
      'kproxy tail demo --checkpoint demo.ckpt | ./consumer',
      'resumable: restart to continue where it stopped',
    ],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    from: {
      type: 'string',
      describe:
        'trim-horizon (default), latest, a sequence number (with --shard-id when several shards are open), an ISO time or a relative time (-15m, -2h)',
    },
    follow: {
      type: 'boolean',
      default: true,
      describe: 'Keep waiting for new records; --no-follow exits at the end',
    },
    'exit-at-end': { type: 'boolean', describe: 'Same as --no-follow' },
    count: { type: 'number', alias: 'n', describe: 'Exit after printing this many records' },
    'shard-id': { type: 'string', array: true, describe: 'Only these shards (repeatable)' },
    checkpoint: { type: 'string', describe: 'Save the position here after every record; resume from it' },
    format: {
      type: 'string',
      alias: 'f',
      describe: 'text, json, or a template like "%k %s" (default: text on a terminal, json when piped)',
    },
    decode: {
      type: 'string',
      choices: DECODE_MODES,
      default: 'text' as const,
      describe: 'How to read the data: text (UTF-8), json, base64, gzip (then text)',
    },
  },
  async handler(args, ctx) {
    const { out } = ctx;
    if (args.count !== undefined && (!Number.isInteger(args.count) || args.count < 1)) {
      throw new UsageError(`--count must be a positive integer, got ${args.count}.`);
    }
    const format = args.format ?? (out.format === 'json' || !out.stdoutIsTTY ? 'json' : 'text');
    const formatRecord = createFormatter(format, args.decode, args.name);

    const checkpoint = args.checkpoint
      ? new Checkpoint(resolve(ctx.cwd, args.checkpoint), args.name)
      : undefined;
    const saved = checkpoint?.load();
    const { explainReadError, parseFrom } = await import('../../tail/from.ts');
    let from: From = args.from !== undefined ? parseFrom(args.from) : 'trim-horizon';
    if (saved) {
      if (args.from !== undefined)
        out.warn(`--from is ignored: resuming from the checkpoint ${args.checkpoint}`);
      from = { position: saved };
    }

    const client = await ctx.client();
    const reader = client.readStream({
      streamName: args.name,
      from,
      follow: args.follow && !args.exitAtEnd,
      ...(args.shardId?.length ? { shardIds: args.shardId } : {}),
      ...(args.count !== undefined ? { limit: args.count } : {}),
      signal: ctx.signal,
    });
    try {
      for await (const record of reader) {
        out.line(formatRecord(record));
        checkpoint?.save(reader.position());
      }
    } catch (error) {
      // Ctrl-C is how a following tail ends: not an error.
      if (ctx.signal.aborted) return;
      throw explainReadError(error);
    } finally {
      reader.close();
    }
  },
});
