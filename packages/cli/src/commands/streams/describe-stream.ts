import type { Shard, StreamDescription, StreamDescriptionSummary } from '@kproxy/client';
import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { collect, encodeToken, PAGING_OPTIONS, startOf } from '../../core/paging.ts';
import { summaryLines } from './describe-stream-summary.ts';
import { shardTable } from './list-shards.ts';

/** The API's paging parameter, which a NextToken carries. */
const START = 'ExclusiveStartShardId';

export const describeStreamCommand = defineCommand({
  command: 'describe-stream',
  describe: 'Show a stream: status, mode, retention and every shard',
  description: `Shows the stream (its summary: status, mode, open shards, retention, encryption) and a table
of its shards, reading every page of shards. --output json prints what \`aws kinesis describe-stream\`
prints: {"StreamDescription": {"Shards": [...], "StreamName": …}}, with a NextToken when --max-items
stopped before the last shard.`,
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
    // The header comes from DescribeStreamSummary (kproxy's addition) when text is printed. Where it
    // fails (a deployment made from the seeds lacks the route) the description's own fields serve: the
    // header is no reason to fail the command.
    const forText = ctx.out.format === 'text' && !ctx.out.options.query;
    const header: StreamDescriptionSummary | undefined = forText
      ? await client
          .describeStreamSummary({ streamName: args.name }, { signal: ctx.signal })
          .catch(async (error: unknown) => {
            const { isMissingRoute } = await import('@kproxy/client');
            const why = isMissingRoute(error) ? 'the API has no /summary route' : String(error);
            ctx.out.debug(`no stream summary (${why}): the header is DescribeStream's`);
            return undefined;
          })
      : undefined;
    ctx.out.result(awsShape({ streamDescription: { shards, ...stream }, nextToken }), () => {
      const shardsLine: [string, string] = [
        'shards',
        nextToken ? `${shards.length} shown, more remain` : String(shards.length),
      ];
      const lines = ctx.out.table(
        header
          ? [...summaryLines(header), shardsLine]
          : [
              ['name', stream.streamName],
              ['arn', stream.streamARN],
              ['status', stream.streamStatus],
              ['mode', stream.streamModeDetails?.streamMode ?? 'PROVISIONED'],
              [
                'retention',
                stream.retentionPeriodHours === undefined ? '-' : `${stream.retentionPeriodHours} h`,
              ],
              shardsLine,
            ],
      );
      if (nextToken) ctx.out.info(`More shards: --starting-token ${nextToken}`);
      return [...lines, '', ...shardTable(ctx.out.table.bind(ctx.out), shards)];
    });
  },
});
