import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { WAIT_OPTIONS, waitOptions } from './wait.ts';

export const createStreamCommand = defineCommand({
  command: 'create-stream',
  describe: 'Create a stream',
  description: `Creates a stream. It is CREATING for a while (seconds on AWS) before it takes records;
--wait returns once it is ACTIVE. Like \`aws kinesis create-stream\`, it prints nothing on stdout.`,
  examples: [
    ['kproxy create-stream demo --shard-count 2', 'a provisioned stream with 2 shards'],
    ['kproxy create-stream demo --on-demand --wait', 'an on-demand stream; return once it is ACTIVE'],
    ['kproxy create-stream --stream-name demo --shard-count 1', 'aws kinesis style'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    'shard-count': { type: 'number', describe: 'Number of shards (the API defaults to 5)' },
    'on-demand': { type: 'boolean', describe: 'Capacity mode ON_DEMAND instead of provisioned shards' },
    ...WAIT_OPTIONS,
    wait: { type: 'boolean', describe: 'Wait until the stream is ACTIVE' },
  },
  async handler(args, ctx) {
    if (args.onDemand && args.shardCount !== undefined) {
      throw new UsageError('--shard-count and --on-demand exclude each other.');
    }
    if (args.shardCount !== undefined && (!Number.isInteger(args.shardCount) || args.shardCount < 1)) {
      throw new UsageError(`--shard-count must be a whole number of 1 or more, got ${args.shardCount}.`);
    }
    const wait = waitOptions(args, ctx);
    const client = await ctx.client();
    await client.createStream(
      {
        streamName: args.name,
        ...(args.shardCount !== undefined ? { shardCount: args.shardCount } : {}),
        ...(args.onDemand ? { streamMode: 'ON_DEMAND' as const } : {}),
      },
      { signal: ctx.signal, ...(wait ? { wait } : {}) },
    );
    ctx.out.success(wait ? `Created stream ${args.name}: ACTIVE` : `Creating stream ${args.name}`);
  },
});
