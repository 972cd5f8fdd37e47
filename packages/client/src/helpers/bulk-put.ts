/**
 * `bulkPut`: puts any number of records from an (async) iterable with PutRecords, in batches, with a
 * bounded number of requests in flight, retrying what failed, and reporting what finally failed.
 */
import { RETRYABLE_KINESIS_ERRORS } from '@kproxy/contract';
import { abortReason } from '../core/clock.ts';
import type { RequestContext } from '../core/request.ts';
import { isRetryable, retryDelay } from '../core/retry.ts';
import type { PutRecordInput } from '../data/entry.ts';
import { isApiError, isKproxyError } from '../errors/guards.ts';
import { InputError } from '../errors/InputError.ts';
import { sendEntries } from '../resources/records.ts';
import type { ClientLimits } from '../types/options.ts';
import { checkStreamName } from '../validate/input.ts';
import { type PendingRecord, RecordSource } from './record-source.ts';

export interface BulkPutProgress {
  /** Records sent at least once. */
  sent: number;
  /** Records Kinesis accepted. */
  succeeded: number;
  /** Records that finally failed (invalid, refused, or out of attempts). */
  failed: number;
  /** Records sent again after a failure (each re-send counts). */
  retried: number;
  /** PutRecords requests now in flight. */
  inFlight: number;
}

/**
 * Why a record finally failed: Kinesis's per-record `errorCode` (e.g.
 * `ProvisionedThroughputExceededException` after the last attempt), the error of the whole request
 * (its Kinesis type or error name, e.g. `ResourceNotFoundException`, `AuthError`), or `InputError` for
 * a record the client refused to send (too large, bad partition key, unserializable data).
 */
export interface BulkPutFailureReason {
  errorCode: string;
  /**
   * What happened, without the code (print both as `${errorCode}: ${errorMessage}`). For a failed
   * request it ends with the request in brackets, e.g. `Stream s not found [PUT /v1/streams/s/records,
   * HTTP 404, request id …]`.
   */
  errorMessage: string;
}

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
  /** Sends of one record before it is given up. @default 5 */
  maxAttempts?: number | undefined;
  /**
   * How long a partly filled batch waits for more records from a slow async source before it is sent.
   * @default 50
   */
  lingerMs?: number | undefined;
  /** Stops pulling and sending; bulkPut rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Called after each request and each refused record. */
  onProgress?: ((progress: BulkPutProgress) => void) | undefined;
  /**
   * Called once per record that finally failed, with the caller's own object (extra fields included).
   * When absent, failures are collected in the result's `failures` instead.
   */
  onFailure?: ((record: T, reason: BulkPutFailureReason) => void) | undefined;
}

export interface BulkPutResult<T> {
  succeeded: number;
  failed: number;
  /** PutRecords requests sent, retries included. */
  batches: number;
  /** Record re-sends. */
  retries: number;
  /** The failed records with their reasons; only when no `onFailure` was given. */
  failures?: Array<{ record: T; errorCode: string; errorMessage: string }>;
}

function positiveInteger(value: number | undefined, field: string, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError(field, `must be an integer from 1 to ${max} (got ${value})`);
  }
  return value;
}

function reasonOf(error: unknown): BulkPutFailureReason {
  const errorCode = isApiError(error)
    ? (error.kinesisType ?? error.name)
    : isKproxyError(error)
      ? error.name
      : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  // An ApiError's message starts with its Kinesis type; the code says it already.
  const prefix = `${errorCode}: `;
  return { errorCode, errorMessage: message.startsWith(prefix) ? message.slice(prefix.length) : message };
}

