/**
 * How often a shard is read. Kinesis serves each shard 5 GetRecords calls and 2 MB per second; a read
 * over the byte budget (up to 10 MB) is paid for by the next seconds, or the next read is throttled.
 * An empty read waits the poll interval: nothing new is expected sooner.
 */
import { LIMITS } from '@kproxy/contract';

/** The fastest a shard is read: 5 GetRecords per second. */
export const MIN_READ_INTERVAL_MS = 1000 / LIMITS.getRecordsPerShardPerSecond;

/** The wait before a shard's next read, after a read that returned `records` records of `bytes` bytes. */
export function pauseAfterRead(records: number, bytes: number, pollIntervalMs: number): number {
  const pause = records === 0 ? pollIntervalMs : (bytes / LIMITS.readBytesPerShardPerSecond) * 1000;
  return Math.max(MIN_READ_INTERVAL_MS, pause);
}
