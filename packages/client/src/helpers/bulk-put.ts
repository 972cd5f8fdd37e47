/**
 * `bulkPut`: puts any number of records from an (async) iterable with PutRecords, in batches, with a
 * bounded number of requests in flight, retrying what failed within each record's time budget, and
 * reporting every record that is not acknowledged.
 *
 * Four stages, each in its own module under `bulk-put/`, joined by one loop below:
 *   source (pull, one record at a time)  →  entries (check and encode each record; or, aggregating,
 *   pack records per shard into KPL aggregated records)  →  batcher (cut by count and bytes)  →
 *   sender (one batch, retried until each entry is settled, paced at the stream's limits),
 * with the ledger (`accounting.ts`) counting where every record ends, the pacer (`pacer.ts`) spacing
 * requests once Kinesis throttles, and `RunControl` (`stop.ts`) carrying the one reason the run may
 * stop early.
 *
 * The guarantee: every record read from the iterable ends in exactly one of two places — acknowledged
 * by Kinesis, or reported failed with its reason (`onFailure`, or `failures`) — whether the run
 * finishes or stops early; the records of an aggregated record share its fate. Records are read only as
 * they can be sent, so when a run stops, the records it never read are exactly those after the first
 * `read`.
 */
import { raceSignal } from '../core/clock.ts';
import type { RequestContext } from '../core/request.ts';
import { withRetries } from '../core/retry.ts';
import type { PutRecordInput } from '../data/entry.ts';
import { classifyError } from '../errors/classification.ts';
import { InputError } from '../errors/InputError.ts';
import type { ClientLimits } from '../types/options.ts';
import { checkStreamName } from '../validate/input.ts';
import { Ledger } from './bulk-put/accounting.ts';
import { AggregatedEntries, DEFAULT_AGGREGATE_BYTES } from './bulk-put/aggregation.ts';
import { Batcher } from './bulk-put/batcher.ts';
import { type EntrySource, type OnInvalid, RecordEntries } from './bulk-put/entries.ts';
import { Pacer } from './bulk-put/pacer.ts';
import { BatchSender, failureOf, notSent } from './bulk-put/sender.ts';
import { RecordSource } from './bulk-put/source.ts';
import { BulkPutError, messageOf, RunControl } from './bulk-put/stop.ts';
import type { BulkPutParams, BulkPutResult } from './bulk-put/types.ts';
import { discoverShards } from './shard-discovery.ts';

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
  const onInvalid: OnInvalid<T> = (record, error) =>
    ledger.invalid(record, { errorCode: error.name, errorMessage: error.message });
  const aggregateBytes = aggregateOption(params.aggregate, limits);
  const aggregation =
    aggregateBytes === undefined
      ? undefined
      : new AggregatedEntries(source, {
          limits,
          maxBytes: aggregateBytes,
          lingerMs,
          clock,
          listShards: () => listShards(context, params.streamName, run, recordTtlMs),
          onListFailed: (error) => {
            const fatal = classifyError(error).fatal;
            run.halt({ kind: fatal ? 'fatal' : 'unusable', reason: failureOf(error), cause: error });
            throw run.stopped;
          },
          onInvalid,
        });
  const entries: EntrySource<T> = aggregation ?? new RecordEntries(source, limits, onInvalid);
  const pacer = new Pacer(clock);
  const batcher = new Batcher(entries, { limits: batchLimits, pacer, lingerMs, clock });
  const sender = new BatchSender<T>(context, {
    streamName: params.streamName,
    recordTtlMs,
    maxAttempts,
    ledger,
    run,
    pacer,
    onShardMoved: () => aggregation?.shardMoved(),
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
    const reason = notSent(stop);
    for (const entry of batcher.abandon()) ledger.fail(entry, reason);
    for (const record of entries.abandon()) ledger.unsent(record, reason);
    source.close((late) => ledger.late(late, reason));
    ledger.progress();
  }
  run.dispose();
  const result = ledger.result();
  if (stop) throw new BulkPutError<T>(stop, result);
  return result;
}

/** The stream's shards by the reader's own listing, retried through an outage for a record TTL. */
function listShards(context: RequestContext, streamName: string, run: RunControl, recordTtlMs: number) {
  return withRetries(() => discoverShards(context, streamName, run.signal), {
    clock: context.clock,
    signal: run.signal,
    deadline: context.clock.now() + recordTtlMs,
  });
}

/** `aggregate`: the most bytes of one aggregated record, or undefined when not aggregating. */
function aggregateOption(
  option: BulkPutParams<never>['aggregate'],
  limits: ClientLimits,
): number | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return Math.min(DEFAULT_AGGREGATE_BYTES, limits.maxRecordBytes);
  if (typeof option !== 'object' || option === null) {
    throw new InputError('aggregate', `must be true, false or { maxBytes } (got ${String(option)})`);
  }
  return positiveInteger(
    option.maxBytes,
    'aggregate.maxBytes',
    Math.min(DEFAULT_AGGREGATE_BYTES, limits.maxRecordBytes),
    limits.maxRecordBytes,
  );
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
