/**
 * How API Gateway's Java stack sees the values a template works with, for the emulator to do the same:
 * a JSON number keeps the Java type json-smart parses it to (and prints like it), a value becomes text
 * the way `String.valueOf` makes it, JSON is written the way json-smart writes it, and text leaves as
 * Java encodes it to UTF-8. Each rule here was checked against Apache Velocity 1.7 with Jayway JsonPath
 * and json-smart by the conformance suite (`conformance/`).
 */

/** The Java class json-smart gives a JSON number. */
export type JavaNumberKind = 'Integer' | 'Long' | 'BigInteger' | 'Double' | 'BigDecimal';

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * A number from a JSON payload, as json-smart holds it: integers as Integer, Long or BigInteger, numbers
 * with a fraction or exponent as Double (BigDecimal when the literal is longer than 18 characters).
 * Templates see its Java text (`1.0E20`, `-0.0`); arithmetic and comparisons see its value. The fields are
 * private so that no template can read them as properties.
 */
export class JavaNumber {
  readonly #kind: JavaNumberKind;
  readonly #text: string;
  readonly #value: number;

  private constructor(kind: JavaNumberKind, text: string, value: number) {
    this.#kind = kind;
    this.#text = text;
    this.#value = value;
  }

  /** The number a JSON literal (`12345678901234567890`, `1e20`, `-0.0`) denotes to json-smart. */
  static fromJson(literal: string): JavaNumber {
    const value = Number(literal);
    if (/^-?\d+$/.test(literal)) {
      const exact = BigInt(literal);
      const kind =
        exact >= INT_MIN && exact <= INT_MAX
          ? 'Integer'
          : exact >= LONG_MIN && exact <= LONG_MAX
            ? 'Long'
            : 'BigInteger';
      return new JavaNumber(kind, exact.toString(), value);
    }
    if (literal.length > 18) return new JavaNumber('BigDecimal', bigDecimalToString(literal), value);
    return new JavaNumber('Double', javaDoubleToString(value), value);
  }

  get kind(): JavaNumberKind {
    return this.#kind;
  }

  /** `String.valueOf(number)`. */
  toString(): string {
    return this.#text;
  }

  /** The number as json-smart writes it in JSON: infinite doubles become `null`. */
  toJson(): string {
    return Number.isFinite(this.#value) || this.#kind !== 'Double' ? this.#text : 'null';
  }

  valueOf(): number {
    return this.#value;
  }

  /** The exact integer, for integer kinds. */
  bigint(): bigint | undefined {
    return this.#kind === 'Double' || this.#kind === 'BigDecimal' ? undefined : BigInt(this.#text);
  }
}

/** `Double.toString(d)`: plain between 10^-3 and 10^7, else `d.dddE±n`; always a fraction digit. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const abs = Math.abs(d);
  // toExponential() gives the shortest digits that round-trip, as Java's Double.toString does.
  const [mantissa, exponentText] = abs.toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

/** `new BigDecimal(literal).toString()`: plain unless the exponent is positive or below -6. */
export function bigDecimalToString(literal: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!match) throw new SyntaxError(`not a JSON number: ${literal}`);
  const [, minus, whole, fraction = '', exponent = '0'] = match;
  let coefficient = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const scale = fraction.length - Number(exponent);
  const negative = minus === '-' && /[1-9]/.test(coefficient);
  if (coefficient === '') coefficient = '0';
  const adjusted = -scale + (coefficient.length - 1);
  let text: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) text = coefficient;
    else if (coefficient.length > scale) {
      text = `${coefficient.slice(0, coefficient.length - scale)}.${coefficient.slice(coefficient.length - scale)}`;
    } else text = `0.${'0'.repeat(scale - coefficient.length)}${coefficient}`;
  } else {
    const rest = coefficient.length > 1 ? `.${coefficient.slice(1)}` : '';
    text = `${coefficient[0]}${rest}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${text}` : text;
}

export const isJavaNumber = (value: unknown): value is JavaNumber => value instanceof JavaNumber;

