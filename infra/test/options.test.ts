/**
 * Non-default options: a stream the stack creates, named streams, CORS, a web ACL, no account-level
 * CloudWatch role, custom stage and limits; and the props the construct refuses.
 */
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  type OperationId,
  operations,
} from '@kproxy/contract';
import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { beforeAll, describe, expect, it } from 'vitest';
import { asArray, methodProperties, policyStatements, type Synthesized, synth } from './synth.ts';

const ORIGIN = 'https://app.example.com';
const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/kproxy/a1b2c3';

describe('a stack with every option set', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({
      authMode: 'api-key',
      stageName: 'prod',
      streamNames: ['orders', 'clicks'],
      createStream: { streamName: 'kproxy-events', shardCount: 2, retentionPeriod: Duration.hours(48) },
      corsAllowOrigin: ORIGIN,
      webAclArn: WEB_ACL,
      cloudWatchRole: false,
      throttle: { rateLimit: 50, burstLimit: 10 },
      apiKeyQuota: { limit: 5000, period: apigw.Period.DAY },
    });
  });

  it('creates the stream encrypted with the AWS-managed key and outputs its name', () => {
    s.template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'kproxy-events',
      ShardCount: 2,
      RetentionPeriodHours: 48,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    s.template.hasResource('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain' });
    s.template.hasOutput('KproxyStreamName', { Value: { Ref: s.logicalId(s.stack.stream!) } });
  });

  it('scopes the role to the created stream and the named streams, not to the default prefix', () => {
    const scoped = policyStatements(s.resources).filter((st) =>
      asArray(st.Action as string[]).includes('kinesis:PutRecord'),
    );
    expect(scoped).toHaveLength(1);
    const resources = asArray(scoped[0]!.Resource).map((r) => JSON.stringify(r));
    expect(resources).toHaveLength(3);
    expect(resources).toContain(JSON.stringify({ 'Fn::GetAtt': [s.logicalId(s.stack.stream!), 'Arn'] }));
    expect(resources.filter((r) => r.endsWith(':stream/orders"]]}'))).toHaveLength(1);
    expect(resources.filter((r) => r.endsWith(':stream/clicks"]]}'))).toHaveLength(1);
    expect(resources.join()).not.toContain('*');
  });

  it('answers CORS preflights and puts the origin on every response, gateway errors included', () => {
    const options = Object.values(s.resources).filter(
      (r) => r.Type === 'AWS::ApiGateway::Method' && r.Properties?.HttpMethod === 'OPTIONS',
    );
    expect(options.length).toBeGreaterThanOrEqual(5);
    // The preflight allows the contract's CORS headers, the same list the local emulator answers with.
    for (const method of options) {
      const preflight = (
        method.Properties as {
          Integration: { IntegrationResponses: Array<{ ResponseParameters: Record<string, string> }> };
        }
      ).Integration.IntegrationResponses[0]!.ResponseParameters;
      expect(preflight['method.response.header.Access-Control-Allow-Headers']).toBe(
        `'${CORS_ALLOW_HEADERS.join(',')}'`,
      );
      expect(preflight['method.response.header.Access-Control-Max-Age']).toBe(`'${CORS_MAX_AGE_SECONDS}'`);
      expect(preflight['method.response.header.Access-Control-Allow-Methods']).toBe(
        `'${CORS_ALLOW_METHODS.join(',')}'`,
      );
    }
    // Responses expose the request id and error type, as the emulator's do.
    const expose = `'${CORS_EXPOSE_HEADERS.join(',')}'`;
    for (const id of Object.keys(operations) as OperationId[]) {
      const { Integration, MethodResponses } = methodProperties(s, id);
      for (const response of Integration.IntegrationResponses) {
        expect(response.ResponseParameters).toEqual({
          'method.response.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
          'method.response.header.Access-Control-Expose-Headers': expose,
        });
      }
      for (const response of MethodResponses) {
        expect(response.ResponseParameters).toEqual({
          'method.response.header.Access-Control-Allow-Origin': true,
          'method.response.header.Access-Control-Expose-Headers': true,
        });
      }
    }
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      s.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: {
          'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGIN}'`,
          'gatewayresponse.header.Access-Control-Expose-Headers': expose,
        },
      });
    }
  });

  it('associates the web ACL with the stage', () => {
    s.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL });
  });

  it('leaves the account-level CloudWatch role alone when told to', () => {
    s.template.resourceCountIs('AWS::ApiGateway::Account', 0);
    expect(Object.values(s.resources).filter((r) => r.Type === 'AWS::IAM::Role')).toHaveLength(1);
  });

  it('applies the stage name, stage throttle and the usage plan limits', () => {
    s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 10 })],
    });
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 50, BurstLimit: 10 },
      Quota: { Limit: 5000, Period: 'DAY' },
    });
    expect(JSON.stringify(s.template.toJSON().Outputs.KproxyEndpoint.Value)).toMatch(/"\/prod"\]\]\}$/);
  });

  it('passes cdk-nag AwsSolutions', () => {
    expect(s.nagFindings).toEqual([]);
  });
});

describe('an on-demand stream and a custom prefix', () => {
  it('creates an on-demand stream without a shard count and keeps the given prefix', () => {
    const s = synth({ streamNamePrefix: 'app.', createStream: { streamMode: kinesis.StreamMode.ON_DEMAND } });
    s.template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
    });
    const resources = JSON.stringify(policyStatements(s.resources).map((st) => st.Resource));
    expect(resources).toContain(':stream/app.*"');
    expect(resources).not.toContain('kproxy-*');
    expect(s.nagFindings).toEqual([]);
  });
});

describe('refused props', () => {
  it.each([
    ['an empty prefix', { streamNamePrefix: '' }, /every stream of the account/],
    ['a wildcard prefix', { streamNamePrefix: '*' }, /streamNamePrefix/],
    ['an invalid stream name', { streamNames: ['my stream'] }, /stream name/],
    ['an invalid stage name', { stageName: 'v 1' }, /stageName/],
    ['a zero rate limit', { throttle: { rateLimit: 0, burstLimit: 1 } }, /rateLimit/],
  ])('refuses %s', (_, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
