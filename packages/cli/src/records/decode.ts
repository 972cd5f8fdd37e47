/**
 * `--decode`: how a record's bytes are shown. Records are bytes; kproxy shows them as text when they are
 * valid UTF-8 and as base64 otherwise, unless told how to read them.
 */
import { gunzipSync } from 'node:zlib';

export const DECODE_MODES = ['text', 'json', 'base64', 'gzip'] as const;
export type DecodeMode = (typeof DECODE_MODES)[number];

/** A record's data as it is displayed: exactly one of the three. */
export type DecodedData = { text: string } | { json: unknown } | { base64: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(bytes: Uint8Array): DecodedData {
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    return { base64: Buffer.from(bytes).toString('base64') };
  }
}

/**
 * - `text`: UTF-8 text (base64 when the bytes are not UTF-8);
 * - `json`: the parsed JSON value (text when the data is not JSON);
 * - `base64`: always base64;
 * - `gzip`: gunzipped, then as `text` (the raw bytes as `text` when they are not gzip).
 */
export function decodeData(bytes: Uint8Array, mode: DecodeMode): DecodedData {
  switch (mode) {
    case 'base64':
      return { base64: Buffer.from(bytes).toString('base64') };
    case 'json': {
      const decoded = asText(bytes);
      if (!('text' in decoded)) return decoded;
      try {
        return { json: JSON.parse(decoded.text) };
      } catch {
        return decoded;
      }
    }
    case 'gzip':
      try {
        return asText(new Uint8Array(gunzipSync(bytes)));
      } catch {
        return asText(bytes);
      }
    case 'text':
      return asText(bytes);
  }
}

/** The decoded data as one string for text output and templates. */
export function dataAsString(data: DecodedData): string {
  if ('text' in data) return data.text;
  if ('json' in data) return JSON.stringify(data.json);
  return data.base64;
}
