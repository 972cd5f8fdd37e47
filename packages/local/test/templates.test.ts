/**
 * The contract's mapping templates rendered with this package's API Gateway `$input`, `$util` and
 * `$context`, for ordinary and hostile inputs. The rule for every request template: the output is valid
 * JSON and exactly the expected Kinesis request — no field added, removed or changed, whatever the caller
 * sent. (The conformance suite, `conformance/`, holds the same templates to Apache Velocity itself.)
 */
import {
  ERROR_RESPONSE_TEMPLATE,
  KINESIS_ERRORS,
  type OperationSpec,
  operations,
  requestTemplateOf,
  statusForKinesisError,
} from '@kproxy/contract';
import { describe, expect, it } from 'vitest';
import { createContext, createInput, renderTemplate } from '../src/index.ts';
import { b64, unb64 } from './helpers.ts';

interface RequestParts {
  path?: Record<string, string>;
  query?: Record<string, string>;
  header?: Record<string, string>;
  body?: unknown;
}

function render(operation: OperationSpec, parts: RequestParts): string {
  const body = parts.body === undefined ? '' : JSON.stringify(parts.body);
  const input = createInput(body, {
    path: parts.path ?? {},
    querystring: parts.query ?? {},
    header: parts.header ?? {},
  });
  const context = createContext({
    requestId: 'test-request',
    stage: 'v1',
    httpMethod: operation.method,
    resourcePath: operation.path,
    path: '/v1/test',
    domainName: 'localhost',
    sourceIp: '127.0.0.1',
    userAgent: 'vitest',
  });
  return renderTemplate(requestTemplateOf(operation), { input, context });
}

/** The parsed output, or undefined when it is not JSON. */
function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Valid JSON, and exactly `expected`. */
function expectSafe(rendered: string, expected: unknown): void {
  expect(parse(rendered), rendered).toStrictEqual(expected);
}

/** A numeric parameter goes in as a number when it is a JSON number, else as the text the caller sent. */
const literal = (value: string): unknown =>
  /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(value) ? Number(value) : value;

const HOSTILE = [
  'quote"inside',
  'back\\slash',
  'trailing\\',
  'new\nline\r\ttab',
  "single'quote",
  'ünïcødé ✓ 🎉',
  '}',
  '","X":"y',
  '\\","X":"y',
  '"},"X":{"y":"',
  '1,"X":"y"',
  '1}',
  '$input.body #set($x = 1) ${x}',
  '#end #if(true)',
  '\u2028\u2029\u0000\u001f',
  '/*</script>*/',
];

// ---------------------------------------------------------------------------------------------

