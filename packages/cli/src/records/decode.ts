/**
 * `--decode`: how a record's bytes are shown. Records are bytes; kproxy shows them as text when they are
 * valid UTF-8 and as base64 otherwise, unless told how to read them. Steps chain left to right:
 * `gzip,json` gunzips, then parses JSON.
 */
import { gunzipSync } from 'node:zlib';
import { UsageError } from '../core/errors.ts';

export const DECODE_MODES = ['text', 'json', 'base64', 'gzip'] as const;
export type DecodeMode = (typeof DECODE_MODES)[number];

/** A chain of steps: byte steps (`gzip`) first, then at most one way to show the bytes (text, json, base64). */
export type Decoding = readonly DecodeMode[];

/** Steps that turn bytes into other bytes; the rest say how the bytes are shown and end a chain. */
const BYTE_STEPS: ReadonlySet<DecodeMode> = new Set(['gzip']);

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

/** `gzip,json` → ['gzip', 'json']; a usage error for an unknown step or one out of order. */
export function parseDecoding(value: string, option = '--decode'): Decoding {
  const steps = value.split(',').map((s) => s.trim().toLowerCase());
  const known = new Set<string>(DECODE_MODES);
  steps.forEach((step, i) => {
    if (!known.has(step)) {
      throw new UsageError(
        `${option}: unknown step "${step}".`,
        `Use ${DECODE_MODES.join(', ')}, or a chain like gzip,json.`,
      );
    }
    if (!BYTE_STEPS.has(step as DecodeMode) && i < steps.length - 1) {
      throw new UsageError(
        `${option}: "${step}" says how the data is shown, so it must come last (got ${value}).`,
        'Put byte steps such as gzip first: --decode gzip,json.',
      );
    }
  });
  return steps as DecodeMode[];
}

/**
 * - `text`: UTF-8 text (base64 when the bytes are not UTF-8);
 * - `json`: the parsed JSON value (text when the data is not JSON);
 * - `base64`: always base64;
 * - `gzip`: gunzipped (the bytes unchanged when they are not gzip), then shown per the next step (text
 *   when it is the last).
 */
export function decodeData(bytes: Uint8Array, decode: DecodeMode | Decoding): DecodedData {
  const steps: Decoding = typeof decode === 'string' ? [decode] : decode;
  let data = bytes;
  for (const step of steps) {
    switch (step) {
      case 'gzip':
        try {
          data = new Uint8Array(gunzipSync(data));
        } catch {
          // Not gzip: shown as it is.
        }
        break;
      case 'base64':
        return { base64: Buffer.from(data).toString('base64') };
      case 'json': {
        const decoded = asText(data);
        if (!('text' in decoded)) return decoded;
        try {
          return { json: JSON.parse(decoded.text) };
        } catch {
          return decoded;
        }
      }
      case 'text':
        return asText(data);
    }
  }
  return asText(data);
}

/** The decoded data as one string for text output and templates. */
export function dataAsString(data: DecodedData): string {
  if ('text' in data) return data.text;
  if ('json' in data) return JSON.stringify(data.json);
  return data.base64;
}
