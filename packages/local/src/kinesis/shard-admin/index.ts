/**
 * What kinesalite (the embedded engine) lacks of Kinesis's shard administration, added in front of it:
 *
 * - ListShards pages (`MaxResults`, `NextToken`) and filters (`ShardFilter`), which kinesalite ignores
 *   (it lists every shard) — see `list-shards.ts`;
 * - UpdateShardCount, which kinesalite does not have: checked as Kinesis checks it, answered at once,
 *   then carried out with SplitShard and MergeShards (`uniform-scaling.ts`) while the stream reports
 *   UPDATING; another UpdateShardCount of the stream meanwhile gets ResourceInUseException.
 *
 * Everything else passes through. An engine that has these (kinesis-local, real Kinesis) is called
 * directly: the emulator adds this layer to the embedded engine only.
 */
import { createRequire } from 'node:module';
import { NAME_PATTERN, ScalingType } from '@kproxy/contract';
import type { Logger } from '../../log.ts';
import type { KinesisCaller, KinesisResponse } from '../call.ts';
import {
  filterShards,
  KinesisError,
  type ListedShard,
  pageOf,
  parseListShards,
  type ShardTimes,
} from './list-shards.ts';
import { type KeyRange, nextStep, planUniformScaling } from './uniform-scaling.ts';

/** Kinesis's default limits of UpdateShardCount (AWS API reference, UpdateShardCount). */
export const UPDATE_SHARD_COUNT_LIMITS = {
  /** Scalings of one stream per rolling 24 hours. */
  perDay: 10,
  /** A stream cannot be scaled up past this many shards (nor one above it down to it or more). */
  maxShardsPerStream: 10_000,
} as const;

const DAY_MS = 24 * 3_600_000;
/** How often a step's end (the stream ACTIVE again) is looked for, and for how long at most. */
const STEP_POLL_MS = 5;
const STEP_TIMEOUT_MS = 60_000;

