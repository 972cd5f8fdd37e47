/**
 * How `tail` and `get-records` print a record: `text` (the data, one record per line), `json` (one
 * envelope per line) or a template with placeholders, like kcat's `-f`.
 */
import { UsageError } from '../core/errors.ts';
import { type DecodeMode, type Decoding, dataAsString, decodeData } from './decode.ts';

/** What a printed record carries (a `StreamRecord` of the client is one); the stream is the formatter's. */
export interface PrintableRecord {
  shardId: string;
  sequenceNumber: string;
  /** A user record of a KPL aggregated record: its index in it. */
  subSequenceNumber?: number | undefined;
  partitionKey: string;
  explicitHashKey?: string | undefined;
  data: Uint8Array;
  approximateArrivalTimestamp?: Date | undefined;
}

/** `--format json`: one line per record. `data` is text, or `dataBase64` when shown as base64. */
export interface RecordEnvelope {
  stream: string;
  shardId: string;
  sequenceNumber: string;
  /** Only for a user record of a KPL aggregated record. */
  subSequenceNumber?: number;
  partitionKey: string;
  /** Only for a user record that has one. */
  explicitHashKey?: string;
  approximateArrivalTimestamp: string | null;
  data?: unknown;
  dataBase64?: string;
}

export function envelope(
  record: PrintableRecord,
  decode: DecodeMode | Decoding,
  stream: string,
): RecordEnvelope {
  return { stream, shardId: record.shardId, ...recordFields(record, decode) };
}

/** The envelope without stream and shard: what `get-records --output json` lists. */
export function recordFields(
  record: Omit<PrintableRecord, 'shardId'>,
  decode: DecodeMode | Decoding,
): Omit<RecordEnvelope, 'stream' | 'shardId'> {
  // One object, filled in place: tail builds this for every record it prints.
  const approximateArrivalTimestamp = record.approximateArrivalTimestamp?.toISOString() ?? null;
  const fields: Omit<RecordEnvelope, 'stream' | 'shardId'> =
    record.subSequenceNumber === undefined
      ? {
          sequenceNumber: record.sequenceNumber,
          partitionKey: record.partitionKey,
          approximateArrivalTimestamp,
        }
      : {
          // A user record of an aggregated record: where it is in it, and its own hash key if any.
          sequenceNumber: record.sequenceNumber,
          subSequenceNumber: record.subSequenceNumber,
          partitionKey: record.partitionKey,
          ...(record.explicitHashKey !== undefined ? { explicitHashKey: record.explicitHashKey } : {}),
          approximateArrivalTimestamp,
        };
  const decoded = decodeData(record.data, decode);
  if ('base64' in decoded) fields.dataBase64 = decoded.base64;
  else fields.data = 'text' in decoded ? decoded.text : decoded.json;
  return fields;
}

/** A record as printed, newline included. */
export type RecordFormatter = (record: PrintableRecord) => string;

/** `--format text`: the data, one record per line (a single trailing newline of the data is dropped). */
export function textLine(data: Uint8Array, decode: DecodeMode | Decoding): string {
  return dataAsString(decodeData(data, decode)).replace(/\r?\n$/, '');
}

export const TEMPLATE_HELP = `Template placeholders (kcat style or named):
  %s {data}            the data, decoded per --decode
  %k {partitionKey}    partition key
  %p {shardId}         shard id
  %o {sequenceNumber}  sequence number
     {subSequenceNumber} a user record's index in its aggregated record (empty for a plain record)
     {explicitHashKey}   explicit hash key of a user record (empty when it has none)
  %T {timestampMs}     approximate arrival time, epoch milliseconds (as kcat's %T)
     {timestamp}       approximate arrival time, ISO 8601
  %S {size}            data size in bytes
  %t {stream}          stream name
  %% a percent sign; \\n \\r \\t \\\\ escapes. A newline ends each record unless the format ends with one.`;

/** Per-record placeholders; `stream` is the same for every record and is filled in once. */
const FIELDS: Record<string, (r: PrintableRecord, decode: DecodeMode | Decoding) => string> = {
  data: (r, d) => dataAsString(decodeData(r.data, d)),
  partitionKey: (r) => r.partitionKey,
  shardId: (r) => r.shardId,
  sequenceNumber: (r) => r.sequenceNumber,
  subSequenceNumber: (r) => (r.subSequenceNumber === undefined ? '' : String(r.subSequenceNumber)),
  explicitHashKey: (r) => r.explicitHashKey ?? '',
  timestamp: (r) => r.approximateArrivalTimestamp?.toISOString() ?? '',
  timestampMs: (r) => (r.approximateArrivalTimestamp ? String(r.approximateArrivalTimestamp.getTime()) : ''),
  size: (r) => String(r.data.byteLength),
};

const PERCENT: Record<string, string> = {
  s: 'data',
  k: 'partitionKey',
  p: 'shardId',
  o: 'sequenceNumber',
  T: 'timestampMs',
  S: 'size',
  t: 'stream',
};

/**
 * `text`, `json`, or anything else as a template, for the records of `stream`. Each record's text ends
 * with a newline; a template that ends with one already gets no second one.
 */
export function createFormatter(
  format: string,
  decode: DecodeMode | Decoding,
  stream: string,
): RecordFormatter {
  if (format === 'json') return (record) => `${JSON.stringify(envelope(record, decode, stream))}\n`;
  if (format === 'text') return (record) => `${textLine(record.data, decode)}\n`;
  return compileTemplate(format, decode, stream);
}

type Part = string | ((r: PrintableRecord) => string);

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

function compileTemplate(template: string, decode: DecodeMode | Decoding, stream: string): RecordFormatter {
  const parts: Part[] = [];
  const pattern = /%(.)|\{([a-zA-Z]+)\}|\\(.)/g;
  let last = 0;
  for (const match of template.matchAll(pattern)) {
    parts.push(template.slice(last, match.index));
    last = match.index + match[0].length;
    const [, percent, named, escaped] = match;
    if (escaped !== undefined) {
      parts.push(ESCAPES[escaped] ?? escaped);
    } else if (percent === '%') {
      parts.push('%');
    } else {
      const field = percent !== undefined ? PERCENT[percent] : named;
      if (field === 'stream') {
        parts.push(stream);
        continue;
      }
      // Own keys only: `{toString}` is not a placeholder.
      const render = field !== undefined && Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
      if (!render) {
        throw new UsageError(
          `--format: unknown placeholder "${match[0]}".`,
          'Run `kproxy tail --help` for the placeholders.',
        );
      }
      parts.push((r) => render(r, decode));
    }
  }
  parts.push(template.slice(last));
  const end = parts.filter((p) => p !== '').at(-1);
  if (!(typeof end === 'string' && end.endsWith('\n'))) parts.push('\n');
  return (record) => parts.map((p) => (typeof p === 'string' ? p : p(record))).join('');
}
