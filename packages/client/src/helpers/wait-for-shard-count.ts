/**
 * `waitForShardCount`: polls a stream's summary until it is ACTIVE with the wanted number of open
 * shards, as after `updateShardCount` (the stream is UPDATING until the reshard is done).
 * `KproxyClient.updateShardCount(…, { wait })` uses it.
 */
import type { RequestContext } from '../core/request.ts';
import { InputError } from '../errors/InputError.ts';
import { describeStreamSummary } from '../resources/shards.ts';
import { checkLimit, checkStreamName } from '../validate/input.ts';
import {
  DEFAULT_WAIT_POLL_MS,
  DEFAULT_WAIT_TIMEOUT_MS,
  StreamWaitTimeoutError,
  type WaitOptions,
} from './wait-for-stream.ts';

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
    const seconds = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
    this.message = `Stream ${streamName} did not become ACTIVE with ${openShardCount} open shards within ${seconds}: it was still ${lastStatus} with ${lastOpenShardCount}`;
  }
}

/** Resolves once the stream is ACTIVE with `openShardCount` open shards. */
export async function waitForShardCount(
  context: RequestContext,
  params: WaitForShardCountParams,
): Promise<void> {
  checkStreamName(params.streamName);
  checkLimit(params.openShardCount, 'openShardCount', Number.MAX_SAFE_INTEGER);
  const timeout = params.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
  const pollInterval = params.pollInterval ?? DEFAULT_WAIT_POLL_MS;
  if (!(timeout >= 0) || !(pollInterval > 0)) {
    throw new InputError(
      !(timeout >= 0) ? 'timeout' : 'pollInterval',
      'must be a positive number of milliseconds',
    );
  }
  const { clock } = context;
  const deadline = clock.now() + timeout;
  for (;;) {
    const summary = await describeStreamSummary(
      context,
      { streamName: params.streamName },
      { signal: params.signal },
    );
    if (summary.streamStatus === 'ACTIVE' && summary.openShardCount === params.openShardCount) return;
    const left = deadline - clock.now();
    if (left <= 0) {
      throw new ShardCountWaitTimeoutError(
        params.streamName,
        params.openShardCount,
        summary.streamStatus,
        summary.openShardCount,
        timeout,
      );
    }
    await clock.sleep(Math.min(pollInterval, left), params.signal);
  }
}
