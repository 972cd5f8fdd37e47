/**
 * `waitForShardCount`: polls a stream's summary until it is ACTIVE with the wanted number of open
 * shards, as after `updateShardCount` (the stream is UPDATING until the reshard is done).
 * `KproxyClient.updateShardCount(…, { wait })` uses it.
 */
import type { RequestContext } from '../core/request.ts';
import { describeStreamSummary } from '../resources/shards.ts';
import { checkLimit, checkStreamName } from '../validate/input.ts';
import { formatMs, pollUntil, StreamWaitTimeoutError, type WaitOptions } from './wait-for-stream.ts';

export interface WaitForShardCountParams extends WaitOptions {
  streamName: string;
  /** The number of open shards to wait for. */
  openShardCount: number;
}

/** The stream did not reach the wanted open shard count in time (a `StreamWaitTimeoutError`). */
export class ShardCountWaitTimeoutError extends StreamWaitTimeoutError {
  constructor(
    streamName: string,
    readonly openShardCount: number,
    lastStatus: string,
    readonly lastOpenShardCount: number,
    timeoutMs: number,
  ) {
    super(streamName, 'ACTIVE', lastStatus, timeoutMs);
    this.message = `Stream ${streamName} did not become ACTIVE with ${openShardCount} open shards within ${formatMs(timeoutMs)}: it was still ${lastStatus} with ${lastOpenShardCount}`;
  }
}

/** Resolves once the stream is ACTIVE with `openShardCount` open shards. */
export async function waitForShardCount(
  context: RequestContext,
  params: WaitForShardCountParams,
): Promise<void> {
  checkStreamName(params.streamName);
  checkLimit(params.openShardCount, 'openShardCount', Number.MAX_SAFE_INTEGER);
  await pollUntil(
    context,
    params,
    () => describeStreamSummary(context, { streamName: params.streamName }, { signal: params.signal }),
    (summary) => summary.streamStatus === 'ACTIVE' && summary.openShardCount === params.openShardCount,
    (summary, timeout) =>
      new ShardCountWaitTimeoutError(
        params.streamName,
        params.openShardCount,
        summary.streamStatus,
        summary.openShardCount,
        timeout,
      ),
  );
}
