/**
 * ListShards as Kinesis answers it, over the full shard listing of an engine that ignores paging and
 * filters (kinesalite lists every shard, whatever MaxResults, NextToken or ShardFilter say):
 *
 * - `ShardFilter`: AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON (the default), AT_LATEST,
 *   AT_TIMESTAMP, FROM_TIMESTAMP, as AWS's API reference defines them; `ExclusiveStartShardId` after it;
 * - `MaxResults` (default 10,000) shards per page, and a `NextToken` while more remain, which carries
 *   the stream, the filter and where the next page starts, and expires after 300 seconds;
 * - Kinesis's argument rules: a NextToken goes without StreamName, ExclusiveStartShardId, ShardFilter
 *   or StreamCreationTimestamp; a StreamName without a NextToken is required.
 *
 * A shard's times come from the engine: it opened when its parents closed (a root shard: when its
 * starting sequence number says) and closed when its ending sequence number says.
 */
import { LIMITS, NAME_PATTERN, ShardFilterType } from '@kproxy/contract';

export interface ListedShard {
  readonly ShardId: string;
  readonly ParentShardId?: string | null;
  readonly AdjacentParentShardId?: string | null;
  readonly HashKeyRange: { readonly StartingHashKey: string; readonly EndingHashKey: string };
  readonly SequenceNumberRange: {
    readonly StartingSequenceNumber: string;
    readonly EndingSequenceNumber?: string | null;
  };
}

/** When a shard opened and closed, in ms since the epoch (undefined: still open). */
export interface ShardTimes {
  readonly openedAt: number;
  readonly closedAt: number | undefined;
}

export interface ShardFilter {
  readonly Type: ShardFilterType;
  readonly ShardId?: string;
  /** Epoch seconds. */
  readonly Timestamp?: number;
}

/** What a NextToken carries: everything the next page needs. */
interface TokenState {
  /** Stream name. */
  readonly s: string;
  /** The last shard id listed: the next page starts after it. */
  readonly a: string;
  readonly f?: ShardFilter;
  /** Issued at, ms since the epoch. */
  readonly t: number;
}

/** A Kinesis error answer: `{"__type", "message"}` with status 400. */
export class KinesisError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  get body(): string {
    return JSON.stringify({ __type: this.type, message: this.message });
  }
}

const invalid = (message: string) => new KinesisError('InvalidArgumentException', message);

/** A ListShards request, checked: either a stream (with its filter and start) or a page token. */
export type ListShardsQuery =
  | {
      readonly kind: 'first';
      readonly streamName: string;
      readonly filter: ShardFilter | undefined;
      readonly exclusiveStartShardId: string | undefined;
      readonly maxResults: number;
    }
  | {
      readonly kind: 'next';
      readonly streamName: string;
      readonly filter: ShardFilter | undefined;
      readonly after: string;
      readonly maxResults: number;
    };

