import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { plural } from '../../core/plural.ts';
import { DECODE_MODES } from '../../records/decode.ts';
import { textLine } from '../../records/format.ts';

export const getRecordsCommand = defineCommand({
  command: 'get-records',
  describe: 'Read one batch of records from a shard iterator',
  description: `Reads one batch of records with a shard iterator from get-shard-iterator (or from the
previous get-records). Text output prints each record's data on its own line (as --decode says) and the
next shard iterator on stderr; --output json prints what \`aws kinesis get-records\` prints: {"Records":
[{"SequenceNumber", "ApproximateArrivalTimestamp", "Data" (base64), "PartitionKey"}], "NextShardIterator",
"MillisBehindLatest"}. To read a whole stream, use \`kproxy tail\`.`,
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
      describe: 'How text output shows the data (--output json prints it as base64, as aws does)',
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
    ctx.out.result(awsShape(result), () => {
      for (const record of result.records) ctx.out.line(textLine(record.data, args.decode));
      ctx.out.info(`${plural(result.records.length, 'record')}; next shard iterator:`);
      ctx.out.info(result.nextShardIterator ?? '(none: the shard is closed and fully read)');
      return undefined;
    });
  },
});
