/**
 * What `--output json` prints: the client's results in the shapes `aws kinesis` (AWS CLI v2) prints,
 * so that jq scripts and `--query` expressions written for `aws` work unchanged.
 *
 * The client maps Kinesis's JSON by one convention (first letter lower-cased, epoch seconds → `Date`,
 * record data → bytes); this is its one inverse, applied to any result:
 * - keys get their first letter upper-cased (`streamARN` → `StreamARN`, `hashKeyRange` → `HashKeyRange`);
 * - a `Date` is printed as the AWS CLI v2 prints timestamps by default (`cli_timestamp_format = iso8601`):
 *   Python's `isoformat()` of the time in the local time zone, e.g. `2024-05-01T14:00:00.123000+02:00`
 *   (microseconds only when not zero);
 * - bytes (`Uint8Array`, GetRecords' `Data`) as base64, as Kinesis sends them;
 * - `undefined` fields are left out.
 * Commands add the wrappers `aws` prints (`StreamDescription`, …) by giving the client's result its
 * wrapper key in camelCase.
 */

export function awsShape(value: unknown): unknown {
  if (value instanceof Date) return awsTimestamp(value);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(awsShape);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined) continue;
      out[pascalCase(key)] = awsShape(field);
    }
    return out;
  }
  return value;
}

/** `streamARN` → `StreamARN`: the inverse of the client's "first letter lower-cased". */
export function pascalCase(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A timestamp as the AWS CLI v2 prints it: `datetime.fromtimestamp(t, tzlocal()).isoformat()`, i.e.
 * local time with its UTC offset, and a 6-digit fraction only when there is one.
 */
export function awsTimestamp(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const ms = date.getMilliseconds();
  return (
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${ms === 0 ? '' : `.${pad(ms * 1000, 6)}`}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