describe('request templates render the exact Kinesis request for ordinary inputs', () => {
  it('listStreams: {} without parameters, Limit and ExclusiveStartStreamName when given', () => {
    expect(parse(render(operations.listStreams, {}))).toStrictEqual({});
    expect(parse(render(operations.listStreams, { query: { limit: '10' } }))).toStrictEqual({ Limit: 10 });
    expect(
      parse(
        render(operations.listStreams, { query: { limit: '2', 'exclusive-start-stream-name': 'a.b_c-1' } }),
      ),
    ).toStrictEqual({ Limit: 2, ExclusiveStartStreamName: 'a.b_c-1' });
    expect(
      parse(render(operations.listStreams, { query: { 'exclusive-start-stream-name': 's' } })),
    ).toStrictEqual({ ExclusiveStartStreamName: 's' });
  });

  it('createStream: ShardCount defaults to 5, is passed when given, ON_DEMAND replaces it', () => {
    const path = { 'stream-name': 'orders' };
    expect(parse(render(operations.createStream, { path, body: {} }))).toStrictEqual({
      StreamName: 'orders',
      ShardCount: 5,
    });
    expect(parse(render(operations.createStream, { path }))).toStrictEqual({
      StreamName: 'orders',
      ShardCount: 5,
    });
    expect(parse(render(operations.createStream, { path, body: { ShardCount: 2 } }))).toStrictEqual({
      StreamName: 'orders',
      ShardCount: 2,
    });
    expect(parse(render(operations.createStream, { path, body: { StreamMode: 'ON_DEMAND' } }))).toStrictEqual(
      {
        StreamName: 'orders',
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      },
    );
    expect(
      parse(render(operations.createStream, { path, body: { StreamMode: 'PROVISIONED', ShardCount: 3 } })),
    ).toStrictEqual({ StreamName: 'orders', ShardCount: 3 });
  });

  it('describeStream and deleteStream', () => {
    const path = { 'stream-name': 'orders' };
    expect(parse(render(operations.describeStream, { path }))).toStrictEqual({ StreamName: 'orders' });
    expect(
      parse(
        render(operations.describeStream, {
          path,
          query: { limit: '3', 'exclusive-start-shard-id': 'shardId-000000000001' },
        }),
      ),
    ).toStrictEqual({ StreamName: 'orders', Limit: 3, ExclusiveStartShardId: 'shardId-000000000001' });
    expect(parse(render(operations.deleteStream, { path }))).toStrictEqual({ StreamName: 'orders' });
  });

  it('putRecord: the seed body stores "some data" without quotes; optional fields only when given', () => {
    const path = { 'stream-name': 'orders' };
    const seed = parse(
      render(operations.putRecord, { path, body: { Data: 'some data', PartitionKey: 'some key' } }),
    );
    expect(seed).toStrictEqual({ StreamName: 'orders', Data: b64('some data'), PartitionKey: 'some key' });
    expect(unb64((seed as { Data: string }).Data)).toBe('some data');

    expect(
      parse(
        render(operations.putRecord, {
          path,
          body: {
            Data: 'AAEC/w==',
            Encoding: 'base64',
            PartitionKey: 'k',
            ExplicitHashKey: '42',
            SequenceNumberForOrdering: '49590338271490256608559692538361571095921575989136588898',
          },
        }),
      ),
    ).toStrictEqual({
      StreamName: 'orders',
      Data: 'AAEC/w==',
      PartitionKey: 'k',
      ExplicitHashKey: '42',
      SequenceNumberForOrdering: '49590338271490256608559692538361571095921575989136588898',
    });
    expect(
      parse(render(operations.putRecord, { path, body: { Data: 'x', Encoding: 'text', PartitionKey: 'k' } })),
    ).toStrictEqual({ StreamName: 'orders', Data: b64('x'), PartitionKey: 'k' });
  });

  it('putRecords: the seed body, mixed encodings and explicit hash keys, in order', () => {
    const rendered = render(operations.putRecords, {
      path: { 'stream-name': 'orders' },
      body: {
        records: [
          { data: 'some data', 'partition-key': 'some key' },
          { data: 'AP8=', 'partition-key': 'k2', encoding: 'base64', 'explicit-hash-key': '7' },
          { data: '', 'partition-key': 'k3', encoding: 'text' },
        ],
      },
    });
    expect(parse(rendered)).toStrictEqual({
      StreamName: 'orders',
      Records: [
        { Data: b64('some data'), PartitionKey: 'some key' },
        { Data: 'AP8=', PartitionKey: 'k2', ExplicitHashKey: '7' },
        { Data: '', PartitionKey: 'k3' },
      ],
    });
  });

  it('putRecords: 500 records render to 500 entries', () => {
    const records = Array.from({ length: 500 }, (_, i) => ({
      data: `record ${i}`,
      'partition-key': `key-${i}`,
    }));
    const parsed = parse(
      render(operations.putRecords, { path: { 'stream-name': 's' }, body: { records } }),
    ) as {
      Records: { Data: string; PartitionKey: string }[];
    };
    expect(parsed.Records).toHaveLength(500);
    expect(parsed.Records[499]).toStrictEqual({ Data: b64('record 499'), PartitionKey: 'key-499' });
  });

  it('getShardIterator: TRIM_HORIZON by default, every type and position when given', () => {
    const path = { 'stream-name': 'orders' };
    expect(
      parse(render(operations.getShardIterator, { path, query: { 'shard-id': 'shardId-000000000000' } })),
    ).toStrictEqual({
      StreamName: 'orders',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'TRIM_HORIZON',
    });
    for (const type of [
      'TRIM_HORIZON',
      'LATEST',
      'AT_SEQUENCE_NUMBER',
      'AFTER_SEQUENCE_NUMBER',
      'AT_TIMESTAMP',
    ]) {
      expect(
        parse(
          render(operations.getShardIterator, {
            path,
            query: { 'shard-id': 's-1', 'shard-iterator-type': type },
          }),
        ),
      ).toStrictEqual({ StreamName: 'orders', ShardId: 's-1', ShardIteratorType: type });
    }
    expect(
      parse(
        render(operations.getShardIterator, {
          path,
          query: {
            'shard-id': 's-1',
            'shard-iterator-type': 'AT_SEQUENCE_NUMBER',
            'starting-sequence-number': '123',
          },
        }),
      ),
    ).toStrictEqual({
      StreamName: 'orders',
      ShardId: 's-1',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: '123',
    });
    expect(
      parse(
        render(operations.getShardIterator, {
          path,
          query: { 'shard-id': 's-1', 'shard-iterator-type': 'AT_TIMESTAMP', timestamp: '1700000000.5' },
        }),
      ),
    ).toStrictEqual({
      StreamName: 'orders',
      ShardId: 's-1',
      ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: 1700000000.5,
    });
  });

  it('getRecords: the Shard-Iterator header, matched case-insensitively, and an optional Limit', () => {
    const path = { 'stream-name': 'orders' };
    const iterator = 'AAAAAAAAAAH+/=';
    expect(
      parse(render(operations.getRecords, { path, header: { 'shard-iterator': iterator } })),
    ).toStrictEqual({
      ShardIterator: iterator,
    });
    expect(
      parse(
        render(operations.getRecords, {
          path,
          header: { 'SHARD-ITERATOR': iterator },
          query: { limit: '25' },
        }),
      ),
    ).toStrictEqual({ ShardIterator: iterator, Limit: 25 });
  });
});

