/**
 * `$util`, `$input`, JSONPath and the Velocity 1.7 semantics of the template engine, as unit tests (no
 * Java needed). The conformance suite (`conformance/`) checks the same behaviour against Apache
 * Velocity, Jayway JsonPath and commons-lang themselves; these pin it down where a failure is easiest to
 * read.
 */
import { describe, expect, it } from 'vitest';
import { createInput, javaUtf8Bytes, vtlUtil } from '../src/index.ts';
import { bigDecimalToString, JavaNumber, javaDoubleToString, javaToString } from '../src/vtl/java.ts';
import { dropDelFromEscapedStrings } from '../src/vtl/payload.ts';
import { renderWith } from './helpers.ts';

describe('$util', () => {
  it('escapeJavaScript escapes like commons-lang: quotes, slash, controls, non-ASCII as \\uXXXX, DEL kept', () => {
    expect(vtlUtil.escapeJavaScript(`a'b"c\\d/e`)).toBe(`a\\'b\\"c\\\\d\\/e`);
    expect(vtlUtil.escapeJavaScript('\b\n\t\f\r\u0001\u001f\u007f')).toBe(
      '\\b\\n\\t\\f\\r\\u0001\\u001F\u007f',
    );
    expect(vtlUtil.escapeJavaScript('é€🎉')).toBe('\\u00E9\\u20AC\\uD83C\\uDF89');
    expect(vtlUtil.escapeJavaScript('plain-text_1.2')).toBe('plain-text_1.2');
    expect(vtlUtil.escapeJavaScript(null)).toBeNull();
  });

  it('base64Encode / base64Decode work on UTF-8; an unpaired surrogate is "?" as in Java', () => {
    expect(vtlUtil.base64Encode('some data')).toBe('c29tZSBkYXRh');
    expect(vtlUtil.base64Encode('é🎉')).toBe(Buffer.from('é🎉').toString('base64'));
    expect(vtlUtil.base64Encode('a\ud800b')).toBe(Buffer.from('a?b').toString('base64'));
    expect(vtlUtil.base64Decode(vtlUtil.base64Encode('ünï 🎉'))).toBe('ünï 🎉');
    expect(() => vtlUtil.base64Decode('not base64!')).toThrow(/base64/);
  });

  it('a non-string argument is made text as String.valueOf makes it', () => {
    expect(vtlUtil.base64Encode({ b: 1, a: 'x/y' })).toBe(Buffer.from('{b=1, a=x/y}').toString('base64'));
    expect(vtlUtil.base64Encode([1, 'a/b'])).toBe(Buffer.from('[1,"a\\/b"]').toString('base64'));
    expect(vtlUtil.base64Encode(JavaNumber.fromJson('1e20'))).toBe(Buffer.from('1.0E20').toString('base64'));
    expect(vtlUtil.base64Encode(null)).toBeNull();
  });

  it('urlEncode / urlDecode follow java.net.URLEncoder and URLDecoder', () => {
    expect(vtlUtil.urlEncode("a b&c=d/é*~!'()")).toBe('a+b%26c%3Dd%2F%C3%A9*%7E%21%27%28%29');
    expect(vtlUtil.urlEncode('\ud800')).toBe('%3F');
    expect(vtlUtil.urlDecode('a+b%26c%3Dd%2F%C3%A9')).toBe('a b&c=d/é');
    expect(vtlUtil.urlDecode('%FF')).toBe('\ufffd');
    expect(() => vtlUtil.urlDecode('%G1')).toThrow();
  });

  it('parseJson returns the value, numbers as Java holds them', () => {
    const parsed = vtlUtil.parseJson('{"a":[1,"x"],"big":12345678901234567890}') as Record<string, unknown[]>;
    expect(parsed.a![1]).toBe('x');
    expect(javaToString(parsed.a![0])).toBe('1');
    expect(javaToString(parsed.big)).toBe('12345678901234567890');
  });
});

describe('Java values', () => {
  it('numbers print as json-smart parses them: Integer/Long/BigInteger exact, Double as Java, BigDecimal', () => {
    const text = (literal: string) => JavaNumber.fromJson(literal).toString();
    expect(text('12345678901234567890')).toBe('12345678901234567890');
    expect(text('-0')).toBe('0');
    expect(text('1.0')).toBe('1.0');
    expect(text('1e20')).toBe('1.0E20');
    expect(text('1E-7')).toBe('1.0E-7');
    expect(text('-0.0')).toBe('-0.0');
    expect(text('1e400')).toBe('Infinity');
    expect(JavaNumber.fromJson('1e400').toJson()).toBe('null');
    expect(text('123456789012345678901.5')).toBe('123456789012345678901.5');
    expect(bigDecimalToString('1.5000000000000000000e30')).toBe('1.5000000000000000000E+30');
    expect(bigDecimalToString('0.000000000000000000123')).toBe('1.23E-19');
    expect(javaDoubleToString(0.001)).toBe('0.001');
    expect(javaDoubleToString(1234567.5)).toBe('1234567.5');
    expect(javaDoubleToString(12345678)).toBe('1.2345678E7');
  });

  it('the bytes sent are Java UTF-8: an unpaired surrogate becomes "?"', () => {
    expect(javaUtf8Bytes('a\ud800b\udf89\ud83c🎉').toString('utf8')).toBe('a?b??🎉');
  });

  it('drops DEL only from strings json-smart reads escape by escape (those with a backslash)', () => {
    expect(dropDelFromEscapedStrings('{"a":"x\u007f","b":"y\u007f\\n","c\\t\u007f":1}')).toBe(
      '{"a":"x\u007f","b":"y\\n","c\\t":1}',
    );
  });
});

