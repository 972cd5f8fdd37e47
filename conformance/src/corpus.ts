/**
 * The cases both engines render: every contract template (each request template and the integration
 * response template) over the seed's curl bodies, what the client sends, and hostile or unusual values;
 * plus a few probe templates that exercise the rest of `$input`, `$util` and `$context`.
 */
import {
  INTEGRATION_RESPONSES,
  KINESIS_ERRORS,
  type OperationId,
  operations,
  REQUEST_TEMPLATES,
  ShardFilterType,
  ShardIteratorType,
} from '@kproxy/contract';
import { missingParameters, validateBody } from '@kproxy/local';
import { clientRequests } from './client-requests.ts';
import { jsonText, NON_STRINGS, PARAM_STRINGS, Raw, STRINGS } from './corpus-values.ts';
import { caseContext, flattenContext } from './emulator-renderer.ts';
import type { RenderRequest } from './java-renderer.ts';

export interface ConformanceCase extends RenderRequest {
  /** Which template: an operation id, `integrationResponse`, or `probe:<name>`. */
  readonly templateName: string;
  /**
   * Whether API Gateway's request validator lets the request reach the template (required parameters
   * present and not blank, body valid against the model); always true for Kinesis's answers and probes.
   */
  readonly accepted: boolean;
  readonly httpMethod: string;
  readonly resourcePath: string;
}

/** Values of the `Encoding`/`encoding` field: the two the model allows, and others. */
const ENCODINGS: Readonly<Record<string, unknown>> = {
  base64: 'base64',
  text: 'text',
  'upper case': 'BASE64',
  empty: '',
  null: null,
  array: ['base64'],
  number: 64,
};

const SEQUENCE = '49590338271490256608559692538361571095921575989136588898';
const MAX_HASH_KEY = '340282366920938463463374607431768211455';

interface Parts {
  readonly body?: string;
  readonly path?: Readonly<Record<string, string>>;
  readonly querystring?: Readonly<Record<string, string>>;
  readonly header?: Readonly<Record<string, string>>;
}

