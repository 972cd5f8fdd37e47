/**
 * What `put-records` counts while it runs, and the summary it prints at the end: every input line is
 * in exactly one count — written, failed (a bad line, or a record not written, with its reason), or not
 * read because the run stopped first.
 */
import type { BulkPutProgress, BulkPutResult } from '@kproxy/client';
import type { CopiedRest } from './input.ts';
import type { Resumed } from './journal.ts';
import type { LineRange } from './line-ranges.ts';

export const formatCount = (value: number): string => value.toLocaleString('en-US');

/** `1 record`, `2 records`, `1,000 records`. */
export function count(value: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(value)} ${value === 1 ? singular : pluralForm}`;
}

export class Tally {
  badLines = 0;
  /** Lines a journal said were done already (acknowledged, or in `--failed-out`): not sent again. */
  skipped = 0;
  /** Lines an earlier run sent without their answer reaching the journal, settled now: maybe stored twice. */
  inDoubtSettled = 0;
  /** With a journal: records a stop left unsent (or cut off in flight), left for the next run. */
  leftForNextRun = 0;
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
      failed: (progress?.failed ?? 0) + this.badLines - this.leftForNextRun,
      badLines: this.badLines,
      notRead: this.notRead?.lines ?? 0,
      leftForNextRun: this.leftForNextRun,
      possibleDuplicates: (progress?.possibleDuplicates ?? 0) + this.inDoubtSettled,
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
  /** With a journal: records read but not sent because the run stopped; the next run sends them. */
  leftForNextRun: number;
  possibleDuplicates: number;
  retries: number;
  requests: number | undefined;
  /** Kinesis records stored: fewer than `succeeded` when aggregating. */
  kinesisRecords: number | undefined;
  seconds: number;
  recordsPerSecond: number;
}

/** What is in neither the stream nor `--failed-out` after a stop, by line number. */
export interface Unaccounted {
  /** Failed lines that could not be written to `--failed-out`. */
  notInFailedOut?: LineRange[] | undefined;
  /** The first line of the input that was neither read nor copied to `--failed-out`. */
  notReadFrom?: number | undefined;
  /** Settled after the journal could no longer be written: a rerun with it does them again. */
  notJournalled?: LineRange[] | undefined;
}

/** The `--output json` summary (one line on stdout). */
export function jsonSummary(
  tally: Tally,
  totals: Totals,
  stoppedBy: string | undefined,
  extra: { resumed?: Resumed | undefined; unaccounted?: Unaccounted } = {},
) {
  const { resumed, unaccounted = {} } = extra;
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
    ...(resumed ? { skipped: tally.skipped, resumed } : {}),
    ...(totals.leftForNextRun ? { leftForNextRun: totals.leftForNextRun } : {}),
    ...(unaccounted.notInFailedOut?.length ? { notInFailedOut: unaccounted.notInFailedOut } : {}),
    ...(unaccounted.notReadFrom !== undefined ? { notReadFrom: unaccounted.notReadFrom } : {}),
    ...(unaccounted.notJournalled?.length ? { notJournalled: unaccounted.notJournalled } : {}),
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
    ...(totals.leftForNextRun ? [`${count(totals.leftForNextRun, 'record')} not sent`] : []),
  ].join(', ');
}

/** Where the lines that were not written are, or how to keep them next time. */
export function failedOutLine(
  failedOut: { path: string | undefined; lines: number; earlier: number },
  totals: Totals,
  unreadFromLine: number | undefined,
): string | undefined {
  const notWritten = totals.failed + totals.notRead;
  if (failedOut.path !== undefined) {
    const inFile = failedOut.lines + totals.notRead + failedOut.earlier;
    const earlier = failedOut.earlier ? ` (${formatCount(failedOut.earlier)} from earlier runs)` : '';
    return inFile > 0
      ? `${count(inFile, 'line')} not written ${inFile === 1 ? 'is' : 'are'} in ${failedOut.path}${earlier}; run put-records on it to retry.`
      : undefined;
  }
  const unread =
    unreadFromLine !== undefined ? ` (input from line ${formatCount(unreadFromLine)} on was not read)` : '';
  return notWritten > 0 || unread
    ? `Pass --failed-out FILE to keep the lines that were not written${unread}.`
    : undefined;
}

/** Said whenever a record may be stored twice, so nobody is surprised by a duplicate. */
export function duplicatesLine(
  totals: Totals,
  failedOut: string | undefined,
  inDoubt = 0,
): string | undefined {
  if (totals.possibleDuplicates === 0) return undefined;
  const where = failedOut !== undefined ? ` (or stored and also in ${failedOut})` : '';
  const earlier =
    inDoubt > 0
      ? `; ${formatCount(inDoubt)} of them had been sent by an earlier run whose answer never reached the journal`
      : '';
  return `${count(totals.possibleDuplicates, 'record')} may be stored twice${where}: their request got no answer after it was sent (a timeout, a lost connection, the interruption)${earlier}.`;
}