describe('$input', () => {
  const params = {
    path: { 'stream-name': 'from-path', shared: 'path' },
    querystring: { 'shard-id': 'from-query', shared: 'query' },
    header: { 'Shard-Iterator': 'from-header', shared: 'header' },
  };
  const input = createInput('{"a":{"b":"x\\"y"},"list":[{"k-1":1},{"k-1":2}],"n":null}', params);

  it('json(path) returns JSON text; path(path) the value; `""` / "" when absent', () => {
    expect(input.json('$.a.b')).toBe('"x\\"y"');
    expect(input.json("$.list[1]['k-1']")).toBe('2');
    expect(input.json('$')).toBe('{"a":{"b":"x\\"y"},"list":[{"k-1":1},{"k-1":2}],"n":null}');
    expect(input.json('$.missing')).toBe('""');
    expect(input.json('$.n')).toBe('null');
    expect(input.path('$.a')).toEqual({ b: 'x"y' });
    expect(input.path('$.missing.deeper')).toBe('');
    // Jayway 2.0 finds nothing at a negative index of a definite path.
    expect(input.path('$.list[-1]')).toBe('');
  });

  it('an index on something that is not an array fails, as Jayway throws', () => {
    expect(() => input.json('$.a[0]')).toThrow(/only be applied to arrays/);
  });

  it('indefinite paths return every match, as Jayway does', () => {
    expect(input.json("$.list[*]['k-1']")).toBe('[1,2]');
    expect(input.json('$..b')).toBe('["x\\"y"]');
  });

  it('params(name) searches path, query string, then headers case-insensitively', () => {
    expect(input.params('stream-name')).toBe('from-path');
    expect(input.params('shard-id')).toBe('from-query');
    expect(input.params('shard-iterator')).toBe('from-header');
    expect(input.params('shared')).toBe('path');
    expect(input.params('absent')).toBe('');
    expect(input.params('constructor')).toBe('');
    expect(input.params()).toBe(params);
  });

  it('reads an empty body as {}; a body that is not JSON fails the template', () => {
    expect(createInput('', params).json('$')).toBe('{}');
    expect(() => createInput('not json', params).path('$.a')).toThrow(/not JSON/);
    expect(createInput('not json', params).body).toBe('not json');
  });
});

describe('Velocity 1.7 semantics', () => {
  it('#if is false only for null and false', () => {
    expect(
      renderWith('#set($e = "")#set($z = 0)#if($e)e#end#if($z)z#end#if($nothing)n#end#if(!$e)not#end'),
    ).toBe('ez');
    expect(renderWith('#if("")literal#end#if(true)t#end')).toBe('t');
  });

  it('== compares numbers by value, one class by equals, else by toString; null equals only null', () => {
    const body = '{"t":true,"n":12,"l":["x"],"big":12345678901234567890,"z":null}';
    const t = "#set($b = $input.path('$'))";
    expect(renderWith(`${t}#if($b.t == "true")1#end#if($b.n == "12")2#end#if($b.l == "x")3#end`, body)).toBe(
      '12',
    );
    expect(renderWith(`${t}#if($b.big == 12345678901234567890)4#end#if($b.z == $nothing)5#end`, body)).toBe(
      '45',
    );
    expect(renderWith(`${t}#if($b.z != "")6#end#if("b" > "a")7#end#if($b.n > 3)8#end`, body)).toBe('68');
  });

  it('null renders as nothing; #set of null keeps the old value', () => {
    expect(renderWith('[$nothing][$!nothing]#set($x = "kept")#set($x = $nothing)[$x]')).toBe('[][][kept]');
  });

  it('values render as Java prints them', () => {
    expect(
      renderWith("#set($b = $input.path('$'))$b.o|$b.a|$b.d", '{"o":{"k":"v","l":[1]},"a":["s/t"],"d":1e20}'),
    ).toBe('{k=v, l=[1]}|["s\\/t"]|1.0E20');
  });

  it('methods on text are java.lang.String methods', () => {
    const t = '#set($s = "a-b-c")';
    expect(
      renderWith(
        `${t}$s.replaceAll("-", "$0$0")|$s.replace("-", "+")|$s.matches("[a-c-]+")|$s.length()|$s.isEmpty()`,
      ),
    ).toBe('a--b--c|a+b+c|true|5|false');
    // JavaScript has these; Java's String does not.
    expect(renderWith(`${t}[$s.at(0)][$s.padStart(9)][$s.length]`)).toBe('[][][]');
    expect(renderWith(`#set($q = "it's")$util.escapeJavaScript($q).replaceAll("\\\\'","'")`)).toBe("it's");
  });

  it('maps and lists answer Java methods and properties only', () => {
    const body = '{"m":{"k":"v"},"l":[1,2]}';
    const t = "#set($b = $input.path('$'))";
    expect(
      renderWith(
        `${t}$b.m.get('k')|$b.m.keySet()|$b.m.toString|$b.m.hasOwnProperty('k')|$b.l[-1]|$b.l.empty|$b.l.length`,
        body,
      ),
    ).toBe('v|[k]|||2|false|');
    expect(() => renderWith(`${t}$b.l[5]`, body)).toThrow(/IndexOutOfBounds/);
  });
});