function requestCase(op: OperationId, name: string, parts: Parts): ConformanceCase {
  const spec = operations[op];
  const context = caseContext(spec.method, spec.path);
  const headers = Object.fromEntries(
    Object.entries(parts.header ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const missing = missingParameters(spec, {
    path: parts.path ?? {},
    query: parts.querystring ?? {},
    headers,
  });
  return {
    accepted: missing.length === 0 && (!spec.body || validateBody(spec, parts.body ?? '') !== undefined),
    id: `${op}: ${name}`,
    templateName: op,
    template: REQUEST_TEMPLATES[op],
    httpMethod: spec.method,
    resourcePath: spec.path,
    body: parts.body ?? '',
    path: parts.path ?? {},
    querystring: parts.querystring ?? {},
    header: parts.header ?? {},
    context: flattenContext(context),
  };
}

const STREAM = { 'stream-name': 'orders' };

/**
 * The request bodies of the seeds, verbatim: the CDK project README's curl examples and the API Gateway
 * tutorial's test payloads (`/work/shared/seeds/000_*.txt`, `004_*.txt`).
 */
export const SEED_BODIES: readonly { op: 'createStream' | 'putRecord' | 'putRecords'; body: string }[] = [
  { op: 'putRecord', body: '{ "Data": "some data", "PartitionKey": "some key" }' },
  {
    op: 'putRecords',
    body: '{"records":[{"data":"some data","partition-key":"some key"},{"data":"some other data","partition-key":"some key"}]}',
  },
  { op: 'createStream', body: '{ "ShardCount": 5 }' },
  {
    op: 'putRecords',
    body: '{ "records": [ { "data": "some data", "partition-key": "some key" }, { "data": "some other data", "partition-key": "some key" } ] }',
  },
];

function putRecordCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const put = (name: string, body: unknown) =>
    cases.push(requestCase('putRecord', name, { path: STREAM, body: jsonText(body) }));
  for (const [name, value] of Object.entries(STRINGS)) {
    put(`Data ${name}`, { Data: value, PartitionKey: 'k' });
    put(`PartitionKey ${name}`, { Data: 'd', PartitionKey: value });
  }
  for (const [name, value] of Object.entries(NON_STRINGS)) {
    put(`Data ${name}`, { Data: value, PartitionKey: 'k' });
    put(`PartitionKey ${name}`, { Data: 'd', PartitionKey: value });
  }
  put('Data missing', { PartitionKey: 'k' });
  put('PartitionKey missing', { Data: 'd' });
  put('empty object', {});
  for (const [name, value] of Object.entries({
    digits: '42',
    max: MAX_HASH_KEY,
    empty: '',
    zero: '0',
    number: 42,
    null: null,
    object: { a: 1 },
  })) {
    put(`ExplicitHashKey ${name}`, { Data: 'd', PartitionKey: 'k', ExplicitHashKey: value });
  }
  for (const [name, value] of Object.entries({ sequence: SEQUENCE, empty: '', number: 12, null: null })) {
    put(`SequenceNumberForOrdering ${name}`, {
      Data: 'd',
      PartitionKey: 'k',
      SequenceNumberForOrdering: value,
    });
  }
  for (const [name, value] of Object.entries(ENCODINGS)) {
    put(`Encoding ${name}`, { Data: 'AAEC/w==', PartitionKey: 'k', Encoding: value });
  }
  put('base64 data that is not base64', { Data: 'not base64!', PartitionKey: 'k', Encoding: 'base64' });
  put('base64 data with a quote', { Data: 'a"b', PartitionKey: 'k', Encoding: 'base64' });
  put('all optional fields', {
    Data: 'AAEC/w==',
    Encoding: 'base64',
    PartitionKey: 'k',
    ExplicitHashKey: MAX_HASH_KEY,
    SequenceNumberForOrdering: SEQUENCE,
  });
  put('unknown field', { Data: 'd', PartitionKey: 'k', Extra: 'x' });
  cases.push(
    requestCase('putRecord', 'duplicate keys', {
      path: STREAM,
      body: '{"Data":"first","PartitionKey":"k","Data":"second"}',
    }),
    requestCase('putRecord', 'whitespace around values', {
      path: STREAM,
      body: '\n { "Data" : "some data" ,\t"PartitionKey" : "some key" } \n',
    }),
    requestCase('putRecord', 'body is an array', { path: STREAM, body: '[{"Data":"d"}]' }),
    requestCase('putRecord', 'body is a string', { path: STREAM, body: '"Data"' }),
    requestCase('putRecord', 'body is null', { path: STREAM, body: 'null' }),
    requestCase('putRecord', 'empty body', { path: STREAM, body: '' }),
  );
  for (const [name, value] of Object.entries(PARAM_STRINGS)) {
    cases.push(
      requestCase('putRecord', `stream name ${name}`, {
        path: { 'stream-name': value },
        body: jsonText({ Data: 'd', PartitionKey: 'k' }),
      }),
    );
  }
  return cases;
}

function putRecordsCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const put = (name: string, body: unknown) =>
    cases.push(requestCase('putRecords', name, { path: STREAM, body: jsonText(body) }));
  const records = (...entries: unknown[]) => ({ records: entries });
  for (const [name, value] of Object.entries(STRINGS)) {
    put(
      `data ${name}`,
      records({ data: value, 'partition-key': 'k' }, { data: 'next', 'partition-key': 'k2' }),
    );
    put(`partition-key ${name}`, records({ data: 'd', 'partition-key': value }));
  }
  for (const [name, value] of Object.entries(NON_STRINGS)) {
    put(`data ${name}`, records({ data: value, 'partition-key': 'k' }));
    put(`partition-key ${name}`, records({ data: 'd', 'partition-key': value }));
    put(`records ${name}`, { records: value });
  }
  put('records missing', {});
  put('data missing', records({ 'partition-key': 'k' }));
  put('partition-key missing', records({ data: 'd' }));
  put('entry is a string', records('entry'));
  put('entry is null', records(null));
  for (const [name, value] of Object.entries({
    digits: '7',
    max: MAX_HASH_KEY,
    empty: '',
    number: 7,
    null: null,
  })) {
    put(
      `explicit-hash-key ${name}`,
      records({ data: 'd', 'partition-key': 'k', 'explicit-hash-key': value }),
    );
  }
  for (const [name, value] of Object.entries(ENCODINGS)) {
    put(`encoding ${name}`, records({ data: 'AP8=', 'partition-key': 'k', encoding: value }));
  }
  put(
    'mixed encodings, in order',
    records(
      { data: 'some data', 'partition-key': 'some key' },
      { data: 'AP8=', 'partition-key': 'k2', encoding: 'base64', 'explicit-hash-key': '7' },
      { data: '', 'partition-key': 'k3', encoding: 'text' },
    ),
  );
  put(
    '500 records',
    records(
      ...Array.from({ length: 500 }, (_, i) => ({
        data: i % 7 === 0 ? `quote " ${i}` : `record ${i}`,
        'partition-key': `key-${i}`,
        ...(i % 5 === 0 ? { encoding: 'text' } : {}),
      })),
    ),
  );
  cases.push(
    requestCase('putRecords', 'duplicate records key', {
      path: STREAM,
      body: '{"records":[{"data":"a","partition-key":"k"}],"records":[{"data":"b","partition-key":"k"}]}',
    }),
    requestCase('putRecords', 'empty body', { path: STREAM, body: '' }),
  );
  return cases;
}

function createStreamCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const create = (name: string, body: string, path: Record<string, string> = STREAM) =>
    cases.push(requestCase('createStream', name, { path, body }));
  create('empty body', '');
  create('empty object', '{}');
  create('seed shard count', '{"ShardCount": 2}');
  create('ON_DEMAND', '{"StreamMode":"ON_DEMAND"}');
  create('PROVISIONED with a count', '{"StreamMode":"PROVISIONED","ShardCount":3}');
  create('ON_DEMAND with a count', '{"StreamMode":"ON_DEMAND","ShardCount":3}');
  for (const [name, value] of Object.entries({
    ...NON_STRINGS,
    'string count': '3',
    'empty string': '',
    'max count': 100_000,
  })) {
    create(`ShardCount ${name}`, jsonText({ ShardCount: value }));
  }
  for (const [name, value] of Object.entries({
    'lower case': 'on_demand',
    empty: '',
    null: null,
    array: ['ON_DEMAND'],
    number: 1,
    true: true,
  })) {
    create(`StreamMode ${name}`, jsonText({ StreamMode: value }));
  }
  for (const [name, value] of Object.entries(PARAM_STRINGS)) {
    create(`stream name ${name}`, '{}', { 'stream-name': value });
  }
  return cases;
}

function parameterCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const LIMITS: Record<string, string> = {
    one: '1',
    max: '10000',
    zero: '0',
    negative: '-1',
    'leading zero': '007',
    decimal: '1.5',
    exponent: '1e3',
    words: 'abc',
    blank: '',
    'JSON injection': '1,"X":2',
    quote: '1"',
    huge: '99999999999999999999999',
  };
  cases.push(requestCase('listStreams', 'no parameters', {}));
  for (const [name, limit] of Object.entries(LIMITS)) {
    cases.push(requestCase('listStreams', `limit ${name}`, { querystring: { limit } }));
    cases.push(requestCase('describeStream', `limit ${name}`, { path: STREAM, querystring: { limit } }));
    cases.push(
      requestCase('getRecords', `limit ${name}`, {
        path: STREAM,
        header: { 'Shard-Iterator': 'AAAA' },
        querystring: { limit },
      }),
    );
  }
  for (const [name, value] of Object.entries({ ordinary: 'stream-a.b_c', ...PARAM_STRINGS })) {
    cases.push(
      requestCase('listStreams', `exclusive-start-stream-name ${name}`, {
        querystring: { 'exclusive-start-stream-name': value, limit: '2' },
      }),
    );
    cases.push(
      requestCase('describeStream', `exclusive-start-shard-id ${name}`, {
        path: STREAM,
        querystring: { 'exclusive-start-shard-id': value },
      }),
    );
    cases.push(requestCase('describeStream', `stream name ${name}`, { path: { 'stream-name': value } }));
    cases.push(requestCase('deleteStream', `stream name ${name}`, { path: { 'stream-name': value } }));
    cases.push(
      requestCase('getShardIterator', `shard-id ${name}`, {
        path: STREAM,
        querystring: { 'shard-id': value },
      }),
    );
    cases.push(
      requestCase('getShardIterator', `shard-iterator-type ${name}`, {
        path: STREAM,
        querystring: { 'shard-id': 'shardId-000000000000', 'shard-iterator-type': value },
      }),
    );
    cases.push(
      requestCase('getShardIterator', `starting-sequence-number ${name}`, {
        path: STREAM,
        querystring: {
          'shard-id': 'shardId-000000000000',
          'shard-iterator-type': 'AT_SEQUENCE_NUMBER',
          'starting-sequence-number': value,
        },
      }),
    );
    cases.push(
      requestCase('getRecords', `Shard-Iterator ${name}`, {
        path: STREAM,
        header: { 'Shard-Iterator': value },
      }),
    );
  }
  for (const type of ShardIteratorType.options) {
    cases.push(
      requestCase('getShardIterator', `type ${type}`, {
        path: STREAM,
        querystring: {
          'shard-id': 'shardId-000000000001',
          'shard-iterator-type': type,
          ...(type.includes('SEQUENCE') ? { 'starting-sequence-number': SEQUENCE } : {}),
          ...(type === 'AT_TIMESTAMP' ? { timestamp: '1700000000.5' } : {}),
        },
      }),
    );
  }
  for (const [name, timestamp] of Object.entries({
    integer: '1700000000',
    fraction: '1700000000.123456',
    zero: '0',
    'leading zero': '01700000000',
    exponent: '1.7e9',
    negative: '-1',
    words: 'yesterday',
    'two points': '1.5.5',
    'JSON injection': '1,"X":2',
    blank: '',
  })) {
    cases.push(
      requestCase('getShardIterator', `timestamp ${name}`, {
        path: STREAM,
        querystring: { 'shard-id': 'shardId-000000000000', 'shard-iterator-type': 'AT_TIMESTAMP', timestamp },
      }),
    );
  }
  cases.push(
    requestCase('getRecords', 'a real iterator', {
      path: STREAM,
      header: {
        'Shard-Iterator':
          'AAAAAAAAAAGJ9zFKc5QGOZ5x+LAvQXN3Hq0bAXW5KIg3mp0Dm2zB8V0m7dW0v8o2OqXoHkI1v6c7xJ8kYp3oY4Xw0fQ5K1sX==',
      },
    }),
    requestCase('getRecords', 'header name in lower case', {
      path: STREAM,
      header: { 'shard-iterator': 'AAAA' },
    }),
    requestCase('getRecords', 'header name in upper case', {
      path: STREAM,
      header: { 'SHARD-ITERATOR': 'AAAA' },
    }),
    requestCase('getShardIterator', 'shard-id missing', { path: STREAM }),
    requestCase('getRecords', 'Shard-Iterator missing', { path: STREAM }),
  );
  return cases;
}

