/**
 * Each auth mode: the methods' authorization, the resources only that mode creates, its output, and
 * a clean cdk-nag report (the default `iam` mode is covered in stack.test.ts).
 */
import { type OperationId, operations } from '@kproxy/contract';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodProperties, type Synthesized, synth } from './synth.ts';

const ids = Object.keys(operations) as OperationId[];

describe('authMode api-key', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ authMode: 'api-key' });
  });

  it('requires an API key on every method, without IAM auth', () => {
    for (const id of ids) {
      const props = methodProperties(s, id);
      expect(props.AuthorizationType, id).toBe('NONE');
      expect(props.ApiKeyRequired, id).toBe(true);
    }
    s.template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'HEADER' });
  });

  it('creates one API key in a usage plan with a throttle and a quota on the stage', () => {
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 1);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 100, BurstLimit: 200 },
      Quota: { Limit: 1_000_000, Period: 'MONTH' },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    s.template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
      KeyId: { Ref: s.logicalId(s.stack.proxy.apiKey!) },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: s.logicalId(s.stack.proxy.usagePlan!) },
    });
  });

  it('outputs the mode and the key id, never the key value', () => {
    s.template.hasOutput('KproxyAuthMode', { Value: 'api-key' });
    s.template.hasOutput('KproxyApiKeyId', { Value: { Ref: s.logicalId(s.stack.proxy.apiKey!) } });
    expect(JSON.stringify(s.template.toJSON().Outputs)).not.toMatch(
      /"Fn::GetAtt":\["[^"]*ApiKey[^"]*","Value"/,
    );
    s.template.hasResourceProperties('AWS::ApiGateway::ApiKey', { Value: Match.absent() });
  });

  it('passes cdk-nag AwsSolutions', () => {
    expect(s.nagFindings).toEqual([]);
  });
});

describe('authMode none', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ authMode: 'none' });
  });

  it('leaves every method open and creates no key or usage plan', () => {
    for (const id of ids) {
      const props = methodProperties(s, id);
      expect(props.AuthorizationType, id).toBe('NONE');
      expect(props.ApiKeyRequired ?? false, id).toBe(false);
    }
    s.template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    s.template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
    s.template.hasOutput('KproxyAuthMode', { Value: 'none' });
    expect(s.template.toJSON().Outputs.KproxyApiKeyId).toBeUndefined();
  });

  it('passes cdk-nag AwsSolutions (the open methods acknowledged as an explicit choice)', () => {
    expect(s.nagFindings).toEqual([]);
  });
});
