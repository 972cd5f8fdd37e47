/** What a caller can put in a record, and how it becomes the `data` of a request. */
import { bytesToBase64 } from '#base64';
import { utf8Length } from '#utf8';
import { InputError } from '../errors/InputError.ts';
import { isWellFormed, losesDel, unpairedSurrogate } from './gateway-text.ts';

/**
 * The data of a record to put:
 * - `string`: stored as its UTF-8 bytes, exactly (sent as text; no `encoding` field), except text API
 *   Gateway would change (DEL beside an escaped character), which is sent base64; a string with an
 *   unpaired surrogate is not text and is refused (see `gateway-text.ts`);
 * - `Uint8Array` (a Node `Buffer` too), `ArrayBuffer` or another `ArrayBufferView`: stored as these
 *   bytes (sent base64 with `encoding: "base64"`);
 * - anything else (object, array, number, boolean, null): stored as its `JSON.stringify` text.
 */
export type RecordData =
  | string
  | Uint8Array
  | ArrayBuffer
  | ArrayBufferView
  | number
  | boolean
  | null
  | object;

/** `data` as sent, and the number of bytes Kinesis will store. */
export interface EncodedData {
  /** The string for the request's `data`/`Data` field. */
  text: string;
  /** Set for binary data: the text is base64. */
  base64: boolean;
  /** Bytes Kinesis stores (counts against the record and batch limits). */
  bytes: number;
  /** UTF-8 bytes of `text` minus its UTF-16 length: what non-ASCII adds to the JSON body's size. */
  extraBodyBytes: number;
}

function asBytes(data: object): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return undefined;
}

const encoder = new TextEncoder();

/** Text as it is sent: itself, or base64 of its UTF-8 bytes where API Gateway would change it. */
function encodeText(text: string, field: string): EncodedData {
  if (!isWellFormed(text)) {
    throw unpairedSurrogate(field, text, 'Pass the bytes you mean as a Uint8Array, or fix the string');
  }
  if (losesDel(text)) {
    const bytes = encoder.encode(text);
    return { text: bytesToBase64(bytes), base64: true, bytes: bytes.byteLength, extraBodyBytes: 0 };
  }
  const bytes = utf8Length(text);
  return { text, base64: false, bytes, extraBodyBytes: bytes - text.length };
}

export function encodeData(data: RecordData, field: string): EncodedData {
  if (typeof data === 'string') return encodeText(data, field);
  if (typeof data === 'object' && data !== null) {
    const bytes = asBytes(data);
    if (bytes)
      return { text: bytesToBase64(bytes), base64: true, bytes: bytes.byteLength, extraBodyBytes: 0 };
  }
  const json = data === undefined ? undefined : JSON.stringify(data);
  if (json === undefined) {
    throw new InputError(
      field,
      `cannot be sent (${typeof data})`,
      'Pass a string, bytes (Uint8Array) or a JSON-serializable value',
    );
  }
  return encodeText(json, field);
}

/**
 * The bytes Kinesis stores for `data` (the same rules as `encodeData`): for packing into an aggregated
 * record, where data travels as bytes whatever its form.
 */
export function dataBytes(data: RecordData, field: string): Uint8Array {
  if (typeof data === 'object' && data !== null) {
    const bytes = asBytes(data);
    if (bytes) return bytes;
  }
  const text = typeof data === 'string' ? data : data === undefined ? undefined : JSON.stringify(data);
  if (text === undefined) {
    throw new InputError(
      field,
      `cannot be sent (${typeof data})`,
      'Pass a string, bytes (Uint8Array) or a JSON-serializable value',
    );
  }
  if (!isWellFormed(text)) {
    throw unpairedSurrogate(field, text, 'Pass the bytes you mean as a Uint8Array, or fix the string');
  }
  return encoder.encode(text);
}