function validationError(field: string, value: unknown, constraint: string): KinesisError {
  return new KinesisError(
    'ValidationException',
    `1 validation error detected: Value '${typeof value === 'string' ? value : JSON.stringify(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function checkShardFilter(value: unknown): ShardFilter {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KinesisError('SerializationException', 'ShardFilter must be an object');
  }
  const filter = value as Record<string, unknown>;
  const type = filter.Type;
  if (type === undefined || type === null) {
    throw new KinesisError(
      'ValidationException',
      "1 validation error detected: Value null at 'shardFilter.type' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!ShardFilterType.safeParse(type).success) {
    throw validationError(
      'shardFilter.type',
      type,
      `Member must satisfy enum value set: [${ShardFilterType.options.join(', ')}]`,
    );
  }
  const shardId = filter.ShardId;
  if (shardId !== undefined && (typeof shardId !== 'string' || !NAME_PATTERN.test(shardId))) {
    throw validationError(
      'shardFilter.shardId',
      shardId,
      'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 1 and 128',
    );
  }
  const timestamp = filter.Timestamp;
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
    throw new KinesisError(
      'SerializationException',
      'ShardFilter.Timestamp must be a number of epoch seconds',
    );
  }
  const typed = type as ShardFilterType;
  if (typed === 'AFTER_SHARD_ID' && shardId === undefined) {
    throw invalid('ShardId must be given in a ShardFilter of Type AFTER_SHARD_ID.');
  }
  if (typed !== 'AFTER_SHARD_ID' && shardId !== undefined) {
    throw invalid(`ShardId can only be given in a ShardFilter of Type AFTER_SHARD_ID, not ${typed}.`);
  }
  const needsTime = typed === 'AT_TIMESTAMP' || typed === 'FROM_TIMESTAMP';
  if (needsTime && timestamp === undefined) {
    throw invalid(`Timestamp must be given in a ShardFilter of Type ${typed}.`);
  }
  if (!needsTime && timestamp !== undefined) {
    throw invalid(
      `Timestamp can only be given in a ShardFilter of Type AT_TIMESTAMP or FROM_TIMESTAMP, not ${typed}.`,
    );
  }
  return {
    Type: typed,
    ...(shardId !== undefined ? { ShardId: shardId as string } : {}),
    ...(timestamp !== undefined ? { Timestamp: timestamp as number } : {}),
  };
}

export function encodeNextToken(state: TokenState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64');
}

function decodeNextToken(token: string, now: number): TokenState {
  let state: Partial<TokenState> | undefined;
  try {
    state = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<TokenState>;
  } catch {
    state = undefined;
  }
  if (
    typeof state !== 'object' ||
    state === null ||
    typeof state.s !== 'string' ||
    !NAME_PATTERN.test(state.s) ||
    typeof state.a !== 'string' ||
    typeof state.t !== 'number' ||
    encodeNextToken(state as TokenState) !== token
  ) {
    throw invalid('Invalid NextToken.');
  }
  if (now - state.t > LIMITS.nextTokenTtlMs) {
    throw new KinesisError(
      'ExpiredNextTokenException',
      `The NextToken has expired: it was issued at ${new Date(state.t).toISOString()}, more than 300 seconds ago.`,
    );
  }
  return state as TokenState;
}

/**
 * Checks a ListShards request the way Kinesis does, after the engine checked its field types (StreamName,
 * MaxResults, ExclusiveStartShardId); returns what to list.
 */
export function parseListShards(request: Record<string, unknown>, now: number): ListShardsQuery {
  const maxResults =
    typeof request.MaxResults === 'number' ? request.MaxResults : LIMITS.maxListShardsResults;
  const token = request.NextToken;
  if (token !== undefined && token !== null) {
    if (typeof token !== 'string' || token === '') throw invalid('Invalid NextToken.');
    if (request.StreamName !== undefined) {
      throw invalid('NextToken and StreamName cannot be provided together.');
    }
    for (const field of ['ExclusiveStartShardId', 'ShardFilter', 'StreamCreationTimestamp']) {
      if (request[field] !== undefined) throw invalid(`NextToken and ${field} cannot be provided together.`);
    }
    const state = decodeNextToken(token, now);
    return { kind: 'next', streamName: state.s, filter: state.f, after: state.a, maxResults };
  }
  if (typeof request.StreamName !== 'string') {
    throw invalid('Either NextToken or StreamName should be provided.');
  }
  const start = request.ExclusiveStartShardId;
  return {
    kind: 'first',
    streamName: request.StreamName,
    filter: request.ShardFilter === undefined ? undefined : checkShardFilter(request.ShardFilter),
    exclusiveStartShardId: typeof start === 'string' ? start : undefined,
    maxResults,
  };
}

/** Shard ids in the order Kinesis lists them (`shardId-000000000010` after `shardId-000000000009`). */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The shards a filter selects, in shard id order. `times` gives each shard's open and close time;
 * `retentionMs` is the stream's retention period (shards closed before `now - retention` are expired).
 */
export function filterShards(
  shards: readonly ListedShard[],
  filter: ShardFilter | undefined,
  times: (shard: ListedShard) => ShardTimes,
  now: number,
  retentionMs: number,
): ListedShard[] {
  const trimHorizon = now - retentionMs;
  const within = (shard: ListedShard) => {
    const closedAt = times(shard).closedAt;
    return closedAt === undefined || closedAt >= trimHorizon;
  };
  const openAt = (time: number) => (shard: ListedShard) => {
    const { openedAt, closedAt } = times(shard);
    return openedAt <= time && (closedAt === undefined || closedAt >= time);
  };
  const live = [...shards].sort((a, b) => byId(a.ShardId, b.ShardId)).filter(within);
  switch (filter?.Type) {
    case undefined:
    case 'FROM_TRIM_HORIZON':
      return live;
    case 'AFTER_SHARD_ID':
      return live.filter((shard) => byId(shard.ShardId, filter.ShardId!) > 0);
    case 'AT_LATEST':
      return live.filter((shard) => times(shard).closedAt === undefined);
    case 'AT_TRIM_HORIZON': {
      // The trim horizon of a stream younger than its retention period is its beginning.
      const oldest = Math.min(...live.map((shard) => times(shard).openedAt));
      return live.filter(openAt(Math.max(trimHorizon, oldest)));
    }
    case 'AT_TIMESTAMP':
      return live.filter(openAt(filter.Timestamp! * 1000));
    case 'FROM_TIMESTAMP': {
      const from = Math.max(filter.Timestamp! * 1000, trimHorizon);
      return live.filter((shard) => {
        const closedAt = times(shard).closedAt;
        return closedAt === undefined || closedAt >= from;
      });
    }
  }
}

/** One page of `selected` (after `after`), with a NextToken while more remain. */
export function pageOf(
  selected: readonly ListedShard[],
  query: ListShardsQuery,
  now: number,
): { Shards: ListedShard[]; NextToken?: string } {
  const start = query.kind === 'next' ? query.after : query.exclusiveStartShardId;
  const rest = start === undefined ? selected : selected.filter((shard) => byId(shard.ShardId, start) > 0);
  const page = rest.slice(0, query.maxResults);
  if (page.length === rest.length || page.length === 0) return { Shards: page };
  const token = encodeNextToken({
    s: query.streamName,
    a: page.at(-1)!.ShardId,
    ...(query.filter ? { f: query.filter } : {}),
    t: now,
  });
  return { Shards: page, NextToken: token };
}
