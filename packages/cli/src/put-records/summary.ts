/**
 * What `put-records` counts while it runs, and the summary it prints at the end: every input line is
 * in exactly one count — written, failed (a bad line, or a record not written, with its reason), or not
 * read because the run stopped first.
 */
import type { BulkPutProgress, BulkPutResult } from '@kproxy/client';
import type { CopiedRest } from './input.ts';

export const formatCount = (value: number): string => value.toLocaleString('en-US');

/** `1 record`, `2 records`, `1,000 records`. */
export function count(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : pluralForm}`;
}

export class Tally {
  badLines = 0;
  readonly failuresByCode = new Map<string, number>();
  /** Latest progress of the bulk put (none before its first request). */
  progress: BulkPutProgress | undefined;
  /** The input not read, once it has been written through to `--failed-out`. */
  notRead: CopiedRest | undefined;
  readonly #started = performance.now();

  failure(code: string): void {
    this.failuresByCode.set(code, (this.failuresByCode.get(code) ?? 0) + 1);
  }

  get seconds(): number {
    return (performance.now() - this.#started) / 1000;
  }

  /** Final counts: from the result when the bulk put produced one, else from its last progress. */
  totals(result: BulkPutResult<unknown> | undefined): Totals {
    const progress = result ?? this.progress;
    const succeeded = progress?.succeeded ?? 0;
    const seconds = this.seconds;
    return {
      succeeded,
      failed: (progress?.failed ?? 0) + this.badLines,
      badLines: this.badLines,
      notRead: this.notRead?.lines ?? 0,
      possibleDuplicates: progress?.possibleDuplicates ?? 0,
      retries: result?.retries ?? this.progress?.retried ?? 0,
      requests: result?.batches,
      kinesisRecords: result?.kinesisRecords,
      seconds,
      recordsPerSecond: seconds > 0 ? Math.round(succeeded / seconds) : 0,
    };
  }

  /** "3 bad input lines, 7 ProvisionedThroughputExceededException". */
  causes(): string {
    return [
      ...(this.badLines ? [count(this.badLines, 'bad input line')] : []),
      ...[...this.failuresByCode].map(([code, n]) => `${formatCount(n)} ${code}`),
    ].join(', ');
  }
}

export interface Totals {
  succeeded: number;
  /** Bad lines and records not written. */
  failed: number;
  badLines: number;
  /** Lines never read (the run stopped first) that were copied to `--failed-out`. */
  notRead: number;
  possibleDuplicates: number;
  retries: number;
  requests: number | undefined;
  /** Kinesis records stored: fewer than `succeeded` when aggregating. */
  kinesisRecords: number | undefined;
  seconds: number;
  recordsPerSecond: number;
}

/** The `--output json` summary (one line on stdout). */
export function jsonSummary(tally: Tally, totals: Totals, stoppedBy: string | undefined) {
  return {
    succeeded: totals.succeeded,
    failed: totals.failed,
    badLines: totals.badLines,
    failures: Object.fromEntries(tally.failuresByCode),
    notRead: totals.notRead,
    possibleDuplicates: totals.possibleDuplicates,
    requests: totals.requests,
    kinesisRecords: totals.kinesisRecords,
    retries: totals.retries,
    seconds: Math.round(totals.seconds * 1000) / 1000,
    recordsPerSecond: totals.recordsPerSecond,
    complete: stoppedBy === undefined,
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}

/** "Wrote 9,990 records (in 45 aggregated Kinesis records), 10 failed (…), 500 lines not read" */
export function accountingLine(tally: Tally, totals: Totals): string {
  const causes = tally.causes();
  const packed =
    totals.kinesisRecords !== undefined && totals.kinesisRecords < totals.succeeded
      ? ` (in ${count(totals.kinesisRecords, 'Kinesis record')})`
      : '';
  return [
    `Wrote ${count(totals.succeeded, 'record')}${packed}`,
    ...(totals.failed ? [`${formatCount(totals.failed)} failed${causes ? ` (${causes})` : ''}`] : []),
    ...(totals.notRead ? [`${count(totals.notRead, 'line')} not read`] : []),
  ].join(', ');
}

/** Where the lines that were not written are, or how to keep them next time. */
export function failedOutLine(
  failedOut: string | undefined,
  totals: Totals,
  unreadFromLine: number | undefined,
): string | undefined {
  const notWritten = totals.failed + totals.notRead;
  if (failedOut !== undefined) {
    return notWritten > 0
      ? `${count(notWritten, 'line')} not written ${notWritten === 1 ? 'is' : 'are'} in ${failedOut}; run put-records on it to retry.`
      : undefined;
  }
  const unread =
    unreadFromLine !== undefined ? ` (input from line ${formatCount(unreadFromLine)} on was not read)` : '';
  return notWritten > 0 || unread
    ? `Pass --failed-out FILE to keep the lines that were not written${unread}.`
    : undefined;
}

/** Said whenever a record may be stored twice, so nobody is surprised by a duplicate. */
export function duplicatesLine(totals: Totals, failedOut: string | undefined): string | undefined {
  if (totals.possibleDuplicates === 0) return undefined;
  const where = failedOut !== undefined ? ` (or stored and also in ${failedOut})` : '';
  return `${count(totals.possibleDuplicates, 'record')} may be stored twice${where}: their request got no answer after it was sent (a timeout, a lost connection, the interruption).`;
}
