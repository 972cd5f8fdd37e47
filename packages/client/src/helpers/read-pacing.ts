/**
 * How often a shard is read, and how much at a time. Kinesis serves each shard 5 GetRecords calls and
 * 2 MB per second; a read over the byte budget (up to 10 MB) is paid for by the next seconds, or the
 * next read is throttled. An empty read waits the poll interval: nothing new is expected sooner.
 */
import { LIMITS } from '@kproxy/contract';

/** The fastest a shard is read: 5 GetRecords per second. */
export const MIN_READ_INTERVAL_MS = 1000 / LIMITS.getRecordsPerShardPerSecond;

/** The wait before a shard's next read, after a read that returned `records` records of `bytes` bytes. */
export function pauseAfterRead(records: number, bytes: number, pollIntervalMs: number): number {
  const pause = records === 0 ? pollIntervalMs : (bytes / LIMITS.readBytesPerShardPerSecond) * 1000;
  return Math.max(MIN_READ_INTERVAL_MS, pause);
}

/**
 * The data a read aims at: one second of a shard's read budget. Kinesis allows 10 MB, but such an
 * answer (base64, in JSON) is over API Gateway's 10 MB response limit, and a reader holds one answer per
 * shard in memory; reading less at a time costs nothing, since the pause after a read is per byte.
 */
export const READ_BYTES_TARGET = LIMITS.readBytesPerShardPerSecond;

/**
 * Records the first read of a shard asks for, before their size is known: records may be 1 MiB each,
 * and 5 of them (6.7 MB in base64) still fit one API Gateway response.
 */
export const FIRST_READ_RECORDS = 5;

/** Records the next read asks for, from the mean size of those the last read returned. */
export function recordsPerRead(records: number, bytes: number): number | undefined {
  if (records === 0) return undefined;
  const limit = Math.floor(READ_BYTES_TARGET / Math.max(1, bytes / records));
  return Math.max(1, Math.min(LIMITS.maxGetRecordsLimit, limit));
}