export interface ShardAdministrationOptions {
  /** Open shards allowed across all streams: the engine's shard limit. */
  readonly shardLimit: number;
  readonly logger: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface ShardAdministration {
  readonly callKinesis: KinesisCaller;
  /** Waits for reshards under way to finish their current step, and stops them. */
  close(): Promise<void>;
}

interface Summary {
  StreamName: string;
  StreamARN: string;
  StreamStatus: string;
  StreamCreationTimestamp?: number;
  RetentionPeriodHours?: number;
  OpenShardCount: number;
}

const require = createRequire(import.meta.url);

/** kinesalite's sequence numbers carry the shard's creation time and the record's (or the end's) time. */
function shardTimesOf(shards: readonly ListedShard[]): (shard: ListedShard) => ShardTimes {
  const { parseSequence } = require('kinesalite/db') as {
    parseSequence(sequence: string): { shardCreateTime: number; seqTime?: number };
  };
  const byId = new Map(shards.map((shard) => [shard.ShardId, shard]));
  const closedAt = (shard: ListedShard | undefined) => {
    const ending = shard?.SequenceNumberRange.EndingSequenceNumber;
    return ending ? parseSequence(ending).seqTime : undefined;
  };
  return (shard) => {
    // A child opens when its parents close (kinesalite dates its first sequence number a second later).
    const parents = [shard.ParentShardId, shard.AdjacentParentShardId]
      .map((id) => (id ? closedAt(byId.get(id)) : undefined))
      .filter((time): time is number => time !== undefined);
    const openedAt =
      parents.length > 0
        ? Math.max(...parents)
        : parseSequence(shard.SequenceNumberRange.StartingSequenceNumber).shardCreateTime;
    return { openedAt, closedAt: closedAt(shard) };
  };
}

const answer = (body: unknown): KinesisResponse => ({ status: 200, body: JSON.stringify(body) });
const failure = (error: KinesisError): KinesisResponse => ({ status: 400, body: error.body });

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const isOpen = (shard: ListedShard) => !shard.SequenceNumberRange.EndingSequenceNumber;
const rangeOf = (shard: ListedShard): KeyRange => ({
  start: BigInt(shard.HashKeyRange.StartingHashKey),
  end: BigInt(shard.HashKeyRange.EndingHashKey),
});

export function withShardAdministration(
  callEngine: KinesisCaller,
  options: ShardAdministrationOptions,
): ShardAdministration {
  const now = options.now ?? Date.now;
  /** Reshards under way, by stream name. */
  const resharding = new Map<string, Promise<void>>();
  /** When each stream (name and creation time) was scaled, for the 10-per-24-hours limit. */
  const scalings = new Map<string, number[]>();
  let closing = false;

  /** One call to the engine: its parsed answer, or its error response as it is. */
  async function engine(
    action: string,
    request: object,
  ): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; response: KinesisResponse }> {
    const response = await callEngine(action, JSON.stringify(request));
    if (response.status !== 200) return { ok: false, response };
    return {
      ok: true,
      body: response.body.trim() === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>),
    };
  }

  async function allShards(streamName: string): Promise<ListedShard[] | KinesisResponse> {
    // kinesalite lists every shard in one answer, whatever MaxResults says.
    const listed = await engine('ListShards', { StreamName: streamName });
    return listed.ok ? (listed.body.Shards as ListedShard[]) : listed.response;
  }

  async function summary(streamName: string): Promise<Summary | KinesisResponse> {
    const described = await engine('DescribeStreamSummary', { StreamName: streamName });
    return described.ok ? (described.body.StreamDescriptionSummary as Summary) : described.response;
  }

  async function listShards(body: string): Promise<KinesisResponse> {
    const request = parseJson(body);
    if (!request) return callEngine('ListShards', body);
    try {
      const query = parseListShards(request, now());
      // The engine checks the fields it knows (types, ranges, the stream) and answers with its own errors.
      const checked = await engine('ListShards', {
        StreamName: query.streamName,
        ...(request.MaxResults !== undefined ? { MaxResults: request.MaxResults } : {}),
        ...(request.ExclusiveStartShardId !== undefined
          ? { ExclusiveStartShardId: request.ExclusiveStartShardId }
          : {}),
        ...(request.StreamCreationTimestamp !== undefined
          ? { StreamCreationTimestamp: request.StreamCreationTimestamp }
          : {}),
      });
      if (!checked.ok) return checked.response;
      const shards = await allShards(query.streamName);
      if (!Array.isArray(shards)) return shards;
      const stream = await summary(query.streamName);
      if (!('OpenShardCount' in stream)) return stream;
      const time = now();
      const selected = filterShards(
        shards,
        query.filter,
        shardTimesOf(shards),
        time,
        (stream.RetentionPeriodHours ?? 24) * 3_600_000,
      );
      return answer(pageOf(selected, query, time));
    } catch (error) {
      if (error instanceof KinesisError) return failure(error);
      throw error;
    }
  }

  /** UpdateShardCount's own checks, in the order of its request fields; the engine checks the stream. */
  function checkUpdateRequest(request: Record<string, unknown>): { streamName: string; target: number } {
    const { StreamName: streamName, TargetShardCount: target, ScalingType: scaling } = request;
    const notNull = (field: string) =>
      new KinesisError(
        'ValidationException',
        `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
      );
    if (scaling === undefined || scaling === null) throw notNull('scalingType');
    if (target === undefined || target === null) throw notNull('targetShardCount');
    if (streamName === undefined || streamName === null) throw notNull('streamName');
    if (typeof streamName !== 'string' || typeof scaling !== 'string') {
      throw new KinesisError('SerializationException', 'StreamName and ScalingType must be strings');
    }
    if (typeof target !== 'number' || !Number.isInteger(target)) {
      throw new KinesisError('SerializationException', 'TargetShardCount must be an integer');
    }
    if (!ScalingType.safeParse(scaling).success) {
      throw new KinesisError(
        'ValidationException',
        `1 validation error detected: Value '${scaling}' at 'scalingType' failed to satisfy constraint: Member must satisfy enum value set: [${ScalingType.options.join(', ')}]`,
      );
    }
    if (target < 1) {
      throw new KinesisError(
        'ValidationException',
        `1 validation error detected: Value '${target}' at 'targetShardCount' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      );
    }
    if (!NAME_PATTERN.test(streamName)) {
      throw new KinesisError(
        'ValidationException',
        `1 validation error detected: Value '${streamName}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
      );
    }
    return { streamName, target };
  }

  const notActive = (streamName: string, state: string) =>
    new KinesisError('ResourceInUseException', `Stream ${streamName} is not ACTIVE, it is ${state}.`);

  /** Open shards across every stream of the engine (the account), for the shard limit. */
  async function openShardsInAccount(): Promise<number | KinesisResponse> {
    let total = 0;
    let start: string | undefined;
    for (;;) {
      const listed = await engine('ListStreams', start ? { ExclusiveStartStreamName: start } : {});
      if (!listed.ok) return listed.response;
      const names = listed.body.StreamNames as string[];
      for (const name of names) {
        const stream = await summary(name);
        if ('OpenShardCount' in stream) total += stream.OpenShardCount;
      }
      if (!listed.body.HasMoreStreams || names.length === 0) return total;
      start = names.at(-1);
    }
  }

  async function updateShardCount(body: string): Promise<KinesisResponse> {
    const request = parseJson(body);
    if (!request) return callEngine('UpdateShardCount', body);
    let streamName: string;
    let target: number;
    try {
      ({ streamName, target } = checkUpdateRequest(request));
    } catch (error) {
      if (error instanceof KinesisError) return failure(error);
      throw error;
    }
    // Taken before anything is awaited, so that of two calls at once exactly one goes ahead.
    if (resharding.has(streamName)) return failure(notActive(streamName, 'UPDATING'));
    let release!: () => void;
    resharding.set(streamName, new Promise<void>((resolve) => (release = resolve)));
    let started = false;
    try {
      const result = await startUpdate(streamName, target);
      if (result.run) {
        started = true;
        resharding.set(
          streamName,
          result.run.finally(() => resharding.delete(streamName)),
        );
      }
      return result.response;
    } catch (error) {
      if (error instanceof KinesisError) return failure(error);
      throw error;
    } finally {
      if (!started) {
        resharding.delete(streamName);
        release();
      }
    }
  }

  /** Checks an UpdateShardCount as Kinesis does; starts the reshard when it is accepted. */
  async function startUpdate(
    streamName: string,
    target: number,
  ): Promise<{ response: KinesisResponse; run?: Promise<void> }> {
    const stream = await summary(streamName);
    if (!('OpenShardCount' in stream)) return { response: stream };
    if (stream.StreamStatus !== 'ACTIVE') throw notActive(streamName, stream.StreamStatus);
    const shards = await allShards(streamName);
    if (!Array.isArray(shards)) return { response: shards };
    const open = shards
      .filter(isOpen)
      .map(rangeOf)
      .sort((a, b) => (a.start < b.start ? -1 : 1));
    const current = open.length;
    const limit = (message: string) => new KinesisError('LimitExceededException', message);
    if (target > current * 2) {
      throw limit(
        `UpdateShardCount to ${target} shards would exceed double the current count of ${current} open shards of stream ${streamName}; scale up in steps of at most double.`,
      );
    }
    if (target * 2 < current) {
      throw limit(
        `UpdateShardCount to ${target} shards would exceed the limit of half the current count of ${current} open shards of stream ${streamName}; scale down in steps of at most half.`,
      );
    }
    const max = UPDATE_SHARD_COUNT_LIMITS.maxShardsPerStream;
    if (target > max && target > current) {
      throw limit(
        `UpdateShardCount to ${target} shards would exceed the maximum of ${max} shards in a stream.`,
      );
    }
    if (current > max && target >= max) {
      throw limit(
        `UpdateShardCount of a stream with more than ${max} shards would exceed the limit unless the result is less than ${max} shards.`,
      );
    }
    const key = `${streamName}@${stream.StreamCreationTimestamp ?? ''}`;
    const time = now();
    const recent = (scalings.get(key) ?? []).filter((at) => time - at < DAY_MS);
    if (recent.length >= UPDATE_SHARD_COUNT_LIMITS.perDay) {
      throw limit(
        `UpdateShardCount would exceed the limit of ${UPDATE_SHARD_COUNT_LIMITS.perDay} scalings of stream ${streamName} per rolling 24 hours.`,
      );
    }
    const plan = planUniformScaling(open, target);
    const inAccount = await openShardsInAccount();
    if (typeof inAccount !== 'number') return { response: inAccount };
    const extra = plan.peak - current;
    if (inAccount + extra > options.shardLimit) {
      throw limit(
        `This request would exceed the shard limit for the account: open shards ${inAccount}, limit ${options.shardLimit}, additional shards while resharding ${extra} (short-lived shards count).`,
      );
    }
    scalings.set(key, [...recent, time]);
    const response = answer({
      StreamName: streamName,
      StreamARN: stream.StreamARN,
      CurrentShardCount: current,
      TargetShardCount: target,
    });
    return plan.steps.length > 0 ? { response, run: reshard(streamName, plan.boundaries) } : { response };
  }

  /** Waits until the engine reports the stream ACTIVE again after a split or merge. */
  async function untilActive(streamName: string): Promise<boolean> {
    const deadline = now() + STEP_TIMEOUT_MS;
    while (now() < deadline) {
      const stream = await summary(streamName);
      if (!('OpenShardCount' in stream)) return false;
      if (stream.StreamStatus === 'ACTIVE') return true;
      await new Promise((resolve) => setTimeout(resolve, STEP_POLL_MS));
    }
    options.logger.error(`UpdateShardCount of ${streamName}: the engine did not finish a step within 60 s`);
    return false;
  }

  /** Splits and merges, one at a time, until the open shards are the target ranges. */
  async function reshard(streamName: string, boundaries: readonly bigint[]): Promise<void> {
    try {
      while (!closing) {
        const shards = await allShards(streamName);
        if (!Array.isArray(shards)) return; // The stream was deleted meanwhile.
        const open = shards.filter(isOpen).sort((a, b) => (rangeOf(a).start < rangeOf(b).start ? -1 : 1));
        const ranges = open.map(rangeOf);
        const step = nextStep(ranges, boundaries);
        if (!step) return;
        const idOf = (range: KeyRange) => open[ranges.findIndex((r) => r.start === range.start)]!.ShardId;
        const done =
          step.kind === 'split'
            ? await engine('SplitShard', {
                StreamName: streamName,
                ShardToSplit: idOf(step.shard),
                NewStartingHashKey: step.at.toString(),
              })
            : await engine('MergeShards', {
                StreamName: streamName,
                ShardToMerge: idOf(step.lower),
                AdjacentShardToMerge: idOf(step.upper),
              });
        if (!done.ok) {
          if (!done.response.body.includes('ResourceNotFoundException')) {
            options.logger.error(`UpdateShardCount of ${streamName} stopped: ${done.response.body}`);
          }
          return;
        }
        if (!(await untilActive(streamName))) return;
      }
    } catch (error) {
      options.logger.error(`UpdateShardCount of ${streamName} stopped: ${(error as Error).message}`);
    }
  }

  /** A description of a stream being resharded says UPDATING, as Kinesis's does until the end. */
  async function describe(action: string, body: string): Promise<KinesisResponse> {
    const response = await callEngine(action, body);
    const streamName = parseJson(body)?.StreamName;
    if (response.status !== 200 || typeof streamName !== 'string' || !resharding.has(streamName)) {
      return response;
    }
    const described = JSON.parse(response.body) as Record<string, Record<string, unknown>>;
    const inner = described.StreamDescription ?? described.StreamDescriptionSummary;
    if (inner) inner.StreamStatus = 'UPDATING';
    return answer(described);
  }

  async function callKinesis(action: string, body: string): Promise<KinesisResponse> {
    switch (action) {
      case 'ListShards':
        return listShards(body);
      case 'UpdateShardCount':
        return updateShardCount(body);
      case 'DescribeStream':
      case 'DescribeStreamSummary':
        return describe(action, body);
      default:
        return callEngine(action, body);
    }
  }

  return {
    callKinesis,
    close: async () => {
      closing = true;
      await Promise.allSettled([...resharding.values()]);
    },
  };
}
