/**
 * `waitForStream`: polls a stream's status until it is the one wanted (`ACTIVE` after a create,
 * `DELETED` — gone — after a delete), or a timeout passes. `createStream(…, { wait: true })` uses it.
 *
 * The status is read by one function, `currentStatus`, so that how it is read (DescribeStream with one
 * shard today) can change in one place.
 */
import type { RequestContext } from '../core/request.ts';
import { isNotFoundError } from '../errors/guards.ts';
import { InputError } from '../errors/InputError.ts';
import { KproxyError } from '../errors/KproxyError.ts';
import { describeStream } from '../resources/streams.ts';
import type { RequestOptions } from '../types/options.ts';

/** A stream status Kinesis reports, or `DELETED`: the stream no longer exists. */
export type WaitableStreamStatus = 'ACTIVE' | 'CREATING' | 'UPDATING' | 'DELETING' | 'DELETED';

/** @default timeout 300000 (5 minutes), pollInterval 1000 */
export interface WaitOptions {
  /** Give up after this many milliseconds. @default 300000 */
  timeout?: number | undefined;
  /** Milliseconds between two status reads. @default 1000 */
  pollInterval?: number | undefined;
  /** Stops waiting; the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

export interface WaitForStreamParams extends WaitOptions {
  streamName: string;
  /** The status to wait for. @default 'ACTIVE' */
  status?: WaitableStreamStatus | undefined;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60 * 1000;
export const DEFAULT_WAIT_POLL_MS = 1000;

/** The stream did not reach the wanted status in time; `lastStatus` is what it was at the last read. */
export class StreamWaitTimeoutError extends KproxyError {
  override readonly name = 'StreamWaitTimeoutError' as const;
  constructor(
    readonly streamName: string,
    readonly status: WaitableStreamStatus,
    readonly lastStatus: string,
    readonly timeoutMs: number,
  ) {
    const wanted = status === 'DELETED' ? 'was not deleted' : `did not become ${status}`;
    super(`Stream ${streamName} ${wanted} within ${formatMs(timeoutMs)}: its status was still ${lastStatus}`);
  }
}

export const formatMs = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/**
 * The polling loop of every wait: reads with `read` until `done` says so, sleeping `pollInterval`
 * between reads, and throws `timedOut(last read)` once `timeout` has passed. Checks both options first.
 */
export async function pollUntil<T>(
  context: RequestContext,
  options: WaitOptions,
  read: () => Promise<T>,
  done: (seen: T) => boolean,
  timedOut: (seen: T, timeoutMs: number) => Error,
): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
  const pollInterval = options.pollInterval ?? DEFAULT_WAIT_POLL_MS;
  if (!(timeout >= 0) || !(pollInterval > 0)) {
    throw new InputError(
      !(timeout >= 0) ? 'timeout' : 'pollInterval',
      'must be a positive number of milliseconds',
    );
  }
  const { clock } = context;
  const deadline = clock.now() + timeout;
  for (;;) {
    const seen = await read();
    if (done(seen)) return seen;
    const left = deadline - clock.now();
    if (left <= 0) throw timedOut(seen, timeout);
    await clock.sleep(Math.min(pollInterval, left), options.signal);
  }
}

/** The stream's status now, or `DELETED` when the stream does not exist. */
export async function currentStatus(
  context: RequestContext,
  streamName: string,
  options?: RequestOptions,
): Promise<string> {
  try {
    return (await describeStream(context, { streamName, limit: 1 }, options)).streamStatus;
  } catch (error) {
    if (isNotFoundError(error)) return 'DELETED';
    throw error;
  }
}

/** Resolves with the wanted status once the stream has it. */
export async function waitForStream(
  context: RequestContext,
  params: WaitForStreamParams,
): Promise<WaitableStreamStatus> {
  const status = params.status ?? 'ACTIVE';
  await pollUntil(
    context,
    params,
    () => currentStatus(context, params.streamName, { signal: params.signal }),
    (seen) => seen === status,
    (seen, timeout) => new StreamWaitTimeoutError(params.streamName, status, seen, timeout),
  );
  return status;
}
