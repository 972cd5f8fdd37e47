import { defineCommand } from '../../core/define-command.ts';
import { DECODE_MODES } from '../../records/decode.ts';
import { recordFields, textLine } from '../../records/format.ts';

export const getRecordsCommand = defineCommand({
  command: 'get-records',
  describe: 'Read one batch of records from a shard iterator',
  description: `Reads one batch of records with a shard iterator from get-shard-iterator (or from the
previous get-records). Text output prints each record's data on its own line and the next shard
iterator on stderr; --output json prints {records, nextShardIterator, millisBehindLatest, childShards}.
To read a whole stream, use \`kproxy tail\`.`,
  examples: [
    [
      'kproxy get-records demo --shard-iterator "$(kproxy get-shard-iterator demo --shard-id shardId-000000000000)"',
      'the first records of a shard',
    ],
    ['kproxy get-records demo --shard-iterator "$IT" --limit 10 --output json', 'at most 10, as JSON'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    'shard-iterator': {
      type: 'string',
      demandOption: true,
      describe: 'Iterator from get-shard-iterator or get-records',
    },
    limit: { type: 'number', describe: 'At most this many records (1-10000)' },
    decode: {
      type: 'string',
      choices: DECODE_MODES,
      default: 'text' as const,
      describe: 'How to show the data',
    },
  },
  async handler(args, ctx) {
    const client = await ctx.client();
    const result = await client.getRecords(
      {
        streamName: args.name,
        shardIterator: args.shardIterator,
        ...(args.limit !== undefined ? { limit: args.limit } : {}),
      },
      { signal: ctx.signal },
    );
    if (ctx.out.format === 'json') {
      ctx.out.result(
        {
          records: result.records.map((r) => recordFields(r, args.decode)),
          nextShardIterator: result.nextShardIterator ?? null,
          millisBehindLatest: result.millisBehindLatest,
          childShards: result.childShards,
        },
        () => undefined,
      );
      return;
    }
    for (const record of result.records) ctx.out.line(textLine(record.data, args.decode));
    ctx.out.info(`${result.records.length} record(s); next shard iterator:`);
    ctx.out.info(result.nextShardIterator ?? '(none: the shard is closed and fully read)');
  },
});
