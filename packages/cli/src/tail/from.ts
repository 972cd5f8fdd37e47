/** `tail --from`: where reading starts. */
import { isInputError, type ReadStreamParams } from '@kproxy/client';
import { SEQUENCE_NUMBER_PATTERN } from '@kproxy/contract';
import { UsageError } from '../core/errors.ts';
import { parseTime } from '../core/time.ts';

export type From = NonNullable<ReadStreamParams['from']>;

/** `trim-horizon`, `latest`, a sequence number, an ISO time, or a relative time (`-15m`). */
export function parseFrom(value: string, now = Date.now()): From {
  const lower = value.toLowerCase();
  if (lower === 'trim-horizon' || lower === 'trim_horizon' || lower === 'oldest') return 'trim-horizon';
  if (lower === 'latest' || lower === 'now') return 'latest';
  // Sequence numbers are long decimal strings; epoch seconds (10 digits) are read as times.
  if (SEQUENCE_NUMBER_PATTERN.test(value) && value.length > 13) return { sequenceNumber: value };
  return { timestamp: parseTime(value, '--from', now) };
}

/**
 * A sequence number belongs to one shard, and the reader cannot tell which when several were open at
 * that point: say so in terms of this command's flags. Other errors pass through.
 */
export function explainReadError(error: unknown): unknown {
  if (!isInputError(error) || error.field !== 'from.sequenceNumber') return error;
  // The client's message lists the candidate shards in parentheses.
  const shards = /\(([^)]*)\)/.exec(error.message)?.[1];
  return new UsageError(
    `--from: a sequence number belongs to one shard, and several were open at that point${shards ? ` (${shards})` : ''}.`,
    "Pass --shard-id with the shard the record came from (tail --format '%p %o' prints each record's shard and sequence number).",
  );
}
