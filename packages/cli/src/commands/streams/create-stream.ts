import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { waitForStatus } from './wait.ts';

export const createStreamCommand = defineCommand({
  command: 'create-stream',
  describe: 'Create a stream',
  examples: [
    ['kproxy create-stream demo --shard-count 2', 'a provisioned stream with 2 shards'],
    ['kproxy create-stream demo --on-demand --wait', 'an on-demand stream; return once it is ACTIVE'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    'shard-count': { type: 'number', describe: 'Number of shards (the API defaults to 5)' },
    'on-demand': { type: 'boolean', describe: 'Capacity mode ON_DEMAND instead of provisioned shards' },
    wait: { type: 'boolean', describe: 'Wait until the stream is ACTIVE' },
  },
  async handler(args, ctx) {
    if (args.onDemand && args.shardCount !== undefined) {
      throw new UsageError('--shard-count and --on-demand exclude each other.');
    }
    if (args.shardCount !== undefined && (!Number.isInteger(args.shardCount) || args.shardCount < 1)) {
      throw new UsageError(`--shard-count must be a positive integer, got ${args.shardCount}.`);
    }
    const client = await ctx.client();
    await client.createStream(
      {
        streamName: args.name,
        ...(args.shardCount !== undefined ? { shardCount: args.shardCount } : {}),
        ...(args.onDemand ? { streamMode: 'ON_DEMAND' as const } : {}),
      },
      { signal: ctx.signal },
    );
    let status = 'CREATING';
    if (args.wait) status = await waitForStatus(client, args.name, 'ACTIVE', ctx.signal);
    ctx.out.success(`Created stream ${args.name}${args.wait ? ' (ACTIVE)' : ''}`);
    ctx.out.result({ streamName: args.name, streamStatus: status }, () => undefined);
  },
});
