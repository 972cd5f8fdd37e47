/**
 * A JSON payload as API Gateway's parser (json-smart, through Jayway JsonPath) reads it, for `$input`:
 *
 * - numbers keep their Java type and text (`12345678901234567890` stays exact, `1e20` is the Double
 *   `1.0E20`): the payload is read again with lossless-json, but only when it holds a number at all, so
 *   the common PutRecords body (strings only) costs one `JSON.parse`;
 * - json-smart drops DEL (U+007F) from a string that contains an escape (it reads such strings character
 *   by character and skips DEL as a control character), so the emulator does too;
 * - an empty payload is `{}`; a duplicate key keeps its first position and its last value.
 */
import { parse as parseLossless } from 'lossless-json';
import { JavaNumber } from './java.ts';

/** Raised where API Gateway's template engine fails, which it answers with a 500. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/**
 * `text` with DEL removed from every string literal that contains a backslash, as json-smart reads it.
 * (json-smart takes a string up to the next `"` as it is when that stretch has no backslash; otherwise it
 * reads escape by escape and skips DEL.)
 */
export function dropDelFromEscapedStrings(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('"', i);
    if (open === -1) return out + text.slice(i);
    let end = open + 1;
    let escaped = false;
    while (end < text.length && text[end] !== '"') {
      if (text[end] === '\\') {
        escaped = true;
        end++;
      }
      end++;
    }
    const content = text.slice(open + 1, end);
    out += `${text.slice(i, open + 1)}${escaped ? content.replaceAll('\u007f', '') : content}"`;
    i = end + 1;
  }
  return out;
}

function containsNumber(value: unknown): boolean {
  if (typeof value === 'number') return true;
  if (Array.isArray(value)) return value.some(containsNumber);
  if (value !== null && typeof value === 'object') {
    for (const key in value) if (containsNumber((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

const lastValueWins = ({ newValue }: { newValue: unknown }) => newValue;

export class JsonPayload {
  readonly #text: string;
  #parsed: { value: unknown } | undefined;
  #document: { value: unknown } | undefined;

  /**
   * @param text the payload as received.
   * @param parsed `JSON.parse(text)` when the caller already has it (the request validator does).
   */
  constructor(text: string, parsed?: { readonly value: unknown }) {
    this.#text = text.trim() === '' ? '{}' : text.includes('\u007f') ? dropDelFromEscapedStrings(text) : text;
    // A parse of the original text is of no use once DEL was dropped from it.
    if (parsed && this.#text === text) this.#parsed = { value: parsed.value };
  }

  /** The parsed payload, numbers as `JavaNumber`; throws `TemplateError` when it is not JSON. */
  get document(): unknown {
    if (!this.#document) {
      let fast = this.#parsed;
      if (!fast) {
        try {
          fast = { value: JSON.parse(this.#text) };
        } catch (error) {
          throw new TemplateError(`The payload is not JSON: ${(error as Error).message}`);
        }
      }
      this.#document = containsNumber(fast.value)
        ? {
            value: parseLossless(this.#text, null, {
              parseNumber: JavaNumber.fromJson,
              onDuplicateKey: lastValueWins,
            }),
          }
        : fast;
    }
    return this.#document.value;
  }
}
