/**
 * The default deployment (no context): every route built from the contract, IAM auth, the
 * integration role scoped to the `kproxy-` prefix, logging, throttling and the outputs.
 */
import {
  INTEGRATION_RESPONSES,
  METHOD_RESPONSE_STATUSES,
  type OperationId,
  type OperationSpec,
  operations,
  requestTemplateOf,
} from '@kproxy/contract';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  asArray,
  type MethodProperties,
  methodProperties as methodPropertiesOf,
  policyStatements,
  type Synthesized,
  synth,
} from './synth.ts';

const all: OperationSpec[] = Object.values(operations);
let s: Synthesized;

beforeAll(() => {
  s = synth();
});

/** The method of an operation, checked to sit on the operation's path. */
function methodProperties(op: OperationSpec): MethodProperties {
  expect(s.stack.proxy.methods[op.id as OperationId].resource.path).toBe(op.path);
  return methodPropertiesOf(s, op.id as OperationId);
}

describe('methods', () => {
  it("deploys exactly the contract's routes (the seed's eight and kproxy's additions) and nothing else", () => {
    s.template.resourceCountIs('AWS::ApiGateway::Method', all.length);
    expect(all).toHaveLength(11);
    const routes = Object.values(s.stack.proxy.methods).map((m) => `${m.httpMethod} ${m.resource.path}`);
    expect(routes.sort()).toEqual(all.map((op) => `${op.method} ${op.path}`).sort());
  });

  it.each(all)('$method $path calls Kinesis $action with the contract template, byte for byte', (op) => {
    const props = methodProperties(op);
    expect(props.HttpMethod).toBe(op.method);
    const integration = props.Integration;
    expect(integration.Type).toBe('AWS');
    expect(integration.IntegrationHttpMethod).toBe('POST');
    expect(integration.PassthroughBehavior).toBe('NEVER');
    expect(integration.RequestParameters).toEqual({
      'integration.request.header.Content-Type': "'application/x-amz-json-1.1'",
    });
    expect(Object.keys(integration.RequestTemplates)).toEqual(['application/json']);
    expect(integration.RequestTemplates['application/json']).toBe(requestTemplateOf(op));
    expect(JSON.stringify(integration.Uri)).toContain(`:kinesis:action/${op.action}"`);
    expect(integration.Credentials).toEqual({
      'Fn::GetAtt': [s.logicalId(s.stack.proxy.integrationRole), 'Arn'],
    });
  });

  it.each(all)('$method $path maps Kinesis answers with the contract integration responses', (op) => {
    const { Integration, MethodResponses } = methodProperties(op);
    expect(Integration.IntegrationResponses).toEqual(
      INTEGRATION_RESPONSES.map((r) => ({
        StatusCode: String(r.statusCode),
        ...(r.selectionPattern && { SelectionPattern: r.selectionPattern }),
        ...(r.template && { ResponseTemplates: { 'application/json': r.template } }),
      })),
    );
    expect(MethodResponses.map((r) => r.StatusCode)).toEqual(METHOD_RESPONSE_STATUSES.map(String));
  });

  it.each(all)('$method $path declares its parameters with their required flags', (op) => {
    const where = { path: 'path', query: 'querystring', header: 'header' } as const;
    const expected = Object.fromEntries(
      op.params.map((p) => [`method.request.${where[p.in]}.${p.name}`, p.required]),
    );
    expect(methodProperties(op).RequestParameters).toEqual(expected);
  });

  it('requires SigV4 (AWS_IAM) on every method by default, and no API key', () => {
    for (const op of all) {
      const props = methodProperties(op);
      expect(props.AuthorizationType, op.id).toBe('AWS_IAM');
      expect(props.ApiKeyRequired ?? false, op.id).toBe(false);
    }
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });
});

