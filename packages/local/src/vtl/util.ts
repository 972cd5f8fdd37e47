/**
 * `$util` of API Gateway mapping templates, with the semantics of the Java implementations behind it.
 */

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
const NEEDS_ESCAPE = /['"\\/\u0000-\u001f\u007f-\uffff]/g;

/**
 * `$util.escapeJavaScript`: commons-lang `StringEscapeUtils.escapeJavaScript`. Escapes `'` `"` `\` `/`,
 * the short control escapes, other control characters and every non-ASCII UTF-16 code unit as
 * `\uXXXX` (upper-case hex; a character outside the BMP becomes its surrogate pair). As AWS documents,
 * the `\'` it produces is not valid JSON.
 */
export function escapeJavaScript(value: unknown): string {
  return String(value ?? '').replace(NEEDS_ESCAPE, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short) return short;
    const code = ch.charCodeAt(0);
    // DEL (0x7f) is printable to commons-lang: it only escapes below 32 and above 0x7f.
    if (code === 0x7f) return ch;
    return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** `$util.base64Encode`: base64 of the string's UTF-8 bytes. */
export function base64Encode(value: unknown): string {
  return Buffer.from(String(value ?? ''), 'utf8').toString('base64');
}

/** `$util.base64Decode`: the UTF-8 text of base64 data. */
export function base64Decode(value: unknown): string {
  return Buffer.from(String(value ?? ''), 'base64').toString('utf8');
}

/** `$util.urlEncode`: Java's `URLEncoder.encode(s, "UTF-8")` (space as `+`; `!'()~` encoded, `*` kept). */
export function urlEncode(value: unknown): string {
  return encodeURIComponent(String(value ?? ''))
    .replace(/[!'()~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** `$util.urlDecode`: Java's `URLDecoder.decode(s, "UTF-8")` (`+` is a space). */
export function urlDecode(value: unknown): string {
  return decodeURIComponent(String(value ?? '').replace(/\+/g, ' '));
}

/** `$util.parseJson`: the object a JSON string denotes. */
export function parseJson(value: unknown): unknown {
  return JSON.parse(String(value));
}

/** The `$util` object handed to templates. */
export const util = {
  escapeJavaScript,
  base64Encode,
  base64Decode,
  urlEncode,
  urlDecode,
  parseJson,
} as const;
