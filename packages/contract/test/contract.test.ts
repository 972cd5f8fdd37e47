import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  classifyKinesisError,
  classifyStatus,
  ERROR_RESPONSE_TEMPLATE,
  executeApiRegion,
  expandPath,
  findGatewayError,
  GATEWAY_ERRORS,
  INTEGRATION_RESPONSES,
  KPROXY_OPERATION_IDS,
  kinesisErrorName,
  METHOD_RESPONSE_STATUSES,
  operations,
  PutRecordsBody,
  REQUEST_TEMPLATES,
  requestTemplateOf,
  SEED_OPERATION_IDS,
  statusForKinesisError,
} from '../src/index.ts';

const all = Object.values(operations);

describe('operations', () => {
  it("defines the seed's eight methods and kproxy's three additions, each on a distinct method + path", () => {
    expect(all).toHaveLength(11);
    const routes = all.map((op) => `${op.method} ${op.path}`);
    expect(new Set(routes).size).toBe(11);
    expect(routes).toContain('GET /streams/{stream-name}/records');
    expect(routes).toContain('PUT /streams/{stream-name}/records');
    expect(SEED_OPERATION_IDS).toHaveLength(8);
    // Together, and apart, they are the operations.
    expect([...SEED_OPERATION_IDS, ...KPROXY_OPERATION_IDS].sort()).toEqual(Object.keys(operations).sort());
    expect(KPROXY_OPERATION_IDS).toEqual(['listShards', 'updateShardCount', 'describeStreamSummary']);
    expect(KPROXY_OPERATION_IDS.map((id) => `${operations[id].method} ${operations[id].path}`)).toEqual([
      'GET /streams/{stream-name}/shards',
      'PUT /streams/{stream-name}/shard-count',
      'GET /streams/{stream-name}/summary',
    ]);
    expect(KPROXY_OPERATION_IDS.map((id) => operations[id].action)).toEqual([
      'ListShards',
      'UpdateShardCount',
      'DescribeStreamSummary',
    ]);
  });

  it('declares every path placeholder as a path parameter and nothing else as one', () => {
    for (const op of all) {
      const placeholders = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const pathParams = op.params.filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParams.sort(), op.id).toEqual(placeholders.sort());
    }
  });

  it('has a request template for every operation, and none for anything else', () => {
    expect(Object.keys(REQUEST_TEMPLATES).sort()).toEqual(Object.keys(operations).sort());
    expect(() => requestTemplateOf({ id: 'nope' })).toThrow(/nope/);
  });

  it('only reads declared parameters in its request template', () => {
    for (const op of all) {
      const read = [...requestTemplateOf(op).matchAll(/\$input\.params\('([^']+)'\)/g)].map((m) => m[1]);
      const declared = op.params.map((p) => p.name);
      for (const name of read) expect(declared, `${op.id} reads ${name}`).toContain(name);
    }
  });

  it('passes every request parameter through $util.escapeJavaScript', () => {
    for (const op of all) {
      const uses = requestTemplateOf(op).match(/\$input\.params\('[^']+'\)/g) ?? [];
      const escapedOrSet = requestTemplateOf(op).match(
        /(\$util\.escapeJavaScript\(\$input\.params\('[^']+'\)\)|#set\(\$\w+ = \$input\.params\('[^']+'\)\))/g,
      );
      expect(escapedOrSet?.length ?? 0, op.id).toBe(uses.length);
    }
  });

  it('generates draft-04 JSON Schema models for every body', () => {
    for (const op of all) {
      if (!op.body) continue;
      const schema = z.toJSONSchema(op.body, { target: 'draft-04' }) as Record<string, unknown>;
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(schema.type).toBe('object');
    }
  });
});

describe('request models', () => {
  it('accepts the seed API curl bodies unchanged', () => {
    expect(operations.putRecord.body.safeParse({ Data: 'some data', PartitionKey: 'some key' }).success).toBe(
      true,
    );
    expect(
      PutRecordsBody.safeParse({
        records: [
          { data: 'some data', 'partition-key': 'some key' },
          { data: 'some other data', 'partition-key': 'some key' },
        ],
      }).success,
    ).toBe(true);
    expect(operations.createStream.body.safeParse({ ShardCount: 5 }).success).toBe(true);
    expect(operations.createStream.body.safeParse({}).success).toBe(true);
  });

  it('rejects bodies Kinesis would refuse', () => {
    expect(operations.putRecord.body.safeParse({ Data: 'x', PartitionKey: '' }).success).toBe(false);
    expect(operations.putRecord.body.safeParse({ Data: 'x', PartitionKey: 'k'.repeat(257) }).success).toBe(
      false,
    );
    expect(
      operations.putRecord.body.safeParse({ Data: 'x', PartitionKey: 'k', ExplicitHashKey: '01' }).success,
    ).toBe(false);
    expect(PutRecordsBody.safeParse({ records: [] }).success).toBe(false);
    const tooMany = Array.from({ length: 501 }, () => ({ data: 'x', 'partition-key': 'k' }));
    expect(PutRecordsBody.safeParse({ records: tooMany }).success).toBe(false);
    expect(operations.createStream.body.safeParse({ ShardCount: 0 }).success).toBe(false);
  });

  it('takes a target shard count, and only the scaling type Kinesis has', () => {
    const body = operations.updateShardCount.body;
    expect(body.safeParse({ TargetShardCount: 4 }).success).toBe(true);
    expect(body.safeParse({ TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' }).success).toBe(true);
    expect(body.safeParse({}).success).toBe(false);
    expect(body.safeParse({ TargetShardCount: 0 }).success).toBe(false);
    expect(body.safeParse({ TargetShardCount: 1.5 }).success).toBe(false);
    expect(body.safeParse({ TargetShardCount: '4' }).success).toBe(false);
    expect(body.safeParse({ TargetShardCount: 4, ScalingType: 'uniform_scaling' }).success).toBe(false);
  });
});

describe('errors', () => {
  it('maps Kinesis error types to meaningful statuses', () => {
    expect(statusForKinesisError('ResourceNotFoundException')).toBe(404);
    expect(statusForKinesisError('com.amazonaws.kinesis.v20131202#ResourceInUseException')).toBe(409);
    expect(statusForKinesisError('ProvisionedThroughputExceededException')).toBe(429);
    expect(statusForKinesisError('LimitExceededException')).toBe(429);
    expect(statusForKinesisError('InvalidArgumentException')).toBe(400);
    expect(statusForKinesisError('ExpiredIteratorException')).toBe(400);
    expect(statusForKinesisError('SomethingNew', 503)).toBe(500);
    expect(statusForKinesisError('ServiceUnavailableException', 503)).toBe(503);
  });

  it('tells a spent shard quota from a request rate in LimitExceededException', () => {
    const quota = classifyKinesisError(
      'LimitExceededException',
      'This request would exceed the shard limit for the account 123456789012 in us-east-1.',
    );
    expect(quota).toMatchObject({ errorClass: 'QuotaExceededError', retryable: false, fatal: true });
    const rate = classifyKinesisError(
      'LimitExceededException',
      'Rate exceeded for stream s under account 1.',
    );
    expect(rate).toMatchObject({ errorClass: 'ThrottledError', retryable: true, fatal: false });
  });

  it('classifies unknown Kinesis types by the backend status', () => {
    expect(classifyKinesisError('ns#SomethingNew')).toMatchObject({
      errorClass: 'ValidationError',
      retryable: false,
    });
    expect(classifyKinesisError('SomethingNew', '', 503)).toMatchObject({
      errorClass: 'ServerError',
      retryable: true,
    });
    expect(classifyKinesisError('ResourceNotFoundException:http://internal.amazon.com/x').status).toBe(404);
  });

  it("recognises API Gateway's own answers by their exact texts or error type", () => {
    expect(findGatewayError(403, 'Missing Authentication Token')).toBe(
      GATEWAY_ERRORS.missingAuthenticationToken,
    );
    expect(findGatewayError(403, 'Signature expired: 20250101T000000Z is now earlier than …')).toBe(
      GATEWAY_ERRORS.signatureExpired,
    );
    expect(findGatewayError(429, 'Limit Exceeded')).toBe(GATEWAY_ERRORS.quotaExceeded);
    expect(findGatewayError(429, 'Too Many Requests')).toBe(GATEWAY_ERRORS.throttled);
    expect(findGatewayError(403, 'something else', 'ForbiddenException:http://x')).toBe(
      GATEWAY_ERRORS.forbidden,
    );
    expect(findGatewayError(403, 'Forbidden!')).toBeUndefined();
    expect(classifyStatus(503)).toMatchObject({ errorClass: 'ServerError', retryable: true });
    expect(classifyStatus(404)).toMatchObject({ errorClass: 'NotFoundError', fatal: true });
  });

  it('strips namespaces and suffixes from __type', () => {
    expect(kinesisErrorName('ResourceNotFoundException')).toBe('ResourceNotFoundException');
    expect(kinesisErrorName('ns#ExpiredIteratorException:http://internal')).toBe('ExpiredIteratorException');
  });

  it('routes 4xx and 5xx through the status-override template and declares every status', () => {
    expect(INTEGRATION_RESPONSES.map((r) => r.selectionPattern)).toEqual([undefined, '4\\d{2}', '5\\d{2}']);
    expect(ERROR_RESPONSE_TEMPLATE).toContain("'ResourceNotFoundException': 404");
    expect(ERROR_RESPONSE_TEMPLATE).toContain('#set($context.responseOverride.status = $statuses[$name])');
    expect(METHOD_RESPONSE_STATUSES).toEqual([200, 400, 403, 404, 409, 429, 500, 503]);
  });
});

describe('expandPath', () => {
  it('percent-encodes values and refuses missing ones', () => {
    expect(expandPath('/streams/{stream-name}/records', { 'stream-name': 'a b/c' })).toBe(
      '/streams/a%20b%2Fc/records',
    );
    expect(() => expandPath('/streams/{stream-name}', {})).toThrow(/stream-name/);
  });
});

describe('executeApiRegion', () => {
  it('reads the region of an API Gateway default host name, and of no other host', () => {
    expect(executeApiRegion('abc123.execute-api.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(executeApiRegion('abc123.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(executeApiRegion('ABC123.Execute-Api.us-east-2.amazonaws.com')).toBe('us-east-2');
    for (const host of [
      'api.example.com',
      '127.0.0.1',
      'execute-api.eu-west-1.amazonaws.com',
      'abc.execute-api.eu-west-1.amazonaws.com.evil.example',
      'kinesis.eu-west-1.amazonaws.com',
    ]) {
      expect(executeApiRegion(host)).toBeUndefined();
    }
  });
});
