/** `tail --from`: where reading starts. */
import type { ReadStreamParams } from '@kproxy/client';
import { SEQUENCE_NUMBER_PATTERN } from '@kproxy/contract';
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