/** A number a template computed (`$foreach.index`, `1 + 1`): an Integer, or a Double. */
function jsNumberToString(n: number): string {
  return Number.isInteger(n) && Math.abs(n) <= 2 ** 63 ? String(n) : javaDoubleToString(n);
}

// ---------------------------------------------------------------------------------------------
// JSON as json-smart writes it
// ---------------------------------------------------------------------------------------------

/**
 * json-smart's string escaping: the short escapes, `\uXXXX` (upper-case) for C0 controls, DEL to U+009F
 * and U+2000–U+20FF, and `\/` in its web-safe style. Unpaired surrogates are written as they are (and
 * become `?` when the text is encoded to UTF-8).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
const JSON_SMART_ESCAPES = /["\\\u0000-\u001f\u007f-\u009f\u2000-\u20ff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
const JSON_SMART_ESCAPES_WEB = /["\\/\u0000-\u001f\u007f-\u009f\u2000-\u20ff]/;
const SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function quote(text: string, web: boolean): string {
  const needs = web ? JSON_SMART_ESCAPES_WEB : JSON_SMART_ESCAPES;
  if (!needs.test(text)) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    const short = SHORT[ch];
    if (short !== undefined && (ch !== '/' || web)) out += short;
    else if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || (code >= 0x2000 && code <= 0x20ff)) {
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * JSON text of a value as json-smart writes it: `web` is its default style (what `toString()` of a
 * JSON array gives, `/` escaped); without it, the style Jayway uses for `$input.json` results.
 */
export function jsonSmartStringify(value: unknown, web = false): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value, web);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? jsNumberToString(value) : 'null';
  if (value instanceof JavaNumber) return value.toJson();
  if (Array.isArray(value)) return `[${value.map((item) => jsonSmartStringify(item, web)).join(',')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value).map(([k, v]) => `${quote(k, web)}:${jsonSmartStringify(v, web)}`);
    return `{${members.join(',')}}`;
  }
  return quote(String(value), web);
}

/**
 * A Java collection that is not a JSON array: a map's `keySet()`, `values()`, `entrySet()`. It prints as
 * Java collections do (`[a, b]`), where a JSON array prints as JSON.
 */
export class JavaCollection extends Array<unknown> {}

/** A `Map.Entry` of `entrySet()`: `$entry.key`, `$entry.getValue()`, printed `key=value`. */
export class MapEntry {
  constructor(
    readonly key: string,
    readonly value: unknown,
  ) {}
  readonly getKey = (): string => this.key;
  readonly getValue = (): unknown => this.value;
}

// ---------------------------------------------------------------------------------------------
// String.valueOf
// ---------------------------------------------------------------------------------------------

/**
 * `String.valueOf(value)` for what templates hold: text as it is; numbers as Java prints them; a JSON
 * array as json-smart's `JSONArray.toString()` (JSON, `/` escaped); an object as a Java map prints
 * (`{key=value, other=[1,"x"]}`). Null stays null (a null reference renders as nothing).
 */
export function javaToString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return jsNumberToString(value);
  if (value instanceof JavaNumber) return value.toString();
  if (value instanceof JavaCollection)
    return `[${value.map((item) => javaToString(item) ?? 'null').join(', ')}]`;
  if (value instanceof MapEntry) return `${value.key}=${javaToString(value.value) ?? 'null'}`;
  if (Array.isArray(value)) return jsonSmartStringify(value, true);
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${k}=${javaToString(v) ?? 'null'}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// UTF-8 the Java way
// ---------------------------------------------------------------------------------------------

declare global {
  interface String {
    /** ES2024; in V8 since Node 20. */
    isWellFormed(): boolean;
  }
}

/** Java's encoder writes `?` for an unpaired surrogate where Node writes U+FFFD. */
export function javaWellFormed(text: string): string {
  return text.isWellFormed() ? text : text.replace(/\p{Surrogate}/gu, '?');
}

/** The UTF-8 bytes a Java service sends for `text` (`String.getBytes(UTF_8)`). */
export function javaUtf8Bytes(text: string): Buffer {
  return Buffer.from(javaWellFormed(text), 'utf8');
}
