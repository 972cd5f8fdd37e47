/**
 * Turning one input line of `put-records` into a record. Two formats:
 *
 * - JSON Lines (default): `{"data": …, "partitionKey": "…", "explicitHashKey"?: "…"}` per line. `data`
 *   is a string (stored as its UTF-8 bytes) or any other JSON value (stored as its JSON text); instead
 *   of `data`, `dataBase64` holds base64 of arbitrary bytes.
 * - `--lines`: every line is the data, as text.
 *
 * The partition key comes from the line's `partitionKey`, else from `--partition-key-field` (a field of
 * the JSON data, dotted paths allowed), else from the `--partition-key` template, else (only with
 * `--lines`) a random UUID.
 */
import { randomUUID } from 'node:crypto';
import { BASE64_PATTERN } from '@kproxy/contract';
import type { InputLine } from './input.ts';

/** A record ready for `bulkPut`, remembering the line it came from. */
export interface LineRecord {
  data: unknown;
  partitionKey: string;
  explicitHashKey?: string;
  lineNumber: number;
  line: string;
  /** Where the partition key came from: the line's field, a field of the data, the flag, or random. */
  keyFrom: 'line' | 'field' | 'flag' | 'uuid';
}

export interface ParseOptions {
  /** Every line is data (text), not a JSON object. */
  lines: boolean;
  /** Take the partition key from this field of the (JSON) data. */
  partitionKeyField?: string | undefined;
  /** Partition key template: `{n}` line number, `{uuid}` a random UUID; a fixed key has no placeholder. */
  partitionKey?: string | undefined;
}

export type ParsedLine = { record: LineRecord } | { error: string };

export function parseLine(line: InputLine, options: ParseOptions): ParsedLine {
  const { text, lineNumber } = line;
  let data: unknown;
  let given: { partitionKey?: unknown; explicitHashKey?: unknown } = {};
  if (options.lines) {
    data = text;
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { error: `not valid JSON (${(error as Error).message})` };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: 'expected a JSON object like {"data": "…", "partitionKey": "…"}' };
    }
    const object = parsed as Record<string, unknown>;
    const hasData = 'data' in object;
    const hasBase64 = 'dataBase64' in object;
    if (hasData === hasBase64) return { error: 'needs exactly one of "data" or "dataBase64"' };
    if (hasBase64) {
      const base64 = object.dataBase64;
      if (typeof base64 !== 'string' || !BASE64_PATTERN.test(base64))
        return { error: '"dataBase64" is not base64' };
      data = new Uint8Array(Buffer.from(base64, 'base64'));
    } else {
      data = object.data;
    }
    given = object;
    if (given.explicitHashKey !== undefined && typeof given.explicitHashKey !== 'string') {
      return { error: '"explicitHashKey" must be a string of digits' };
    }
  }

  let partitionKey: string | undefined;
  let keyFrom: LineRecord['keyFrom'];
  if (given.partitionKey !== undefined) {
    if (typeof given.partitionKey !== 'string') return { error: '"partitionKey" must be a string' };
    partitionKey = given.partitionKey;
    keyFrom = 'line';
  } else if (options.partitionKeyField !== undefined) {
    const key = fieldOf(options.lines ? safeJson(text) : data, options.partitionKeyField);
    if (key === undefined)
      return { error: `no "${options.partitionKeyField}" field to take the partition key from` };
    partitionKey = key;
    keyFrom = 'field';
  } else if (options.partitionKey !== undefined) {
    partitionKey = options.partitionKey.replace(/\{(n|uuid)\}/g, (_, name: string) =>
      name === 'n' ? String(lineNumber) : randomUUID(),
    );
    keyFrom = 'flag';
  } else if (options.lines) {
    partitionKey = randomUUID();
    keyFrom = 'uuid';
  } else {
    return { error: 'no "partitionKey" (or pass --partition-key / --partition-key-field)' };
  }

  const record: LineRecord = { data, partitionKey, lineNumber, line: text, keyFrom };
  if (typeof given.explicitHashKey === 'string') record.explicitHashKey = given.explicitHashKey;
  return { record };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `a.b.c` of a JSON value, as a partition key: strings as they are, numbers and booleans as text. */
function fieldOf(value: unknown, path: string): string | undefined {
  let current = value;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return undefined;
}