// ---------------------------------------------------------------------------------------------
// kproxy's additions: ListShards (paging and filters), UpdateShardCount, DescribeStreamSummary
// ---------------------------------------------------------------------------------------------

function listShardsCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const list = (name: string, querystring: Record<string, string>, path: Record<string, string> = STREAM) =>
    cases.push(requestCase('listShards', name, { path, querystring }));
  list('no parameters', {});
  list('everything at once', {
    'max-results': '2',
    'exclusive-start-shard-id': 'shardId-000000000001',
    'shard-filter-type': 'AFTER_SHARD_ID',
    'shard-filter-shard-id': 'shardId-000000000003',
    'shard-filter-timestamp': '1700000000.5',
  });
  list('next page: a token and a page size', {
    'max-results': '2',
    'next-token': 'AAAAAAAAAAH2l5FvbA==',
  });
  list('a token ignores start and filter', {
    'next-token': 'eyJzdHJlYW0iOiJvcmRlcnMifQ==',
    'exclusive-start-shard-id': 'shardId-000000000001',
    'shard-filter-type': 'AT_LATEST',
  });
  list('blank token, start and filter', {
    'next-token': '',
    'exclusive-start-shard-id': '',
    'shard-filter-type': '',
    'shard-filter-shard-id': '',
    'shard-filter-timestamp': '',
    'max-results': '',
  });
  list('filter shard id and timestamp without a type', {
    'shard-filter-shard-id': 'shardId-000000000001',
    'shard-filter-timestamp': '1700000000',
  });
  for (const type of ShardFilterType.options) {
    list(`filter ${type}`, {
      'shard-filter-type': type,
      ...(type === 'AFTER_SHARD_ID' ? { 'shard-filter-shard-id': 'shardId-000000000000' } : {}),
      ...(type.endsWith('TIMESTAMP') ? { 'shard-filter-timestamp': '1700000000.123456' } : {}),
    });
  }
  for (const [name, value] of Object.entries({
    one: '1',
    max: '10000',
    zero: '0',
    'leading zero': '007',
    decimal: '1.5',
    exponent: '1e3',
    words: 'abc',
    'JSON injection': '1,"X":2',
    huge: '99999999999999999999999',
  })) {
    list(`max-results ${name}`, { 'max-results': value });
    list(`shard-filter-timestamp ${name}`, {
      'shard-filter-type': 'AT_TIMESTAMP',
      'shard-filter-timestamp': value,
    });
  }
  for (const [name, value] of Object.entries(PARAM_STRINGS)) {
    list(`next-token ${name}`, { 'next-token': value });
    list(`exclusive-start-shard-id ${name}`, { 'exclusive-start-shard-id': value });
    list(`shard-filter-type ${name}`, { 'shard-filter-type': value });
    list(`shard-filter-shard-id ${name}`, {
      'shard-filter-type': 'AFTER_SHARD_ID',
      'shard-filter-shard-id': value,
    });
    list(`stream name ${name}`, {}, { 'stream-name': value });
    cases.push(
      requestCase('describeStreamSummary', `stream name ${name}`, { path: { 'stream-name': value } }),
    );
  }
  cases.push(requestCase('describeStreamSummary', 'a stream', { path: STREAM }));
  return cases;
}

function updateShardCountCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const update = (name: string, body: string, path: Record<string, string> = STREAM) =>
    cases.push(requestCase('updateShardCount', name, { path, body }));
  update('a target', '{"TargetShardCount": 4}');
  update('a target and the scaling type', '{"TargetShardCount":3,"ScalingType":"UNIFORM_SCALING"}');
  update('empty body', '');
  update('empty object', '{}');
  update('unknown field', '{"TargetShardCount":2,"Extra":"x"}');
  update('duplicate keys', '{"TargetShardCount":2,"TargetShardCount":8}');
  for (const [name, value] of Object.entries({
    ...NON_STRINGS,
    'string count': '3',
    'empty string': '',
    'max count': 100_000,
    'one over the max': 100_001,
    ...STRINGS,
  })) {
    update(`TargetShardCount ${name}`, jsonText({ TargetShardCount: value }));
  }
  for (const [name, value] of Object.entries({
    'lower case': 'uniform_scaling',
    empty: '',
    null: null,
    array: ['UNIFORM_SCALING'],
    number: 1,
    'JSON injection': STRINGS['JSON injection'],
  })) {
    update(`ScalingType ${name}`, jsonText({ TargetShardCount: 2, ScalingType: value }));
  }
  for (const [name, value] of Object.entries(PARAM_STRINGS)) {
    update(`stream name ${name}`, '{"TargetShardCount":2}', { 'stream-name': value });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The integration response template: Kinesis error bodies
// ---------------------------------------------------------------------------------------------

const NAMESPACE = 'com.amazonaws.kinesis.v20131202#';
const CORAL_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.coral.service/';

/** The `__type` forms Kinesis and its emulators write. */
export function typeForms(name: string): Record<string, string> {
  return { bare: name, namespaced: `${NAMESPACE}${name}`, 'coral suffix': `${name}${CORAL_SUFFIX}` };
}

function errorCase(name: string, body: string, backendStatus: number): ConformanceCase {
  const context = caseContext('PUT', '/streams/{stream-name}/record');
  const selected = INTEGRATION_RESPONSES.find(
    (r) =>
      r.selectionPattern !== undefined &&
      new RegExp(`^(?:${r.selectionPattern})$`).test(String(backendStatus)),
  );
  if (!selected?.template) throw new Error(`no error template is selected for ${backendStatus}`);
  return {
    accepted: true,
    id: `integrationResponse: ${name} (backend ${backendStatus})`,
    templateName: 'integrationResponse',
    template: selected.template,
    httpMethod: 'PUT',
    resourcePath: '/streams/{stream-name}/record',
    body,
    path: STREAM,
    querystring: {},
    header: {},
    context: flattenContext(context),
  };
}

function integrationResponseCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const types = [...Object.keys(KINESIS_ERRORS), 'SomeFutureException', 'InvalidArgument'];
  for (const name of types) {
    for (const [form, type] of Object.entries(typeForms(name))) {
      const body = JSON.stringify({ __type: type, message: `${name} happened` });
      cases.push(errorCase(`${name} ${form}`, body, 400));
      if (
        name === 'InternalFailure' ||
        name === 'ServiceUnavailableException' ||
        name === 'SomeFutureException'
      ) {
        cases.push(errorCase(`${name} ${form}`, body, 500));
      }
    }
  }
  const odd: Record<string, string> = {
    'no __type': '{"message":"no type"}',
    'empty __type': '{"__type":""}',
    'null __type': '{"__type":null,"message":"m"}',
    'number __type': '{"__type":404}',
    'object __type': '{"__type":{"name":"ResourceNotFoundException"}}',
    'lower-case "Message"': '{"__type":"ResourceNotFoundException","Message":"Stream x not found"}',
    'hash only': '{"__type":"#"}',
    'colon only': '{"__type":":"}',
    'two hashes': '{"__type":"a#b#ResourceInUseException"}',
    'name as a prefix': '{"__type":"ResourceNotFoundExceptionX"}',
    'name as a suffix': '{"__type":"XResourceNotFoundException"}',
    'hostile message': jsonText({ __type: 'InvalidArgumentException', message: STRINGS['JSON injection'] }),
    'unicode message': jsonText({ __type: 'InvalidArgumentException', message: STRINGS['long unicode'] }),
    'lone surrogate in message': jsonText({
      __type: 'InvalidArgumentException',
      message: STRINGS['lone high surrogate'],
    }),
    'DEL in message': jsonText({
      __type: 'InvalidArgumentException',
      message: STRINGS['DEL with an escape'],
    }),
    'number fields':
      '{"__type":"LimitExceededException","message":"m","Retry":1.0,"Big":12345678901234567890}',
    'empty body': '',
    'empty object': '{}',
  };
  for (const [name, body] of Object.entries(odd)) cases.push(errorCase(name, body, 400));
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Probes: the parts of the template environment the contract's templates do not reach
// ---------------------------------------------------------------------------------------------

function probe(name: string, template: string, parts: Parts = {}): ConformanceCase {
  const context = caseContext('GET', '/probe/{id}');
  return {
    accepted: true,
    id: `probe: ${name}`,
    templateName: `probe:${name}`,
    template,
    httpMethod: 'GET',
    resourcePath: '/probe/{id}',
    body: parts.body ?? '',
    path: parts.path ?? { id: 'p1' },
    querystring: parts.querystring ?? {},
    header: parts.header ?? {},
    context: flattenContext(context),
  };
}

const PROBE_BODY = jsonText({
  s: 'text "quoted" / slash',
  n: new Raw('12345678901234567890'),
  d: new Raw('2.50'),
  t: true,
  z: null,
  o: { k: 'v', list: [1, 'x/y'] },
  a: ['one', { two: 2 }],
  'hyphen-key': 'h',
});

function probeCases(): ConformanceCase[] {
  const q = {
    querystring: { q: "a b&c=d/é*~!'()", blank: '', quotes: `it's "q" \\ / é \u007f` },
    header: { 'X-Custom': 'Header Value' },
  };
  return [
    probe(
      'context',
      '{"stage":"$context.stage","requestId":"$context.requestId","method":"$context.httpMethod","resourcePath":"$context.resourcePath","path":"$context.path","sourceIp":"$context.identity.sourceIp","userAgent":"$context.identity.userAgent","time":"$context.requestTime","epoch":$context.requestTimeEpoch,"missing":"$context.nothing","apiKey":"$context.identity.apiKey"}',
    ),
    probe(
      'params',
      '{"id":"$input.params(\'id\')","q":"$util.escapeJavaScript($input.params(\'q\'))","header":"$input.params(\'x-custom\')","absent":"$input.params(\'absent\')","blank":"$input.params(\'blank\')","all":"$util.escapeJavaScript($input.params())"}',
      q,
    ),
    probe('body', '{"raw":"$util.escapeJavaScript($input.body)"}', { body: PROBE_BODY }),
    probe(
      'json paths',
      "[$input.json('$'),$input.json('$.o.list[1]'),$input.json('$.a[*]'),$input.json('$..k'),$input.json('$.missing'),$input.json('$.z'),$input.json(\"$['hyphen-key']\")]",
      { body: PROBE_BODY },
    ),
    probe(
      'rendered values',
      '#set($b = $input.path(\'$\')){"s":"$b.s","n":"$b.n","d":"$b.d","t":"$b.t","z":"$b.z","o":"$util.escapeJavaScript($b.o)","a":"$util.escapeJavaScript($b.a)","h":"$b.hyphen-key","size":"$b.a.size()","missing":"$b.missing","quiet":"$!b.missing"}',
      { body: PROBE_BODY },
    ),
    probe(
      'util',
      '{"b64":"$util.base64Encode($input.params(\'q\'))","back":"$util.base64Decode($util.base64Encode($input.params(\'q\')))","url":"$util.urlEncode($input.params(\'q\'))","unurl":"$util.urlDecode(\'a+b%26c%3D%C3%A9\')","js":"$util.escapeJavaScript($input.params(\'quotes\')).replaceAll("\\\\\'","\'")","parsed":$util.parseJson(\'{"k":[1,2,{"x":"y"}]}\').k[2].x.length()}',
      q,
    ),
    probe(
      'truthiness',
      '#set($b = $input.path(\'$\'))#set($e = "")#set($zero = 0)[#if($e)empty#end][#if($zero)zero#end][#if($b.t)true#end][#if($b.z)null#end][#if($b.missing)missing#end][#if($b.a)array#end][#if(!$e)not-empty#end][#if($e && $b.t)and#end][#if($b.z || $e)or#end]',
      { body: PROBE_BODY },
    ),
    probe(
      'equality',
      '#set($b = $input.path(\'$\'))[#if($b.t == "true")bool-text#end][#if($b.s == $b.s)same#end][#if($b.n == 12345678901234567890)big#end][#if($b.missing == $b.z)nulls#end][#if($b.z != "")null-ne#end][#if($b.a == "one")list-text#end][#if($b.o == $b.o)map#end][#if($b.s > "a")string-gt#end]',
      { body: PROBE_BODY },
    ),
    probe(
      'set null',
      '#set($x = "kept")#set($x = $input.path(\'$.missing\'))#set($y = "kept too")#set($y = $nothing)["$x","$y"]',
    ),
    probe(
      'string methods',
      '#set($s = $input.params(\'id\'))["$s.length()","$s.replaceAll(\'p\', \'$0$0\')","$s.matches(\'p[0-9]\')","$s.toUpperCase()","$s.substring(1)","$s.indexOf(\'1\')","$s.contains(\'p\')","$s.startsWith(\'p\')","$s.endsWith(\'1\')","$s.empty","$s.length","$s.isEmpty()","$s.equals(\'p1\')","$s.concat(\'x\')","$s.trim()","$s.at(0)","$s.padStart(5)"]',
    ),
    probe(
      'foreach',
      '[#foreach($e in $input.path(\'$.a\'))"$foreach.index $foreach.count $foreach.hasNext $util.escapeJavaScript($e)"#if($foreach.hasNext),#end#end]',
      { body: PROBE_BODY },
    ),
    probe(
      'maps and lists',
      '#set($b = $input.path(\'$\'))#set($m = $b.o)#set($l = $b.a)["$m.get(\'k\')","$m.containsKey(\'k\')","$m.isEmpty()","$m.size()","$m.keySet()","$m.values()","$m.entrySet()"#foreach($e in $m.entrySet())"$e.key:$e.getValue()",#end,"$m.k","$m[\'k\']","$m.toString","$m.hasOwnProperty(\'k\')","$l.size()","$l.isEmpty()","$l.get(0)","$l[-1]","$l.contains(\'one\')","$l.empty","$l.length","$l.join(\'-\')","$b.n.toFixed(1)","$b.missing.anything()"]',
      { body: PROBE_BODY },
    ),
    probe('index out of range', '#set($l = $input.path(\'$.a\'))"$l[5]"', { body: PROBE_BODY }),
    probe(
      'paths',
      "[$input.json('$.a[-1]'),$input.json('$.a[9]'),$input.json('$.s.x'),$input.json('$.z.x'),$input.json('$.o.k.x'),\"$input.path('$.missing')\",\"$input.path('$.o')\"]",
      { body: PROBE_BODY },
    ),
    probe('index on text', "$input.json('$.s[0]')", { body: PROBE_BODY }),
    probe(
      'set on context',
      '#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X = "y"){}',
    ),
  ];
}

/** Every case, in a stable order; ids are unique. */
export async function buildCorpus(): Promise<ConformanceCase[]> {
  const seeds = SEED_BODIES.map((seed, i) =>
    requestCase(seed.op, `seed body ${i + 1}`, {
      path: { 'stream-name': 'PUT-Firehose-aEhWz' },
      body: seed.body,
    }),
  );
  const sent = (await clientRequests()).map((request) => requestCase(request.op, request.name, request));
  const cases = [
    ...seeds,
    ...sent,
    ...putRecordCases(),
    ...putRecordsCases(),
    ...createStreamCases(),
    ...parameterCases(),
    ...listShardsCases(),
    ...updateShardCountCases(),
    ...integrationResponseCases(),
    ...probeCases(),
  ];
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate case id: ${c.id}`);
    ids.add(c.id);
  }
  return cases;
}
