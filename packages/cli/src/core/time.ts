/** Parsing points in time given on the command line. */
import { UsageError } from './errors.ts';

const RELATIVE = /^-(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `2024-05-01T12:00:00Z` (any ISO 8601 date), epoch seconds (`1714564800`, fractions allowed), or a
 * time relative to `now` (`-15m`, `-2h`, `-30s`, `-1d`).
 */
export function parseTime(value: string, option: string, now = Date.now()): Date {
  const relative = RELATIVE.exec(value);
  if (relative) return new Date(now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const date = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `${option}: "${value}" is not a time.`,
      'Use an ISO time (2024-05-01T12:00:00Z), epoch seconds, or a relative time like -15m, -2h, -1d.',
    );
  }
  return date;
}
