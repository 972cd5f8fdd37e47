import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { WAIT_OPTIONS, waitOptions } from './wait.ts';

export const updateShardCountCommand = defineCommand({
  command: 'update-shard-count',
  describe: 'Reshard a stream to a number of open shards (equal hash-key ranges)',
  description: `Reshards a stream to --target open shards of equal hash-key ranges with UpdateShardCount
(UNIFORM_SCALING; kproxy's addition to the seed API). Kinesis allows from half to double the current
count, and 10 scalings per stream a day. The stream is UPDATING until the reshard is done, and takes
records all along; --wait returns once it is ACTIVE with the target count. Readers (kproxy tail) read
each parent shard to its end before its children. --output json prints what
\`aws kinesis update-shard-count\` prints: {"StreamName", "CurrentShardCount", "TargetShardCount", …}.`,
  examples: [
    ['kproxy update-shard-count demo --target 4 --wait', 'reshard to 4 shards; return once done'],
    [
      'kproxy update-shard-count --stream-name demo --target-shard-count 2 --scaling-type UNIFORM_SCALING',
      'aws kinesis style',
    ],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    target: {
      type: 'number',
      alias: 'target-shard-count',
      demandOption: true,
      describe: 'The number of open shards to end with (from half to double the current count)',
      requiresArg: true,
    },
    'scaling-type': {
      type: 'string',
      choices: ['UNIFORM_SCALING'],
      describe: 'How to reshard: UNIFORM_SCALING (the only type Kinesis has, and the default)',
      requiresArg: true,
    },
    ...WAIT_OPTIONS,
    wait: { type: 'boolean', describe: 'Wait until the stream is ACTIVE with the target count' },
  },
  fieldFlags: { targetShardCount: '--target' },
  async handler(args, ctx) {
    if (!Number.isInteger(args.target) || args.target < 1) {
      throw new UsageError(`--target must be a whole number of 1 or more, got ${args.target}.`);
    }
    const wait = waitOptions(args, ctx);
    const client = await ctx.client();
    const result = await client.updateShardCount(
      {
        streamName: args.name,
        targetShardCount: args.target,
        ...(args.scalingType !== undefined ? { scalingType: args.scalingType as 'UNIFORM_SCALING' } : {}),
      },
      { signal: ctx.signal, ...(wait ? { wait } : {}) },
    );
    ctx.out.result(awsShape(result), () => undefined);
    const from = `${result.currentShardCount} to ${result.targetShardCount} shards`;
    ctx.out.success(
      wait ? `Resharded ${args.name} from ${from}: ACTIVE` : `Resharding ${args.name} from ${from}`,
    );
  },
});
