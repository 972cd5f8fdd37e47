/** `tail --grep REGEX` and `--partition-key KEY`: which records are printed. */
import type { StreamRecord } from '@kproxy/client';
import { UsageError } from '../core/errors.ts';
import { type Decoding, dataAsString, decodeData } from '../records/decode.ts';

export type RecordFilter = (record: StreamRecord) => boolean;

/**
 * Records whose partition key is one of `keys` (when given) and whose data, decoded per `--decode`,
 * matches `grep` (a JavaScript regular expression, when given).
 */
export function createFilter(options: {
  grep: string | undefined;
  partitionKeys: readonly string[] | undefined;
  decoding: Decoding;
}): RecordFilter | undefined {
  const keys = options.partitionKeys?.length ? new Set(options.partitionKeys) : undefined;
  let pattern: RegExp | undefined;
  if (options.grep !== undefined) {
    try {
      pattern = new RegExp(options.grep);
    } catch (error) {
      throw new UsageError(
        `--grep: ${(error as Error).message}.`,
        'Give a JavaScript regular expression, e.g. --grep "error|warn".',
      );
    }
  }
  if (!keys && !pattern) return undefined;
  return (record) =>
    (!keys || keys.has(record.partitionKey)) &&
    (!pattern || pattern.test(dataAsString(decodeData(record.data, options.decoding))));
}
