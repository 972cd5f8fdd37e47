/**
 * How the stream reader lists a stream's shards: with ListShards where the API has the route (kproxy's
 * addition; Kinesis allows 1,000 calls/s per stream), else with DescribeStream, the seed API's route
 * (limited to 10 calls/s per account, shared by every reader of every stream).
 *
 * A deployment made from the seeds has no `/shards` route: API Gateway answers 403 "Missing
 * Authentication Token" (the text of the contract's GATEWAY_ERRORS; 404 "Not Found" behind some proxies
 * and custom domains). That answer, and only that one, makes the reader fall back; the method that
 * worked is remembered per connection, so a fallback costs one request per connection, not one per
 * listing. Any other failure of ListShards (a stream that does not exist, throttling, an outage) is the
 * reader's to handle, as it would be from DescribeStream.
 */
import { findGatewayError, GATEWAY_ERRORS } from '@kproxy/contract';
import type { RequestContext } from '../core/request.ts';
import type { ApiError } from '../errors/ApiError.ts';
import { isApiError } from '../errors/guards.ts';
import { listShards } from '../resources/shards.ts';
import { describeStream, type Shard } from '../resources/streams.ts';

export type ShardDiscoveryMethod = 'ListShards' | 'DescribeStream';

/** What a listing of shards used, for a caller that reports it (`kproxy tail --debug`). */
export interface ShardDiscovery {
  readonly streamName: string;
  readonly method: ShardDiscoveryMethod;
  readonly shards: number;
  /** Why DescribeStream: ListShards' answer (set on the listing that found the route missing). */
  readonly fallbackReason?: string | undefined;
}

/** The method that worked, per connection. */
const methods = new WeakMap<RequestContext, ShardDiscoveryMethod>();

/** The answer API Gateway gives for a route the deployment does not have. */
export function isMissingRoute(error: unknown): error is ApiError {
  if (!isApiError(error) || error.kinesisType !== undefined) return false;
  if (error.status === 404) return true;
  const body = error.body as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : undefined;
  return (
    findGatewayError(error.status, message, error.gatewayErrorType) ===
    GATEWAY_ERRORS.missingAuthenticationToken
  );
}

/** Every shard of the stream, all pages, by ListShards or (on a seed-style deployment) DescribeStream. */
export async function discoverShards(
  context: RequestContext,
  streamName: string,
  signal: AbortSignal,
  report?: (discovery: ShardDiscovery) => void,
): Promise<Shard[]> {
  let fallbackReason: string | undefined;
  if (methods.get(context) !== 'DescribeStream') {
    try {
      const shards: Shard[] = [];
      for await (const shard of listShards(context, { streamName }, { signal })) shards.push(shard);
      methods.set(context, 'ListShards');
      report?.({ streamName, method: 'ListShards', shards: shards.length });
      return shards;
    } catch (error) {
      if (!isMissingRoute(error)) throw error;
      fallbackReason = `ListShards answered HTTP ${error.status} (${error.gatewayErrorType ?? 'no such route'}): the API has no /shards route`;
    }
  }
  const shards: Shard[] = [];
  for await (const shard of describeStream(context, { streamName }, { signal })) shards.push(shard);
  // Remembered only once DescribeStream worked: an unsigned call to an IAM-auth API gets the same 403
  // from both routes, and must not switch the connection over.
  methods.set(context, 'DescribeStream');
  report?.({ streamName, method: 'DescribeStream', shards: shards.length, fallbackReason });
  return shards;
}
