/**
 * `bulkPut`: puts any number of records from an (async) iterable with PutRecords, in batches, with a
 * bounded number of requests in flight, retrying what failed within each record's time budget, and
 * reporting every record that is not acknowledged.
 *
 * Three stages, each in its own module under `bulk-put/`, joined by one loop below:
 *   source (pull, one record at a time)  →  batcher (cut by count and bytes)  →  sender (one batch,
 *   retried until each record is settled), with the ledger (`accounting.ts`) counting where every
 *   record ends, and `RunControl` (`stop.ts`) carrying the one reason the run may stop early.
 *
 * The guarantee: every record read from the iterable ends in exactly one of two places — acknowledged
 * by Kinesis, or reported failed with its reason (`onFailure`, or `failures`) — whether the run
 * finishes or stops early. Records are read only as they can be sent, so when a run stops, the records
 * it never read are exactly those after the first `read`.
 */
import { raceSignal } from '../core/clock.ts';
import type { RequestContext } from '../core/request.ts';
import type { PutRecordInput } from '../data/entry.ts';
import { InputError } from '../errors/InputError.ts';
import type { ClientLimits } from '../types/options.ts';
import { checkStreamName } from '../validate/input.ts';
import { Ledger } from './bulk-put/accounting.ts';
import { Batcher } from './bulk-put/batcher.ts';
import { BatchSender } from './bulk-put/sender.ts';
import { RecordSource } from './bulk-put/source.ts';
import { BulkPutError, messageOf, RunControl, type Stop } from './bulk-put/stop.ts';
import type { BulkPutFailureReason, BulkPutParams, BulkPutResult } from './bulk-put/types.ts';

export { BulkPutError, isBulkPutError } from './bulk-put/stop.ts';
export type {
  BulkPutFailureReason,
  BulkPutParams,
  BulkPutProgress,
  BulkPutResult,
  BulkPutStopKind,
} from './bulk-put/types.ts';

export const BULK_PUT_DEFAULTS = {
  concurrency: 4,
  /** The KPL's default record TTL. */
  recordTtlMs: 30_000,
  lingerMs: 50,
} as const;

export async function bulkPut<T extends PutRecordInput>(
  context: RequestContext,
  limits: ClientLimits,
  params: BulkPutParams<T>,
): Promise<BulkPutResult<T>> {
  checkStreamName(params.streamName);
  const concurrency = positiveInteger(params.concurrency, 'concurrency', BULK_PUT_DEFAULTS.concurrency);
  const maxAttempts = positiveInteger(params.maxAttempts, 'maxAttempts', Number.POSITIVE_INFINITY);
  const recordTtlMs = positiveInteger(params.recordTtlMs, 'recordTtlMs', BULK_PUT_DEFAULTS.recordTtlMs);
  const lingerMs = nonNegativeInteger(params.lingerMs, 'lingerMs', BULK_PUT_DEFAULTS.lingerMs);
  const batchLimits = {
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
  const { clock } = context;

  const source = new RecordSource(params.records);
  const run = new RunControl(params.signal);
  const ledger = new Ledger<T>({
    clock,
    read: () => source.read,
    onFailure: params.onFailure,
    onProgress: params.onProgress,
    onAcknowledged: params.onAcknowledged,
    onSend: params.onSend,
    onCallbackError: (error) =>
      run.halt({
        kind: 'callback',
        reason: { errorCode: error instanceof Error ? error.name : 'Error', errorMessage: messageOf(error) },
        cause: error,
      }),
  });
  const batcher = new Batcher(source, {
    limits: batchLimits,
    recordLimits: limits,
    lingerMs,
    clock,
    onInvalid: (record, error) =>
      ledger.invalid(record, { errorCode: error.name, errorMessage: error.message }),
  });
  const sender = new BatchSender<T>(context, {
    streamName: params.streamName,
    recordTtlMs,
    maxAttempts,
    ledger,
    run,
  });

  // The pipeline: wait for a free request slot, cut the next batch, send it without waiting for it.
  const sending = new Set<Promise<void>>();
  try {
    for (;;) {
      while (sending.size >= concurrency) await raceSignal(Promise.race(sending), run.signal);
      const batch = await batcher.next(run.signal);
      if (!batch) break;
      const sent: Promise<void> = sender.send(batch).finally(() => sending.delete(sent));
      sending.add(sent);
    }
  } catch (error) {
    // Anything but the run's own stop is the records iterable failing (its `next()` threw).
    if (error !== run.stopped) {
      run.halt({
        kind: 'source',
        reason: { errorCode: error instanceof Error ? error.name : 'Error', errorMessage: messageOf(error) },
        cause: error,
      });
    }
  }
  // Each send settles its own records: on an abort its request is aborted, otherwise it finishes.
  await Promise.all(sending);

  const stop = run.stopped;
  if (stop) {
    const notSent = notSentReason(stop);
    for (const record of batcher.abandon()) ledger.fail(record, notSent);
    source.close((late) => ledger.late(late, notSent));
    ledger.progress();
  }
  run.dispose();
  const result = ledger.result();
  if (stop) throw new BulkPutError<T>(stop, result);
  return result;
}

function notSentReason(stop: Stop): Omit<BulkPutFailureReason, 'possiblyWritten'> {
  return {
    errorCode: 'NotSent',
    errorMessage: `not sent: the run stopped (${stop.reason.errorCode}: ${stop.reason.errorMessage})`,
  };
}

function positiveInteger(value: number | undefined, field: string, fallback: number, max?: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
    const range = max === undefined ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new InputError(field, `must be ${range} (got ${value})`);
  }
  return value;
}

function nonNegativeInteger(value: number | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new InputError(field, `must be an integer of 0 or more (got ${value})`);
  }
  return value;
}
