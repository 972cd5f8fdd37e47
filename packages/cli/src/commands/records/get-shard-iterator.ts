import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { parseTime } from '../../core/time.ts';

const TYPES = [
  'TRIM_HORIZON',
  'LATEST',
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'AT_TIMESTAMP',
] as const;

export const getShardIteratorCommand = defineCommand({
  command: 'get-shard-iterator',
  describe: 'Get a shard iterator (valid 5 minutes) to read a shard with get-records',
  examples: [
    [
      'kproxy get-shard-iterator demo --shard-id shardId-000000000000',
      'from the oldest record (TRIM_HORIZON)',
    ],
    [
      'kproxy get-shard-iterator demo --shard-id shardId-000000000000 --type AT_TIMESTAMP --timestamp -15m',
      'from 15 minutes ago',
    ],
    [
      'IT=$(kproxy get-shard-iterator demo --shard-id shardId-000000000000) && kproxy get-records demo --shard-iterator "$IT"',
      'read the first records of a shard',
    ],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    'shard-id': { type: 'string', demandOption: true, describe: 'Shard to read, e.g. shardId-000000000000' },
    type: {
      type: 'string',
      choices: TYPES,
      describe: 'Where to start (default TRIM_HORIZON; implied by --sequence-number / --timestamp)',
    },
    'sequence-number': { type: 'string', describe: 'For AT_SEQUENCE_NUMBER / AFTER_SEQUENCE_NUMBER' },
    // aws kinesis get-shard-iterator's names for --type and --sequence-number, kept out of --help.
    'shard-iterator-type': { type: 'string', choices: TYPES, hidden: true },
    'starting-sequence-number': { type: 'string', hidden: true },
    timestamp: { type: 'string', describe: 'For AT_TIMESTAMP: ISO time, epoch seconds or relative (-15m)' },
  },
  async handler(args, ctx) {
    const sequenceNumber = args.sequenceNumber ?? args.startingSequenceNumber;
    const type =
      args.type ??
      args.shardIteratorType ??
      (sequenceNumber !== undefined
        ? 'AT_SEQUENCE_NUMBER'
        : args.timestamp !== undefined
          ? 'AT_TIMESTAMP'
          : 'TRIM_HORIZON');
    const needsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
    if (needsSequence !== (sequenceNumber !== undefined)) {
      throw new UsageError(
        needsSequence
          ? `--type ${type} needs --sequence-number.`
          : `--sequence-number only goes with --type AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER.`,
      );
    }
    if ((type === 'AT_TIMESTAMP') !== (args.timestamp !== undefined)) {
      throw new UsageError(
        type === 'AT_TIMESTAMP'
          ? '--type AT_TIMESTAMP needs --timestamp.'
          : '--timestamp only goes with --type AT_TIMESTAMP.',
      );
    }
    const client = await ctx.client();
    const result = await client.getShardIterator(
      {
        streamName: args.name,
        shardId: args.shardId,
        type,
        ...(sequenceNumber !== undefined ? { startingSequenceNumber: sequenceNumber } : {}),
        ...(args.timestamp !== undefined ? { timestamp: parseTime(args.timestamp, '--timestamp') } : {}),
      },
      { signal: ctx.signal },
    );
    ctx.out.result(awsShape(result), () => result.shardIterator);
  },
});
