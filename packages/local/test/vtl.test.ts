/** `$util`, `$input` and JSONPath with API Gateway's semantics. */
import { describe, expect, it } from 'vitest';
import { createInput, vtlUtil } from '../src/index.ts';

describe('$util', () => {
  it('escapeJavaScript escapes like commons-lang: quotes, slash, controls, non-ASCII as \\uXXXX', () => {
    expect(vtlUtil.escapeJavaScript(`a'b"c\\d/e`)).toBe(`a\\'b\\"c\\\\d\\/e`);
    expect(vtlUtil.escapeJavaScript('\b\n\t\f\r\u0001\u001f\u007f')).toBe(
      '\\b\\n\\t\\f\\r\\u0001\\u001F\u007f',
    );
    expect(vtlUtil.escapeJavaScript('é€🎉')).toBe('\\u00E9\\u20AC\\uD83C\\uDF89');
    expect(vtlUtil.escapeJavaScript('plain-text_1.2')).toBe('plain-text_1.2');
  });

  it('base64Encode / base64Decode work on UTF-8', () => {
    expect(vtlUtil.base64Encode('some data')).toBe('c29tZSBkYXRh');
    expect(vtlUtil.base64Encode('é🎉')).toBe(Buffer.from('é🎉').toString('base64'));
    expect(vtlUtil.base64Decode(vtlUtil.base64Encode('ünï 🎉'))).toBe('ünï 🎉');
  });

  it('urlEncode / urlDecode follow java.net.URLEncoder', () => {
    expect(vtlUtil.urlEncode("a b&c=d/é*~!'()")).toBe('a+b%26c%3Dd%2F%C3%A9*%7E%21%27%28%29');
    expect(vtlUtil.urlDecode('a+b%26c%3Dd%2F%C3%A9')).toBe('a b&c=d/é');
  });

  it('parseJson returns the value', () => {
    expect(vtlUtil.parseJson('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
  });
});

describe('$input', () => {
  const params = {
    path: { 'stream-name': 'from-path', shared: 'path' },
    querystring: { 'shard-id': 'from-query', shared: 'query' },
    header: { 'Shard-Iterator': 'from-header', shared: 'header' },
  };
  const input = createInput('{"a":{"b":"x\\"y"},"list":[{"k-1":1},{"k-1":2}],"n":null}', params);

  it('json(path) returns JSON text; path(path) the value; "" / undefined when absent', () => {
    expect(input.json('$.a.b')).toBe('"x\\"y"');
    expect(input.json("$.list[1]['k-1']")).toBe('2');
    expect(input.json('$')).toBe('{"a":{"b":"x\\"y"},"list":[{"k-1":1},{"k-1":2}],"n":null}');
    expect(input.json('$.missing')).toBe('');
    expect(input.json('$.n')).toBe('null');
    expect(input.path('$.a')).toEqual({ b: 'x"y' });
    expect(input.path('$.list[-1]')).toEqual({ 'k-1': 2 });
    expect(input.path('$.missing.deeper')).toBeUndefined();
  });

  it('indefinite paths return every match, as Jayway does', () => {
    expect(input.path("$.list[*]['k-1']")).toEqual([1, 2]);
    expect(input.json('$..b')).toBe('["x\\"y"]');
  });

  it('params(name) searches path, query string, then headers case-insensitively', () => {
    expect(input.params('stream-name')).toBe('from-path');
    expect(input.params('shard-id')).toBe('from-query');
    expect(input.params('shard-iterator')).toBe('from-header');
    expect(input.params('shared')).toBe('path');
    expect(input.params('absent')).toBe('');
    expect(input.params()).toBe(params);
  });

  it('reads an empty body as {} and a non-JSON body as absent', () => {
    expect(createInput('', params).json('$')).toBe('{}');
    expect(createInput('not json', params).path('$.a')).toBeUndefined();
    expect(createInput('not json', params).body).toBe('not json');
  });
});
