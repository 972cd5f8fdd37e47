/**
 * Text that API Gateway would change before Kinesis stores it. Found with API Gateway's own Java stack
 * over every UTF-16 code unit (`conformance/test/gateway-text.test.ts`), not assumed:
 *
 * - an unpaired surrogate: it is not text, and Java encodes it to UTF-8 as `?`;
 * - DEL (U+007F) in a JSON string that contains an escape: API Gateway's JSON parser (json-smart) reads
 *   such a string escape by escape and skips DEL. `JSON.stringify` escapes `"`, `\` and the control
 *   characters, so these are the strings with DEL and one of those.
 *
 * Data of that kind is sent as base64 of its UTF-8 bytes instead (binary-safe, stored exactly); partition
 * keys cannot be, so they are refused with an InputError.
 */
import { InputError } from '../errors/InputError.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters JSON.stringify escapes.
const JSON_ESCAPED = /["\\\u0000-\u001f]/;
const UNPAIRED = /\p{Surrogate}/u;

/** Whether `text` has no unpaired surrogate (native where the runtime has `isWellFormed`). */
export function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !UNPAIRED.test(text);
}

/** Whether API Gateway's JSON parser would drop DEL from `text` sent as a JSON string. */
export function losesDel(text: string): boolean {
  return text.includes('\u007f') && JSON_ESCAPED.test(text);
}

function unpairedAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return i;
  }
  return -1;
}

/** The InputError for a string with an unpaired surrogate: where it is and what to do instead. */
export function unpairedSurrogate(field: string, text: string, fix: string): InputError {
  return new InputError(
    field,
    `contains an unpaired UTF-16 surrogate at index ${unpairedAt(text)}, which is not text: API Gateway would store "?" in its place`,
    fix,
  );
}

/** Refuses a partition key API Gateway would change on its way to Kinesis. */
export function checkKeyText(key: string, field: string): void {
  if (!isWellFormed(key)) throw unpairedSurrogate(field, key, 'Fix the string: a partition key must be text');
  if (losesDel(key)) {
    throw new InputError(
      field,
      'contains DEL (U+007F) together with a character JSON escapes (", \\ or a control character): API Gateway\'s JSON parser drops DEL from such a string, so Kinesis would get another key',
      'Remove the DEL, or the other character',
    );
  }
}
