import type { Shard } from '@kproxy/client';
import { defineCommand } from '../../core/define-command.ts';

export const describeStreamCommand = defineCommand({
  command: 'describe-stream',
  describe: 'Show a stream: status, mode, retention and every shard',
  examples: [
    ['kproxy describe-stream demo', 'a summary and a table of shards'],
    ['kproxy describe-stream demo --output json', 'the full description, all shards'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  async handler(args, ctx) {
    const client = await ctx.client();
    const request = client.describeStream({ streamName: args.name }, { signal: ctx.signal });
    const description = await request;
    // The first page carries up to 100 shards; iterate for the rest.
    const shards: Shard[] = [];
    for await (const shard of request) shards.push(shard);
    const full = { ...description, shards, hasMoreShards: false };
    ctx.out.result(full, () => {
      const lines = ctx.out.table([
        ['name', full.streamName],
        ['arn', full.streamARN],
        ['status', full.streamStatus],
        ['mode', full.streamModeDetails?.streamMode ?? 'PROVISIONED'],
        ['retention', full.retentionPeriodHours === undefined ? '-' : `${full.retentionPeriodHours} h`],
        ['shards', String(shards.length)],
      ]);
      const rows = shards.map((s) => [
        s.shardId,
        s.sequenceNumberRange.endingSequenceNumber === undefined ? 'open' : 'closed',
        s.parentShardId ?? '-',
        s.hashKeyRange.startingHashKey,
        s.hashKeyRange.endingHashKey,
      ]);
      return [
        ...lines,
        '',
        ...ctx.out.table([['SHARD', 'STATE', 'PARENT', 'HASH KEY START', 'HASH KEY END'], ...rows]),
      ];
    });
  },
});
