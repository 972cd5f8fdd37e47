import type { ListStreamsPage, StreamSummary } from '@kproxy/client';
import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { collect, encodeToken, PAGING_OPTIONS, startOf } from '../../core/paging.ts';

/** The API's paging parameter, which a NextToken carries. */
const START = 'ExclusiveStartStreamName';

export const listStreamsCommand = defineCommand({
  command: 'list-streams',
  describe: 'List stream names (all pages)',
  description: `Lists the stream names, one per line, reading every page. --output json prints what
\`aws kinesis list-streams\` prints: {"StreamNames": [...], "StreamSummaries": [...]} (summaries when the API
gives them), with a NextToken when --max-items stopped before the end.`,
  examples: [
    ['kproxy list-streams', 'one name per line'],
    ['kproxy list-streams --output json', '{"StreamNames": [...]}'],
    ['kproxy list-streams --max-items 10', 'the first 10; a NextToken for the rest'],
    ["kproxy list-streams --query 'StreamNames[0]'", 'JMESPath, as with aws --query'],
  ],
  options: {
    ...PAGING_OPTIONS,
    'max-items': { ...PAGING_OPTIONS['max-items'], alias: 'limit' },
  },
  fieldFlags: { limit: '--page-size' },
  async handler(args, ctx) {
    const start = startOf(args, START);
    const client = await ctx.client();
    const request = client.listStreams(
      { limit: args.pageSize, exclusiveStartStreamName: start },
      { signal: ctx.signal },
    );
    const read = await collect(
      request.pages(),
      (page: ListStreamsPage) => page.streamNames,
      (page) => page.hasMoreStreams,
      args.maxItems,
    );
    const names = read.items;
    const summaries: StreamSummary[] = read.pages.flatMap((page) => page.streamSummaries ?? []);
    const nextToken = read.more && names.length > 0 ? encodeToken(START, names.at(-1)!) : undefined;
    ctx.out.result(
      awsShape({
        streamNames: names,
        // One summary per name, in the same order: cut where the names were cut.
        streamSummaries: summaries.length > 0 ? summaries.slice(0, names.length) : undefined,
        nextToken,
      }),
      () => {
        if (nextToken) ctx.out.info(`More streams: --starting-token ${nextToken}`);
        return names;
      },
    );
  },
});