export async function bulkPut<T extends PutRecordInput>(
  context: RequestContext,
  limits: ClientLimits,
  params: BulkPutParams<T>,
): Promise<BulkPutResult<T>> {
  checkStreamName(params.streamName);
  const concurrency = positiveInteger(params.concurrency, 'concurrency', 4);
  const maxAttempts = positiveInteger(params.maxAttempts, 'maxAttempts', 5);
  const batch = {
    maxRecords: positiveInteger(
      params.maxBatchRecords,
      'maxBatchRecords',
      limits.maxRecordsPerBatch,
      limits.maxRecordsPerBatch,
    ),
    maxBytes: positiveInteger(
      params.maxBatchBytes,
      'maxBatchBytes',
      limits.maxBatchBytes,
      limits.maxBatchBytes,
    ),
    maxBodyBytes: limits.maxRequestBodyBytes,
  };
  const { streamName, onProgress, onFailure } = params;
  const { clock } = context;
  const failures: NonNullable<BulkPutResult<T>['failures']> = [];
  const progress: BulkPutProgress = { sent: 0, succeeded: 0, failed: 0, retried: 0, inFlight: 0 };
  let batches = 0;

  const report = () => onProgress?.({ ...progress });
  const fail = (record: T, reason: BulkPutFailureReason) => {
    progress.failed++;
    if (onFailure) onFailure(record, reason);
    else failures.push({ record, ...reason });
  };

  const source = new RecordSource(params.records, {
    recordLimits: limits,
    batch,
    lingerMs: params.lingerMs ?? 50,
    onInvalid: (record, error) => {
      fail(record, { errorCode: error.name, errorMessage: error.message });
      report();
    },
  });

  // One signal for everything in flight: the caller's abort, or the first error of any sender.
  const stop = new AbortController();
  const onAbort = () => stop.abort(abortReason(params.signal!));
  params.signal?.addEventListener('abort', onAbort, { once: true });
  if (params.signal?.aborted) onAbort();
  const { signal } = stop;

  /** Sends one batch until every record succeeded or finally failed. */
  async function send(records: PendingRecord<T>[]): Promise<void> {
    let pending = records;
    for (let round = 1; pending.length > 0; round++) {
      for (const entry of pending) {
        if (entry.attempts++ === 0) progress.sent++;
        else progress.retried++;
      }
      batches++;
      progress.inFlight++;
      const retry: PendingRecord<T>[] = [];
      let error: unknown;
      try {
        const result = await sendEntries(
          context,
          streamName,
          pending.map((p) => p.json),
          // bulkPut counts attempts per record itself; the request is not retried underneath.
          { signal, maxRetries: 0 },
        );
        result.records.forEach((outcome, i) => {
          const entry = pending[i]!;
          if (outcome.errorCode === undefined) progress.succeeded++;
          else if (RETRYABLE_KINESIS_ERRORS.has(outcome.errorCode) && entry.attempts < maxAttempts)
            retry.push(entry);
          else fail(entry.record, { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage });
        });
      } catch (caught) {
        if (signal.aborted) throw abortReason(signal);
        error = caught;
        const reason = reasonOf(caught);
        for (const entry of pending) {
          if (isRetryable(caught) && entry.attempts < maxAttempts) retry.push(entry);
          else fail(entry.record, reason);
        }
      } finally {
        progress.inFlight--;
      }
      report();
      pending = retry;
      if (pending.length > 0) await clock.sleep(retryDelay(round, error, clock.now()), signal);
    }
  }

  async function sender(): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const next = await source.next();
      if (!next) return;
      await send(next);
    }
  }

  try {
    const senders = Array.from({ length: concurrency }, () =>
      sender().catch((error: unknown) => {
        if (!signal.aborted) stop.abort(error);
        throw error;
      }),
    );
    const results = await Promise.allSettled(senders);
    if (signal.aborted) throw signal.reason;
    const rejected = results.find((r) => r.status === 'rejected');
    if (rejected) throw (rejected as PromiseRejectedResult).reason;
  } finally {
    params.signal?.removeEventListener('abort', onAbort);
    await source.close().catch(() => undefined);
  }
  const result: BulkPutResult<T> = {
    succeeded: progress.succeeded,
    failed: progress.failed,
    batches,
    retries: progress.retried,
  };
  if (!onFailure) result.failures = failures;
  return result;
}
