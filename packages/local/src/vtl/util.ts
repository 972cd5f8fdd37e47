/**
 * `$util` of API Gateway mapping templates, with the semantics of the Java implementations behind it.
 * Every function takes what a template hands it: a non-string is first made text as `String.valueOf`
 * makes it (JSON for arrays, `{k=v}` for objects, Java's number text), and null gives null (which
 * renders as nothing). The conformance suite holds these to the Java originals.
 */
import { javaToString, javaUtf8Bytes, javaWellFormed } from './java.ts';
import { JsonPayload, TemplateError } from './payload.ts';

const SHORT_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

/** Characters that Apache commons-lang's `escapeJavaScript` rewrites (everything but printable ASCII is). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is escaped.
const NEEDS_ESCAPE = /['"\\/\u0000-\u001f\u0080-\uffff]/g;

/**
 * `$util.escapeJavaScript`: commons-lang `StringEscapeUtils.escapeJavaScript`. Escapes `'` `"` `\` `/`,
 * the short control escapes, other control characters and every non-ASCII UTF-16 code unit as
 * `\uXXXX` (upper-case hex; a character outside the BMP becomes its surrogate pair; DEL stays as it is).
 * As AWS documents, the `\'` it produces is not valid JSON: templates append
 * `.replaceAll("\\'","'")`, as AWS's reference shows.
 */
export function escapeJavaScript(value: unknown): string | null {
  const text = javaToString(value);
  if (text === null) return null;
  return text.replace(NEEDS_ESCAPE, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short) return short;
    return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** `$util.base64Encode`: base64 of the text's UTF-8 bytes (an unpaired surrogate is `?`, as in Java). */
export function base64Encode(value: unknown): string | null {
  const text = javaToString(value);
  return text === null ? null : javaUtf8Bytes(text).toString('base64');
}

/** Standard base64 as `java.util.Base64.getDecoder()` accepts it: padding optional, nothing else. */
const JAVA_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** `$util.base64Decode`: the UTF-8 text of base64 data; anything but base64 fails the template. */
export function base64Decode(value: unknown): string | null {
  const text = javaToString(value);
  if (text === null) return null;
  if (!JAVA_BASE64.test(text)) throw new TemplateError('Illegal base64 character in $util.base64Decode');
  return utf8.decode(Buffer.from(text, 'base64'));
}

/** `$util.urlEncode`: Java's `URLEncoder.encode(s, "UTF-8")` (space as `+`; `!'()~` encoded, `*` kept). */
export function urlEncode(value: unknown): string | null {
  const text = javaToString(value);
  if (text === null) return null;
  return encodeURIComponent(javaWellFormed(text))
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * `$util.urlDecode`: Java's `URLDecoder.decode(s, "UTF-8")`: `+` is a space, each run of `%XX` is
 * decoded as UTF-8 (U+FFFD for bytes that are not), and a malformed escape fails the template.
 */
export function urlDecode(value: unknown): string | null {
  const text = javaToString(value);
  if (text === null) return null;
  return text.replace(/\+/g, ' ').replace(/(?:%[^%]{0,2})+/g, (run) => {
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i += 3) {
      const hex = run.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex))
        throw new TemplateError(`URLDecoder: Illegal hex characters in escape (%) pattern`);
      bytes.push(Number.parseInt(hex, 16));
    }
    return utf8.decode(Uint8Array.from(bytes));
  });
}

/** `$util.parseJson`: the object a JSON string denotes, read as `$input` reads payloads. */
export function parseJson(value: unknown): unknown {
  const text = javaToString(value);
  if (text === null) return null;
  if (text.trim() === '') throw new TemplateError('$util.parseJson of an empty string');
  return new JsonPayload(text).document;
}

/** The `$util` object handed to templates. */
export const util = {
  escapeJavaScript,
  base64Encode,
  base64Decode,
  urlEncode,
  urlDecode,
  parseJson,
};
