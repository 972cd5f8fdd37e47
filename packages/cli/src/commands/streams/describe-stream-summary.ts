import type { StreamDescriptionSummary } from '@kproxy/client';
import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';

/** The header lines of a stream, from its summary. */
export function summaryLines(summary: StreamDescriptionSummary): [string, string][] {
  const metrics = (summary.enhancedMonitoring ?? []).flatMap((m) => m.shardLevelMetrics ?? []);
  return [
    ['name', summary.streamName],
    ['arn', summary.streamARN],
    ['status', summary.streamStatus],
    ['mode', summary.streamModeDetails?.streamMode ?? 'PROVISIONED'],
    ['open shards', String(summary.openShardCount)],
    ['retention', summary.retentionPeriodHours === undefined ? '-' : `${summary.retentionPeriodHours} h`],
    ['created', summary.streamCreationTimestamp?.toISOString() ?? '-'],
    ['encryption', summary.encryptionType ?? 'NONE'],
    ['consumers', summary.consumerCount === undefined ? '-' : String(summary.consumerCount)],
    ['shard metrics', metrics.length > 0 ? metrics.join(', ') : '-'],
  ];
}

export const describeStreamSummaryCommand = defineCommand({
  command: 'describe-stream-summary',
  describe: 'Show a stream without its shards: status, mode, retention, open shard count',
  description: `Shows a stream's summary with DescribeStreamSummary (kproxy's addition to the seed API; a
deployment made from the seeds answers 403: use describe-stream there). One request however many shards
the stream has. --output json prints what \`aws kinesis describe-stream-summary\` prints:
{"StreamDescriptionSummary": {...}}.`,
  examples: [
    ['kproxy describe-stream-summary demo', 'status, mode, retention, open shards'],
    [
      "kproxy describe-stream-summary --stream-name demo --query 'StreamDescriptionSummary.OpenShardCount'",
      'the number of open shards (aws kinesis style)',
    ],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  async handler(args, ctx) {
    const client = await ctx.client();
    const summary = await client.describeStreamSummary({ streamName: args.name }, { signal: ctx.signal });
    ctx.out.result(awsShape({ streamDescriptionSummary: summary }), () =>
      ctx.out.table(summaryLines(summary)),
    );
  },
});
