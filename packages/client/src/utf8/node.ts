/**
 * UTF-8 byte length of a string in Node: V8's native count, several times faster than a JS loop on the
 * bulk-put path (selected by the `#utf8` import condition `node`). Lone surrogates count 3 bytes, as in
 * `./browser.ts`.
 */
import { Buffer } from 'node:buffer';

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
