/**
 * The stream reader's calls to the API and its clock, in one place.
 *
 * A reader lives for hours and makes a request every few hundred milliseconds per shard. Its stop
 * signal is never handed to a request: each request gets its own AbortController, tied to the stop
 * signal only while it runs. (ky combines a request's signal with its timeout through
 * `AbortSignal.any`, which on Node 20 keeps every combination reachable from a long-lived source
 * signal: memory would grow with every request.)
 */
import type { RequestContext } from '../core/request.ts';
import { type GetRecordsResult, getRecords, getShardIterator } from '../resources/records.ts';
import type { Shard } from '../resources/streams.ts';
import type { IteratorStart } from './read-position.ts';
import { discoverShards, type ShardDiscovery } from './shard-discovery.ts';

export class ReaderIo {
  constructor(
    readonly context: RequestContext,
    readonly streamName: string,
    /** Stops everything the reader does: requests under way and waits. */
    readonly stop: AbortSignal,
    /** Told how each listing of the shards was made (ListShards, or DescribeStream on a seed API). */
    readonly onShardDiscovery?: ((discovery: ShardDiscovery) => void) | undefined,
  ) {}

  now(): number {
    return this.context.clock.now();
  }

  /** Waits until `time` (no call at all when it has passed); the stop signal cuts it short. */
  async sleepUntil(time: number): Promise<void> {
    const ms = time - this.context.clock.now();
    if (ms > 0) await this.context.clock.sleep(ms, this.stop);
  }

  /** Every shard of the stream, all pages (see `shard-discovery.ts`). */
  shards(): Promise<Shard[]> {
    return this.#scoped((signal) =>
      discoverShards(this.context, this.streamName, signal, this.onShardDiscovery),
    );
  }

  async iterator(shardId: string, start: IteratorStart): Promise<string> {
    const { shardIterator } = await this.#scoped((signal) =>
      getShardIterator(
        this.context,
        {
          streamName: this.streamName,
          shardId,
          type: start.type,
          startingSequenceNumber: 'sequenceNumber' in start ? start.sequenceNumber : undefined,
          timestamp: 'timestamp' in start ? start.timestamp : undefined,
        },
        { signal },
      ),
    );
    return shardIterator;
  }

  records(shardIterator: string, limit: number | undefined): Promise<GetRecordsResult> {
    return this.#scoped((signal) =>
      getRecords(this.context, { streamName: this.streamName, shardIterator, limit }, { signal }),
    );
  }

  /** Runs one request with a signal of its own that follows the stop signal while the request runs. */
  async #scoped<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.stop.throwIfAborted();
    const controller = new AbortController();
    const onStop = () => controller.abort(this.stop.reason);
    this.stop.addEventListener('abort', onStop, { once: true });
    try {
      return await request(controller.signal);
    } finally {
      this.stop.removeEventListener('abort', onStop);
    }
  }
}
