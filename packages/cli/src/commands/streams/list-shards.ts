import type { ListShardsPage, Shard, ShardFilter, ShardFilterType } from '@kproxy/client';
import { awsShape } from '../../core/aws-shape.ts';
import { defineCommand } from '../../core/define-command.ts';
import { UsageError } from '../../core/errors.ts';
import { collect, encodeToken, PAGING_OPTIONS, startOf } from '../../core/paging.ts';
import { parseTime } from '../../core/time.ts';

/** The API's paging parameter a NextToken of this command carries (the filter is given again). */
const START = 'ExclusiveStartShardId';

const FILTER_TYPES: readonly ShardFilterType[] = [
  'AFTER_SHARD_ID',
  'AT_TRIM_HORIZON',
  'FROM_TRIM_HORIZON',
  'AT_LATEST',
  'AT_TIMESTAMP',
  'FROM_TIMESTAMP',
];

/**
 * `--shard-filter`: a type (`AT_LATEST`), or `aws`'s shorthand `Type=AT_TIMESTAMP,Timestamp=…` /
 * `Type=AFTER_SHARD_ID,ShardId=…`. Timestamps as `kproxy tail --from` takes them.
 */
export function parseShardFilter(text: string): ShardFilter {
  const fields: Record<string, string> = {};
  if (!text.includes('=')) fields.Type = text;
  else {
    for (const part of text.split(',')) {
      const eq = part.indexOf('=');
      const key = part.slice(0, eq).trim();
      if (eq < 1 || !['Type', 'ShardId', 'Timestamp'].includes(key)) {
        throw new UsageError(
          `--shard-filter: "${part}" is not Type=…, ShardId=… or Timestamp=….`,
          'Example: --shard-filter AT_LATEST, or --shard-filter Type=AT_TIMESTAMP,Timestamp=-1h',
        );
      }
      fields[key] = part.slice(eq + 1).trim();
    }
  }
  const type = fields.Type?.toUpperCase() as ShardFilterType | undefined;
  if (!type || !FILTER_TYPES.includes(type)) {
    throw new UsageError(
      `--shard-filter: ${fields.Type ? `"${fields.Type}" is not a filter type` : 'Type is missing'}.`,
      `Use one of ${FILTER_TYPES.join(', ')}.`,
    );
  }
  return {
    type,
    ...(fields.ShardId !== undefined ? { shardId: fields.ShardId } : {}),
    ...(fields.Timestamp !== undefined
      ? { timestamp: parseTime(fields.Timestamp, '--shard-filter Timestamp') }
      : {}),
  };
}

export const listShardsCommand = defineCommand({
  command: 'list-shards',
  describe: 'List the shards of a stream (all pages; optionally only open ones, or those open at a time)',
  description: `Lists the shards of a stream with ListShards (kproxy's addition to the seed API; a deployment
made from the seeds answers 403), reading every page. --shard-filter picks which: AT_LATEST (open shards),
AT_TIMESTAMP or FROM_TIMESTAMP (with Timestamp=…), AFTER_SHARD_ID (with ShardId=…), AT_TRIM_HORIZON, or
FROM_TRIM_HORIZON (every shard within the retention period: the default). --output json prints what
\`aws kinesis list-shards\` prints: {"Shards": [...]}, with a NextToken when --max-items stopped early.`,
  examples: [
    ['kproxy list-shards demo', 'a table of every shard'],
    ['kproxy list-shards demo --shard-filter AT_LATEST', 'the open shards only'],
    ['kproxy list-shards demo --shard-filter Type=AT_TIMESTAMP,Timestamp=-1h', 'the shards open an hour ago'],
    ["kproxy list-shards --stream-name demo --query 'Shards[].ShardId'", 'the shard ids (aws kinesis style)'],
  ],
  positionals: {
    name: { type: 'string', demandOption: true, describe: 'Stream name' },
  },
  options: {
    'shard-filter': {
      type: 'string',
      describe: 'Which shards: a type (AT_LATEST, …) or Type=…,ShardId=…,Timestamp=… as aws takes it',
      requiresArg: true,
    },
    'exclusive-start-shard-id': {
      type: 'string',
      describe: 'List the shards after this one',
      requiresArg: true,
    },
    ...PAGING_OPTIONS,
  },
  fieldFlags: {
    maxResults: '--page-size',
    'shardFilter.type': '--shard-filter Type',
    'shardFilter.shardId': '--shard-filter ShardId',
    'shardFilter.timestamp': '--shard-filter Timestamp',
  },
  async handler(args, ctx) {
    const token = startOf(args, START);
    if (token !== undefined && args.exclusiveStartShardId !== undefined) {
      throw new UsageError('--starting-token and --exclusive-start-shard-id exclude each other.');
    }
    const shardFilter = args.shardFilter === undefined ? undefined : parseShardFilter(args.shardFilter);
    const client = await ctx.client();
    const request = client.listShards(
      {
        streamName: args.name,
        maxResults: args.pageSize,
        exclusiveStartShardId: token ?? args.exclusiveStartShardId,
        shardFilter,
      },
      { signal: ctx.signal },
    );
    const read = await collect(
      request.pages(),
      (page: ListShardsPage) => page.shards,
      (page) => page.nextToken !== undefined,
      args.maxItems,
    );
    const shards: Shard[] = read.items;
    const nextToken = read.more && shards.length > 0 ? encodeToken(START, shards.at(-1)!.shardId) : undefined;
    ctx.out.result(awsShape({ shards, nextToken }), () => {
      if (nextToken) ctx.out.info(`More shards: --starting-token ${nextToken}`);
      return shardTable(ctx.out.table.bind(ctx.out), shards);
    });
  },
});

/** The shards as a table: id, open or closed, parents, hash-key range. */
export function shardTable(
  table: (rows: readonly (readonly string[])[]) => string[],
  shards: readonly Shard[],
): string[] {
  const rows = shards.map((s) => [
    s.shardId,
    s.sequenceNumberRange.endingSequenceNumber === undefined ? 'open' : 'closed',
    [s.parentShardId, s.adjacentParentShardId].filter(Boolean).join(',') || '-',
    s.hashKeyRange.startingHashKey,
    s.hashKeyRange.endingHashKey,
  ]);
  return table([['SHARD', 'STATE', 'PARENTS', 'HASH KEY START', 'HASH KEY END'], ...rows]);
}