describe('validation', () => {
  it('validates bodies and parameters of every method with one validator', () => {
    s.template.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    const validatorId = s.logicalId(s.stack.proxy.requestValidator);
    for (const op of all) expect(methodProperties(op).RequestValidatorId).toEqual({ Ref: validatorId });
  });

  it('attaches a draft-04 model generated from the contract to every method with a body', () => {
    const withBody = all.filter((op) => op.body);
    expect(withBody.map((op) => op.id)).toEqual([
      'createStream',
      'putRecord',
      'putRecords',
      'updateShardCount',
    ]);
    s.template.resourceCountIs('AWS::ApiGateway::Model', withBody.length);
    for (const op of withBody) {
      const model = s.stack.proxy.models[op.id as OperationId]!;
      const props = s.resources[s.logicalId(model)]!.Properties!;
      expect(props.ContentType).toBe('application/json');
      expect(props.Schema).toEqual(z.toJSONSchema(op.body!, { target: 'draft-04' }));
      expect((props.Schema as { $schema: string }).$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(methodProperties(op).RequestModels).toEqual({ 'application/json': { Ref: s.logicalId(model) } });
    }
    for (const op of all.filter((o) => !o.body)) expect(methodProperties(op).RequestModels).toBeUndefined();
  });
});

describe('integration role', () => {
  const kinesisActions = all.map((op) => `kinesis:${op.action}`);

  it('is assumed by API Gateway only', () => {
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'apigateway.amazonaws.com' } }),
        ],
      },
      Policies: Match.anyValue(),
    });
  });

  it('may use exactly the Kinesis actions of the routes', () => {
    const granted = policyStatements(s.resources)
      .flatMap((statement) => asArray(statement.Action as string | string[]))
      .filter((action) => action.startsWith('kinesis:'));
    expect(new Set(granted)).toEqual(new Set(kinesisActions));
  });

  it('grants no wildcard action and nothing but ListStreams on "*"', () => {
    for (const statement of policyStatements(s.resources)) {
      const actions = asArray(statement.Action as string | string[]);
      expect(actions).not.toContain('*');
      expect(actions).not.toContain('kinesis:*');
      for (const action of actions) expect(action, 'no action wildcards').not.toMatch(/\*/);
      if (asArray(statement.Resource).includes('*')) expect(actions).toEqual(['kinesis:ListStreams']);
    }
  });

  it("grants kproxy's shard actions (list, summary, reshard) by name, on the stream scope only", () => {
    const added = ['kinesis:ListShards', 'kinesis:DescribeStreamSummary', 'kinesis:UpdateShardCount'];
    const granting = policyStatements(s.resources).filter((statement) =>
      asArray(statement.Action as string | string[]).some((action) => added.includes(action)),
    );
    expect(granting).toHaveLength(1);
    for (const action of added) expect(asArray(granting[0]!.Action as string | string[])).toContain(action);
    expect(asArray(granting[0]!.Resource)).not.toContain('*');
  });

  it('grants every write, create, delete and reshard action only on the kproxy- stream prefix', () => {
    const writes = [
      'kinesis:PutRecord',
      'kinesis:PutRecords',
      'kinesis:CreateStream',
      'kinesis:DeleteStream',
      'kinesis:UpdateShardCount',
    ];
    const statements = policyStatements(s.resources).filter((statement) =>
      asArray(statement.Action as string | string[]).some((action) => writes.includes(action)),
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const resources = asArray(statement.Resource);
      expect(resources).not.toContain('*');
      expect(resources).toHaveLength(1);
      expect(JSON.stringify(resources[0])).toMatch(
        /":kinesis:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":stream\/kproxy-\*"\]/,
      );
    }
  });
});

describe('stage', () => {
  it('is a regional API with stage v1, throttled, logging errors but never bodies', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Name: 'kproxy',
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
  });

  it('keeps access logs for 30 days and sets the account-level CloudWatch role (retained)', () => {
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    s.template.resourceCountIs('AWS::ApiGateway::Account', 1);
    s.template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
  });

  it('has no CORS preflight methods unless asked', () => {
    expect(Object.values(s.resources).some((r) => r.Properties?.HttpMethod === 'OPTIONS')).toBe(false);
    s.template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 0);
  });
});

describe('outputs', () => {
  it('publishes the endpoint, region, auth mode, API id and role under stable names', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      ['KproxyApiId', 'KproxyAuthMode', 'KproxyEndpoint', 'KproxyIntegrationRoleArn', 'KproxyRegion'].sort(),
    );
    expect(outputs.KproxyAuthMode!.Value).toBe('iam');
    expect(outputs.KproxyRegion!.Value).toEqual({ Ref: 'AWS::Region' });
    const endpoint = JSON.stringify(outputs.KproxyEndpoint!.Value);
    expect(endpoint).toContain('"https://"');
    expect(endpoint).toContain('".execute-api."');
    expect(endpoint, 'stage URL without a trailing slash').toMatch(/"\/v1"\]\]\}$/);
  });
});

describe('cdk-nag', () => {
  it('passes the AwsSolutions pack, every accepted finding acknowledged with a reason', () => {
    expect(s.nagFindings).toEqual([]);
  });
});
