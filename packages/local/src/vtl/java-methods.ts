/**
 * Java's methods and properties for templates, as velocityjs method handlers and lookups: in API Gateway,
 * `$s.x()` on text calls Java's `String.x`, whose semantics differ from JavaScript's (`replaceAll` takes
 * a regex, `replace` replaces every occurrence, `matches` tests the whole string, `trim` strips controls)
 * and whose method set differs (`isEmpty` exists, `padStart` does not: Velocity gives null for it); a
 * JSON array is a Java `List` and an object a `Map`, with their methods and not JavaScript's.
 *
 * Regexes are Java's, run by JavaScript's engine: the common syntax agrees; Java-only constructs
 * (possessive quantifiers, `\A`, `\Z`, POSIX classes) fail the template, as a syntax error would.
 */
import { isJavaNumber, JavaCollection, javaToString, MapEntry } from './java.ts';
import { TemplateError } from './payload.ts';
import { javaEquals } from './velocity-values.ts';

const regexes = new Map<string, RegExp>();

/** A Java regex as a JavaScript one; `whole` anchors it to the whole input, as `String.matches` does. */
function javaRegex(pattern: unknown, flags: string, whole = false): RegExp {
  if (typeof pattern !== 'string') throw new TemplateError('A regex must be text');
  const key = `${flags}${whole ? '^$' : ''}/${pattern}`;
  let regex = regexes.get(key);
  if (!regex) {
    // Java's leading (?i) flag; JavaScript has no inline flags.
    const caseInsensitive = pattern.startsWith('(?i)');
    const source = caseInsensitive ? pattern.slice(4) : pattern;
    try {
      regex = new RegExp(whole ? `^(?:${source})$` : source, caseInsensitive ? `${flags}i` : flags);
    } catch (error) {
      throw new TemplateError(`Unsupported regex ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
    if (regexes.size > 1_000) regexes.clear();
    regexes.set(key, regex);
  }
  regex.lastIndex = 0;
  return regex;
}

/** A Java replacement string (`$1`, `${name}`, `\$`) as a JavaScript replacer. */
function javaReplacement(replacement: unknown): (match: string, ...rest: unknown[]) => string {
  if (typeof replacement !== 'string') throw new TemplateError('A replacement must be text');
  const parts: (string | number | { name: string })[] = [];
  let literal = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i]!;
    if (ch === '\\') {
      if (i + 1 >= replacement.length) throw new TemplateError('character to be escaped is missing');
      literal += replacement[++i];
    } else if (ch === '$') {
      const named = /^\{([a-zA-Z][a-zA-Z0-9]*)\}/.exec(replacement.slice(i + 1));
      const digits = /^\d+/.exec(replacement.slice(i + 1));
      if (!named && !digits) throw new TemplateError('Illegal group reference in a replacement');
      parts.push(literal);
      literal = '';
      if (named) {
        parts.push({ name: named[1]! });
        i += named[0].length;
      } else {
        parts.push(Number(digits![0]));
        i += digits![0].length;
      }
    } else literal += ch;
  }
  parts.push(literal);
  return (match, ...rest) => {
    const last = rest[rest.length - 1];
    const groupsObject =
      typeof last === 'object' && last !== null ? (last as Record<string, string>) : undefined;
    const groups = rest.slice(0, groupsObject ? -3 : -2) as (string | undefined)[];
    return parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (typeof part === 'number') {
          if (part === 0) return match;
          if (part > groups.length) throw new TemplateError(`No group ${part}`);
          return groups[part - 1] ?? '';
        }
        if (!groupsObject || !(part.name in groupsObject)) throw new TemplateError(`No group ${part.name}`);
        return groupsObject[part.name] ?? '';
      })
      .join('');
  };
}

function text(value: unknown): string {
  if (value === null || value === undefined) throw new TemplateError('NullPointerException');
  return javaToString(value) as string;
}

function index(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new TemplateError('An index must be an integer');
  return n;
}

/** Java's `trim()`: strips every character up to U+0020, controls included. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Java's trim() strips control characters.
const javaTrim = (s: string) => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');

/** Java's `split(regex)`: trailing empty strings dropped, no captured groups in the result. */
function javaSplit(s: string, pattern: unknown): string[] {
  if (s === '') return [''];
  const regex = javaRegex(pattern, 'g');
  const parts: string[] = [];
  let start = 0;
  for (const match of s.matchAll(regex)) {
    const at = match.index;
    // A zero-width match at the start gives no leading empty string.
    if (at === 0 && match[0] === '') continue;
    parts.push(s.slice(start, at));
    start = at + match[0].length;
  }
  parts.push(s.slice(start));
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

type Method = (s: string, args: readonly unknown[]) => unknown;

const STRING_METHODS: Readonly<Record<string, Method>> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  charAt: (s, [i]) => {
    const at = index(i);
    if (at < 0 || at >= s.length) throw new TemplateError('StringIndexOutOfBoundsException');
    return s[at];
  },
  substring: (s, [begin, end]) => {
    const b = index(begin);
    const e = end === undefined ? s.length : index(end);
    if (b < 0 || e > s.length || b > e) throw new TemplateError('StringIndexOutOfBoundsException');
    return s.slice(b, e);
  },
  indexOf: (s, [needle, from]) => s.indexOf(text(needle), from === undefined ? 0 : Math.max(0, index(from))),
  lastIndexOf: (s, [needle, from]) => {
    if (from === undefined) return s.lastIndexOf(text(needle));
    const f = index(from);
    return f < 0 ? -1 : s.lastIndexOf(text(needle), f);
  },
  contains: (s, [needle]) => s.includes(text(needle)),
  startsWith: (s, [prefix, offset]) => s.startsWith(text(prefix), offset === undefined ? 0 : index(offset)),
  endsWith: (s, [suffix]) => s.endsWith(text(suffix)),
  equals: (s, [other]) => typeof other === 'string' && other === s,
  equalsIgnoreCase: (s, [other]) =>
    typeof other === 'string' && other.length === s.length && other.toLowerCase() === s.toLowerCase(),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  trim: (s) => javaTrim(s),
  concat: (s, [other]) => s + text(other),
  replace: (s, [target, replacement]) => {
    const from = text(target);
    const to = text(replacement);
    if (from === '') return `${to}${[...s].join(to)}${s === '' ? '' : to}`;
    return s.split(from).join(to);
  },
  replaceAll: (s, [pattern, replacement]) => s.replace(javaRegex(pattern, 'g'), javaReplacement(replacement)),
  replaceFirst: (s, [pattern, replacement]) =>
    s.replace(javaRegex(pattern, ''), javaReplacement(replacement)),
  matches: (s, [pattern]) => javaRegex(pattern, '', true).test(s),
  split: (s, [pattern]) => javaSplit(s, pattern),
  toString: (s: string) => s,
  compareTo: (s, [other]) => {
    const o = text(other);
    for (let i = 0; i < Math.min(s.length, o.length); i++) {
      if (s.charCodeAt(i) !== o.charCodeAt(i)) return s.charCodeAt(i) - o.charCodeAt(i);
    }
    return s.length - o.length;
  },
};

/** Java `List` methods on arrays (json-smart's JSONArray); JavaScript's array methods do not exist there. */
const LIST_METHODS: Readonly<Record<string, (list: unknown[], args: readonly unknown[]) => unknown>> = {
  size: (list) => list.length,
  isEmpty: (list) => list.length === 0,
  get: (list, [i]) => {
    const at = index(i);
    if (at < 0 || at >= list.length) throw new TemplateError('IndexOutOfBoundsException');
    return list[at];
  },
  contains: (list, [item]) => list.some((element) => javaEquals(element, item)),
  indexOf: (list, [item]) => list.findIndex((element) => javaEquals(element, item)),
  toString: (list: unknown[]) => javaToString(list),
  subList: (list, [from, to]) => {
    const f = index(from);
    const t = index(to);
    if (f < 0 || t > list.length || f > t) throw new TemplateError('IndexOutOfBoundsException');
    return list.slice(f, t);
  },
};

/** Java `Map` methods on objects (json-smart's maps); JavaScript's `Object.prototype` methods do not exist there. */
const MAP_METHODS: Readonly<
  Record<string, (map: Record<string, unknown>, args: readonly unknown[]) => unknown>
> = {
  get: (map, [key]) => (typeof key === 'string' && Object.hasOwn(map, key) ? map[key] : undefined),
  containsKey: (map, [key]) => typeof key === 'string' && Object.hasOwn(map, key),
  isEmpty: (map) => Object.keys(map).length === 0,
  size: (map) => Object.keys(map).length,
  keySet: (map) => JavaCollection.from(Object.keys(map)),
  values: (map) => JavaCollection.from(Object.values(map)),
  entrySet: (map) => JavaCollection.from(Object.entries(map), ([key, value]) => new MapEntry(key, value)),
  put: (map, [key, value]) => {
    const k = text(key);
    const previous = Object.hasOwn(map, k) ? map[k] : undefined;
    map[k] = value;
    return previous;
  },
  toString: (map: Record<string, unknown>) => javaToString(map),
};

interface MethodCall {
  readonly property: string;
  readonly context: unknown;
  readonly params: unknown[];
}

const lookup = <T>(table: Readonly<Record<string, T>>, name: string): T | undefined =>
  Object.hasOwn(table, name) ? table[name] : undefined;

/**
 * velocityjs `customMethodHandlers`: every method call on text, numbers from payloads, lists and maps.
 * A map's own function properties are the template environment's own objects (`$input.json`,
 * `$util.base64Encode`), which velocityjs calls itself.
 */
export const javaMethods = [
  {
    uid: 'kproxy: java.lang.String',
    match: ({ context }: MethodCall) => typeof context === 'string',
    resolve: ({ context, property, params }: MethodCall) =>
      lookup(STRING_METHODS, property)?.(context as string, params),
  },
  {
    uid: 'kproxy: java.lang.Number',
    match: ({ context }: MethodCall) => isJavaNumber(context),
    resolve: ({ context, property, params }: MethodCall) => {
      if (property === 'toString') return javaToString(context);
      if (property === 'equals') return javaEquals(context, params[0]);
      return undefined;
    },
  },
  {
    uid: 'kproxy: java.util.List',
    match: ({ context }: MethodCall) => Array.isArray(context),
    resolve: ({ context, property, params }: MethodCall) =>
      lookup(LIST_METHODS, property)?.(context as unknown[], params),
  },
  {
    uid: 'kproxy: java.util.Map',
    match: ({ context, property }: MethodCall) =>
      context !== null &&
      typeof context === 'object' &&
      !isJavaNumber(context) &&
      typeof (Object.hasOwn(context, property)
        ? (context as Record<string, unknown>)[property]
        : undefined) !== 'function',
    resolve: ({ context, property, params }: MethodCall) =>
      lookup(MAP_METHODS, property)?.(context as Record<string, unknown>, params),
  },
];

/**
 * `$value.name` as Velocity resolves it on a Java object: a map's entry; for text and lists only the bean
 * property `empty` (`isEmpty()`); nothing on numbers and booleans (JavaScript's `length`, `toString` and
 * the like are not there).
 */
export function javaProperty(base: unknown, name: string): unknown {
  if (typeof base === 'string') return name === 'empty' ? base.length === 0 : undefined;
  if (Array.isArray(base)) return name === 'empty' ? base.length === 0 : undefined;
  if (base === null || typeof base !== 'object' || isJavaNumber(base)) return undefined;
  return Object.hasOwn(base, name) ? (base as Record<string, unknown>)[name] : undefined;
}

/**
 * `$value[key]`: a list's element (negative counts from the end; outside the list fails the template, as
 * Java's `List.get` throws), a map's entry; nothing on anything else.
 */
export function javaIndex(base: unknown, key: unknown): unknown {
  if (Array.isArray(base)) {
    const i = index(key);
    const at = i < 0 ? base.length + i : i;
    if (at < 0 || at >= base.length) throw new TemplateError('IndexOutOfBoundsException');
    return base[at];
  }
  if (base === null || typeof base !== 'object' || isJavaNumber(base)) return undefined;
  const name = javaToString(key);
  return name !== null && Object.hasOwn(base, name) ? (base as Record<string, unknown>)[name] : undefined;
}