// ---------------------------------------------------------------------------------------------

describe('request templates cannot be made to add or change a field', () => {
  it.each(HOSTILE)('stream name %j', (name) => {
    const path = { 'stream-name': name };
    expectSafe(render(operations.listStreams, { query: { 'exclusive-start-stream-name': name } }), {
      ExclusiveStartStreamName: name,
    });
    expectSafe(render(operations.createStream, { path, body: {} }), { StreamName: name, ShardCount: 5 });
    expectSafe(render(operations.describeStream, { path }), { StreamName: name });
    expectSafe(render(operations.deleteStream, { path }), { StreamName: name });
    expectSafe(render(operations.putRecord, { path, body: { Data: 'd', PartitionKey: 'k' } }), {
      StreamName: name,
      Data: b64('d'),
      PartitionKey: 'k',
    });
    expectSafe(
      render(operations.putRecords, { path, body: { records: [{ data: 'd', 'partition-key': 'k' }] } }),
      {
        StreamName: name,
        Records: [{ Data: b64('d'), PartitionKey: 'k' }],
      },
    );
    expectSafe(render(operations.getShardIterator, { path, query: { 'shard-id': 's' } }), {
      StreamName: name,
      ShardId: 's',
      ShardIteratorType: 'TRIM_HORIZON',
    });
  });

  it.each(HOSTILE)('shard id, iterator type, sequence number and exclusive starts %j', (value) => {
    const path = { 'stream-name': 's' };
    expectSafe(render(operations.getShardIterator, { path, query: { 'shard-id': value } }), {
      StreamName: 's',
      ShardId: value,
      ShardIteratorType: 'TRIM_HORIZON',
    });
    expectSafe(
      render(operations.getShardIterator, { path, query: { 'shard-id': 'x', 'shard-iterator-type': value } }),
      {
        StreamName: 's',
        ShardId: 'x',
        ShardIteratorType: value,
      },
    );
    expectSafe(
      render(operations.getShardIterator, {
        path,
        query: {
          'shard-id': 'x',
          'shard-iterator-type': 'AT_SEQUENCE_NUMBER',
          'starting-sequence-number': value,
        },
      }),
      {
        StreamName: 's',
        ShardId: 'x',
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: value,
      },
    );
    expectSafe(render(operations.describeStream, { path, query: { 'exclusive-start-shard-id': value } }), {
      StreamName: 's',
      ExclusiveStartShardId: value,
    });
  });

  it.each(HOSTILE)('shard iterator header %j', (value) => {
    expectSafe(
      render(operations.getRecords, { path: { 'stream-name': 's' }, header: { 'Shard-Iterator': value } }),
      {
        ShardIterator: value,
      },
    );
  });

  it.each([...HOSTILE, '1', '1e3', '[1]', 'true', 'null', '{}', '1,2', '-1 '])(
    'numeric parameters %j',
    (value) => {
      // Inserted unquoted: a valid value stays one field; no quote survives escaping, so no key can be written.
      expectSafe(render(operations.listStreams, { query: { limit: value } }), { Limit: literal(value) });
      expectSafe(
        render(operations.describeStream, { path: { 'stream-name': 's' }, query: { limit: value } }),
        {
          StreamName: 's',
          Limit: literal(value),
        },
      );
      expectSafe(
        render(operations.getRecords, {
          path: { 'stream-name': 's' },
          header: { 'Shard-Iterator': 'i' },
          query: { limit: value },
        }),
        { ShardIterator: 'i', Limit: literal(value) },
      );
      expectSafe(
        render(operations.getShardIterator, {
          path: { 'stream-name': 's' },
          query: { 'shard-id': 'x', 'shard-iterator-type': 'AT_TIMESTAMP', timestamp: value },
        }),
        { StreamName: 's', ShardId: 'x', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: literal(value) },
      );
    },
  );

  it.each(HOSTILE)('record data and partition keys %j, which always stay valid JSON', (value) => {
    const path = { 'stream-name': 's' };
    const one = parse(render(operations.putRecord, { path, body: { Data: value, PartitionKey: value } }));
    expect(one).toStrictEqual({ StreamName: 's', Data: b64(value), PartitionKey: value });
    expect(unb64((one as { Data: string }).Data)).toBe(value);

    expect(
      parse(
        render(operations.putRecord, {
          path,
          body: { Data: value, Encoding: 'base64', PartitionKey: 'k', ExplicitHashKey: value },
        }),
      ),
    ).toStrictEqual({ StreamName: 's', Data: value, PartitionKey: 'k', ExplicitHashKey: value });

    const many = parse(
      render(operations.putRecords, {
        path,
        body: {
          records: [
            { data: value, 'partition-key': value },
            { data: value, 'partition-key': 'k', encoding: 'base64', 'explicit-hash-key': value },
          ],
        },
      }),
    );
    expect(many).toStrictEqual({
      StreamName: 's',
      Records: [
        { Data: b64(value), PartitionKey: value },
        { Data: value, PartitionKey: 'k', ExplicitHashKey: value },
      ],
    });
  });

  it('a body field named like a template field is not read as one', () => {
    const parsed = parse(
      render(operations.putRecord, {
        path: { 'stream-name': 's' },
        body: { Data: 'd', PartitionKey: 'k', StreamName: 'other', Records: [] },
      }),
    );
    expect(parsed).toStrictEqual({ StreamName: 's', Data: b64('d'), PartitionKey: 'k' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('the error response template', () => {
  function renderError(body: unknown) {
    const context = createContext({
      requestId: 'r',
      stage: 'v1',
      httpMethod: 'GET',
      resourcePath: '/streams',
      path: '/v1/streams',
      domainName: 'localhost',
      sourceIp: '127.0.0.1',
      userAgent: 'vitest',
    });
    const text = JSON.stringify(body);
    const rendered = renderTemplate(ERROR_RESPONSE_TEMPLATE, {
      input: createInput(text, { path: {}, querystring: {}, header: {} }),
      context,
    });
    return { status: context.responseOverride.status, body: parse(rendered) };
  }

  it.each([
    ['ResourceNotFoundException', 404],
    ['ResourceInUseException', 409],
    ['ProvisionedThroughputExceededException', 429],
    ['LimitExceededException', 429],
    ['ServiceUnavailableException', 503],
    ['com.amazonaws.kinesis.v20131202#ResourceNotFoundException', 404],
  ])('sets %s to %i and keeps the body', (type, status) => {
    const body = { __type: type, message: 'Stream "x" \\ ünï 🎉 not found' };
    expect(renderError(body)).toStrictEqual({ status, body });
  });

  it('leaves unknown errors to the selected status and keeps the body', () => {
    const body = { __type: 'SomeFutureException', message: 'new' };
    expect(renderError(body)).toStrictEqual({ status: undefined, body });
    expect(renderError({ message: 'no type' })).toStrictEqual({
      status: undefined,
      body: { message: 'no type' },
    });
  });

  it.each(Object.keys(KINESIS_ERRORS))(
    '%s: the status statusForKinesisError gives, bare, namespaced and with the x-amzn-ErrorType suffix',
    (name) => {
      for (const type of [
        name,
        `com.amazonaws.kinesis.v20131202#${name}`,
        `${name}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
      ]) {
        const body = { __type: type, message: 'm' };
        const rendered = renderError(body);
        expect(rendered.body).toStrictEqual(body);
        expect(rendered.status, type).toBe(statusForKinesisError(type, 400));
        expect(rendered.status, type).toBe(statusForKinesisError(type, 500));
      }
    },
  );
});
