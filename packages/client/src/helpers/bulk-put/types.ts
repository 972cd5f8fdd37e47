/** bulkPut's public types: its parameters, progress, failure reasons and result. */
import type { PutRecordInput } from '../../data/entry.ts';

export interface BulkPutParams<T extends PutRecordInput> {
  streamName: string;
  /** Any (async) iterable; read only as fast as batches are sent, so it may be endless or huge. */
  records: Iterable<T> | AsyncIterable<T>;
  /** PutRecords requests in flight at once. @default 4 */
  concurrency?: number | undefined;
  /** Records per request. @default limits.maxRecordsPerBatch (500) */
  maxBatchRecords?: number | undefined;
  /** Data plus partition key bytes per request. @default limits.maxBatchBytes (5 MiB) */
  maxBatchBytes?: number | undefined;
  /**
   * A record's time budget, like the KPL's record TTL: from its first send, how long it may be retried
   * (throttling, server errors, timeouts, lost connections) before it is reported failed. @default 30000
   */
  recordTtlMs?: number | undefined;
  /** At most this many sends of one record, within `recordTtlMs`. @default unlimited */
  maxAttempts?: number | undefined;
  /**
   * How long a partly filled batch (and, aggregating, a partly filled aggregated record) waits for more
   * records from a slow async source before it is sent.
   * @default 50
   */
  lingerMs?: number | undefined;
  /**
   * Pack records into KPL aggregated records, many to one Kinesis record, as the Kinesis Producer
   * Library does: small records are then bound by a shard's 1 MiB/s rather than its 1,000 records/s
   * (about 8,800 records of 100 bytes a second instead of 1,000), and Kinesis bills one PUT payload
   * unit per 25 KB instead of one per record. Records are packed per destination shard
   * (by the hash-key ranges of the stream's open shards, listed once and again after a reshard), so a
   * reader of one shard never receives another shard's records. `readStream`, the KCL, Lambda's
   * de-aggregation libraries and Firehose read them as the records put. An aggregated record that fails
   * fails (or is retried) with all its records; the counts are of your records.
   *
   * `true`, or `{ maxBytes }`: the most data-plus-partition-key bytes of one aggregated record (default
   * 25,000: one PUT payload unit; at most `limits.maxRecordBytes`).
   * @default false
   */
  aggregate?: boolean | { maxBytes?: number | undefined } | undefined;
  /**
   * Stops the run: no more records are read, requests in flight are aborted, and bulkPut rejects with
   * a `BulkPutError` (`stoppedBy: 'abort'`) once every record read is reported.
   */
  signal?: AbortSignal | undefined;
  /** Called after each request and each refused record, with the counts so far. */
  onProgress?: ((progress: BulkPutProgress) => void) | undefined;
  /**
   * Called once per record that finally failed, with the caller's own object (extra fields included).
   * When absent, failures are collected in the result's `failures` instead.
   */
  onFailure?: ((record: T, reason: BulkPutFailureReason) => void) | undefined;
  /**
   * Called once per record Kinesis acknowledged, with the caller's own object, as soon as the answer is
   * in: with `onFailure`, every record read reaches exactly one of the two. A durable log of these
   * (a journal) lets a later run skip what is already stored.
   */
  onAcknowledged?: ((record: T) => void) | undefined;
  /**
   * Called synchronously just before each PutRecords request, with the records it carries (re-sends
   * included): from then on Kinesis may store them, whatever answer arrives. With `onAcknowledged`, a
   * journal knows exactly which records may be stored without their acknowledgement having reached it.
   */
  onSend?: ((records: readonly T[]) => void) | undefined;
}

export interface BulkPutProgress {
  /** Records read from `records`. */
  read: number;
  /** Records sent at least once. */
  sent: number;
  /** Records Kinesis accepted. */
  succeeded: number;
  /** Records that finally failed (invalid, refused, out of time, or not sent because the run stopped). */
  failed: number;
  /** Records sent again after a failure (each re-send counts). */
  retried: number;
  /** PutRecords requests now in flight. */
  inFlight: number;
  /** Records that may be stored once more than reported (see `BulkPutResult.possibleDuplicates`). */
  possibleDuplicates: number;
}

/**
 * Why a record finally failed. `errorCode` is Kinesis's per-record code (e.g.
 * `ProvisionedThroughputExceededException` once the record's time budget is spent), the error of the
 * whole request (its Kinesis type or error name: `ResourceNotFoundException`, `AuthError`,
 * `TimeoutError`), `InputError` for a record the client refused to send (too large, bad partition key,
 * unserializable data), `NotSent` for a record read but never sent because the run stopped, or
 * `Aborted` for a record whose request was in flight when the run was aborted.
 */
export interface BulkPutFailureReason {
  errorCode: string;
  /**
   * What happened, without the code (print both as `${errorCode}: ${errorMessage}`). For a failed
   * request it ends with the request in brackets, e.g. `Stream s not found [PUT /v1/streams/s/records,
   * HTTP 404, request id …]`.
   */
  errorMessage: string;
  /**
   * True when one of the record's sends got no definite answer (a timeout, a connection lost after
   * sending, an abort in flight): Kinesis may have stored it although it is reported failed.
   */
  possiblyWritten: boolean;
}

export interface BulkPutResult<T> {
  /** Records read from `records`: each one is counted in `succeeded` or in `failed`. */
  read: number;
  succeeded: number;
  failed: number;
  /**
   * Records that may be stored once more than reported: a send without a definite answer (timeout,
   * connection lost after sending) was followed by a successful retry (the record may be stored twice)
   * or the record is reported failed (it may be stored once). No other record is ever duplicated.
   */
  possibleDuplicates: number;
  /**
   * Kinesis records stored: `succeeded`, unless aggregating (then each holds several of your records).
   */
  kinesisRecords: number;
  /** PutRecords requests sent, retries included. */
  batches: number;
  /** Record re-sends. */
  retries: number;
  /** The failed records with their reasons; only when no `onFailure` was given. */
  failures?: Array<{ record: T } & BulkPutFailureReason>;
}

/**
 * Why a run stopped before its input was done:
 * - `abort`: the caller's signal;
 * - `fatal`: an error that every later request would meet too (unknown stream, rejected credentials, a
 *   spent quota: `classifyError(error).fatal`);
 * - `unusable`: a batch spent its whole time budget on retryable errors and no record at all was
 *   accepted meanwhile (the endpoint is down, or answers nothing but errors), or, aggregating, the
 *   stream's shards could not be listed for a whole record TTL;
 * - `callback`: `onFailure` or `onProgress` threw;
 * - `source`: the caller's iterable threw.
 */
export type BulkPutStopKind = 'abort' | 'fatal' | 'unusable' | 'callback' | 'source';
