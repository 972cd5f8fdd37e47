/** `tail --from` / `-o`: where reading starts, in kproxy's words and in kcat's. */
import { isInputError, type ReadStreamParams } from '@kproxy/client';
import { SEQUENCE_NUMBER_PATTERN } from '@kproxy/contract';
import { UsageError } from '../core/errors.ts';
import { parseTime } from '../core/time.ts';

export type From = NonNullable<ReadStreamParams['from']>;

/**
 * - `trim-horizon` (`beginning`, `oldest`): the oldest record kept;
 * - `latest` (`end`, `now`): new records only;
 * - `-N`: the last N records of each shard (kcat's relative offset from the end);
 * - a sequence number;
 * - a time: ISO 8601, epoch seconds, `s@<epoch ms>` (kcat), or relative (`-15m`).
 */
export function parseFrom(value: string, now = Date.now()): From {
  const lower = value.toLowerCase();
  if (lower === 'trim-horizon' || lower === 'trim_horizon' || lower === 'oldest' || lower === 'beginning')
    return 'trim-horizon';
  if (lower === 'latest' || lower === 'now' || lower === 'end') return 'latest';
  if (lower === 'stored') {
    throw new UsageError(
      '--from stored: kproxy keeps no offsets on the server.',
      'Use --checkpoint FILE: a later tail with the same file resumes where this one stopped.',
    );
  }
  const last = /^-(\d+)$/.exec(value);
  if (last) {
    const count = Number(last[1]);
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new UsageError(`--from ${value}: the number of records must be at least 1.`);
    }
    return { last: count };
  }
  const kcatTime = /^s@(\d+)$/.exec(value);
  if (kcatTime) return { timestamp: new Date(Number(kcatTime[1])) };
  // Sequence numbers are long decimal strings; epoch seconds (10 digits) are read as times.
  if (SEQUENCE_NUMBER_PATTERN.test(value) && value.length > 13) return { sequenceNumber: value };
  return { timestamp: parseTime(value, '--from', now) };
}

/**
 * The reader's own words for a bad start, in terms of this command's flags. A sequence number belongs
 * to one shard, and when the reader cannot tell which, the client lists the candidates. Other errors
 * pass through.
 */
export function explainReadError(error: unknown): unknown {
  if (!isInputError(error) || !error.field.endsWith('sequenceNumber') || error.candidates === undefined) {
    return error;
  }
  const shards = error.candidates.join(', ');
  if (/not in any shard/.test(error.message)) {
    return new UsageError(
      `--from: no shard of the stream holds this sequence number${shards ? ` (tried ${shards})` : ''}.`,
      "It may be older than the stream keeps records, or come from another stream; check it with tail --format '%p %o'.",
    );
  }
  return new UsageError(
    `--from: a sequence number belongs to one shard, and several may hold this one (${shards}).`,
    "Pass --shard-id with the shard the record came from (tail --format '%p %o' prints each record's shard and sequence number).",
  );
}
