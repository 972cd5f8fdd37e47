/** The values the corpus puts into bodies and parameters: ordinary, unusual and hostile. */

/** JSON text written verbatim into a body: numbers no JS value can hold, duplicate keys, spacing. */
export class Raw {
  constructor(readonly json: string) {}
}

/** `JSON.stringify` that writes `Raw` values as they are. */
export function jsonText(value: unknown): string {
  if (value instanceof Raw) return value.json;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Strings a caller can send, ordinary and hostile. */
export const STRINGS: Readonly<Record<string, string>> = {
  'seed data': 'some data',
  empty: '',
  space: ' ',
  'double quote': 'quote"inside',
  'single quote': "single'quote",
  'escaped single quote': "\\'",
  backslash: 'back\\slash',
  'trailing backslash': 'trailing\\',
  'control escapes': 'new\nline\r\ttab\b\f',
  'other controls': '\u0000\u0001\u001f',
  DEL: 'del\u007f',
  'DEL with an escape': 'del\u007f"quoted"',
  'DEL with a newline': '\u007f\n',
  C1: '\u0080\u009f\u00a0',
  accents: 'ünïcødé ✓',
  emoji: 'party 🎉',
  'line separators': '\u2028\u2029',
  'general punctuation': '\u2000\u20ac\u20ff\u2100',
  'BOM and U+FFFF': '\ufeff\uffff',
  'lone high surrogate': 'a\ud800b',
  'lone low surrogate': '\udfff',
  'reversed pair': '\udf89\ud83c',
  dollar: '$',
  'VTL reference': '$input.body ${x} $!{nothing} $util.escapeJavaScript("x")',
  'VTL directives': '#set($x = 1) #if(true)#end ## comment #* block *#',
  'escaped VTL': '\\$input \\#end',
  'JSON injection': '","X":"y',
  'JSON injection with backslash': '\\","X":"y',
  'object injection': '"},"X":{"y":"',
  'number injection': '1,"X":"y"',
  'closing brace': '}',
  slashes: '/*</script>*/ a/b',
  'numeric text': '12345678901234567890',
  'literal null': 'null',
  'very long': 'x'.repeat(100_000),
  'long unicode': 'é🎉'.repeat(5_000),
  'long escapes': '"\\\n'.repeat(5_000),
};

/** JSON values other than strings where the method expects a string. */
export const NON_STRINGS: Readonly<Record<string, unknown>> = {
  null: null,
  zero: 0,
  'negative zero': new Raw('-0'),
  integer: 12,
  decimal: 1.5,
  'decimal with zero fraction': new Raw('1.0'),
  exponent: new Raw('1e20'),
  'small exponent': new Raw('1E-7'),
  'huge integer': new Raw('12345678901234567890'),
  'long decimal': new Raw('123456789012345678901.5'),
  overflow: new Raw('1e400'),
  true: true,
  false: false,
  'empty object': {},
  object: { b: 1, a: 'x/y', n: null },
  'empty array': [],
  array: [1, 'a/b', { k: 'v' }, null, true, new Raw('2.50')],
};

/** Request parameter values (path, query string, header), ordinary and hostile. */
export const PARAM_STRINGS: Readonly<Record<string, string>> = {
  empty: '',
  'double quote': 'a"b',
  'single quote': "it's",
  backslash: 'a\\b',
  'control characters': 'a\tb\u0001',
  DEL: 'a\u007fb',
  unicode: 'ünï🎉',
  'JSON injection': '","X":"y',
  'escaped quote injection': "\\'",
  VTL: '$input.body#set($x=1)',
  'very long': 'p'.repeat(10_000),
};
