import type { Shard, StreamDescription } from '@kproxy/client';
import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { collect, encodeToken, PAGING_OPTIONS, startOf } from '../../core/paging.ts';

/** The API's paging parameter, which a NextToken carries. */
const START = 'ExclusiveStartShardId';

export const describeStreamCommand = defineCommand({
  command: 'describe-stream',
  describe: 'Show a stream: status, mode, retention and every shard',
  description: `Shows the stream and a table of its shards, reading every page of shards. --output json
prints what \`aws kinesis describe-stream\` prints: {"StreamDescription": {"Shards": [...], "StreamName": …}},
with a NextToken when --max-items stopped before the last shard.`,
  examples: [
    ['kproxy describe-stream demo', 'a summary and a table of shards'],
    ['kproxy describe-stream demo --output json', 'the full description, all shards'],
    [
      "kproxy describe-stream --stream-name demo --query 'StreamDescription.Shards[].ShardId'",
      'the shard ids (aws kinesis style)',
    ],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: PAGING_OPTIONS,
  fieldFlags: { limit: '--page-size' },
  async handler(args, ctx) {
    const start = startOf(args, START);
    const client = await ctx.client();
    const request = client.describeStream(
      { streamName: args.name, limit: args.pageSize, exclusiveStartShardId: start },
      { signal: ctx.signal },
    );
    const read = await collect(
      request.pages(),
      (page: StreamDescription) => page.shards,
      (page) => page.hasMoreShards,
      args.maxItems,
    );
    const shards: Shard[] = read.items;
    // As `aws` prints a paged describe: every shard read, the paging fields left out.
    const { shards: _page, hasMoreShards: _more, ...stream } = read.first;
    const nextToken = read.more && shards.length > 0 ? encodeToken(START, shards.at(-1)!.shardId) : undefined;
    ctx.out.result(awsShape({ streamDescription: { shards, ...stream }, nextToken }), () => {
      const lines = ctx.out.table([
        ['name', stream.streamName],
        ['arn', stream.streamARN],
        ['status', stream.streamStatus],
        ['mode', stream.streamModeDetails?.streamMode ?? 'PROVISIONED'],
        ['retention', stream.retentionPeriodHours === undefined ? '-' : `${stream.retentionPeriodHours} h`],
        ['shards', nextToken ? `${shards.length} shown, more remain` : String(shards.length)],
      ]);
      const rows = shards.map((s) => [
        s.shardId,
        s.sequenceNumberRange.endingSequenceNumber === undefined ? 'open' : 'closed',
        s.parentShardId ?? '-',
        s.hashKeyRange.startingHashKey,
        s.hashKeyRange.endingHashKey,
      ]);
      if (nextToken) ctx.out.info(`More shards: --starting-token ${nextToken}`);
      return [
        ...lines,
        '',
        ...ctx.out.table([['SHARD', 'STATE', 'PARENT', 'HASH KEY START', 'HASH KEY END'], ...rows]),
      ];
    });
  },
});
