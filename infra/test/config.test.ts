/**
 * Reading the app's configuration from CDK context: defaults, `-c key=value` strings, typed cdk.json
 * values and clear errors for malformed ones. No synthesis involved.
 */
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../lib/config.ts';

const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('readConfig', () => {
  it('defaults to IAM auth, stage v1, the kproxy- prefix, no stream and no CORS', () => {
    const config = readConfig(context({}));
    expect(config.stackName).toBe('Kproxy');
    expect(config.nag).toBe(true);
    expect(config.stackProps).toMatchObject({
      authMode: 'iam',
      apiName: 'kproxy',
      stageName: 'v1',
      streamNamePrefix: 'kproxy-',
      streamNames: [],
      createStream: undefined,
      throttle: { rateLimit: 100, burstLimit: 200 },
      apiKeyQuota: { limit: 1_000_000, period: apigw.Period.MONTH },
      corsAllowOrigin: undefined,
      accessLogRetention: 30,
      cloudWatchRole: true,
      webAclArn: undefined,
    });
  });

  it('parses the strings `cdk -c` passes', () => {
    const { stackProps, nag } = readConfig(
      context({
        authMode: 'api-key',
        streamNames: 'orders, clicks',
        createStream: 'events',
        createStreamMode: 'on_demand',
        throttleRateLimit: '25.5',
        throttleBurstLimit: '50',
        apiKeyQuotaPeriod: 'week',
        cloudWatchRole: 'false',
        nag: 'false',
        logRetentionDays: '7',
      }),
    );
    expect(nag).toBe(false);
    expect(stackProps.authMode).toBe('api-key');
    expect(stackProps.streamNames).toEqual(['orders', 'clicks']);
    expect(stackProps.streamNamePrefix, 'naming streams replaces the default prefix').toBeUndefined();
    expect(stackProps.createStream).toMatchObject({
      streamName: 'events',
      streamMode: kinesis.StreamMode.ON_DEMAND,
    });
    expect(stackProps.throttle).toEqual({ rateLimit: 25.5, burstLimit: 50 });
    expect(stackProps.apiKeyQuota?.period).toBe(apigw.Period.WEEK);
    expect(stackProps.cloudWatchRole).toBe(false);
    expect(stackProps.accessLogRetention).toBe(7);
  });

  it('accepts typed values from cdk.json and keeps an explicit prefix beside named streams', () => {
    const { stackProps } = readConfig(
      context({
        streamNames: ['a', 'b'],
        streamNamePrefix: 'app-',
        createStream: 'true',
        throttleRateLimit: 10,
      }),
    );
    expect(stackProps.streamNames).toEqual(['a', 'b']);
    expect(stackProps.streamNamePrefix).toBe('app-');
    expect(
      stackProps.createStream?.streamName,
      'createStream=true lets CloudFormation name it',
    ).toBeUndefined();
    expect(stackProps.throttle?.rateLimit).toBe(10);
  });

  it.each([
    [{ authMode: 'iam-ish' }, /authMode must be one of iam, api-key, none/],
    [{ throttleRateLimit: 'fast' }, /throttleRateLimit must be a number/],
    [{ cloudWatchRole: 'yes' }, /cloudWatchRole must be true or false/],
    [{ apiKeyQuotaPeriod: 'YEAR' }, /apiKeyQuotaPeriod must be one of DAY, WEEK, MONTH/],
    [{ logRetentionDays: '31' }, /logRetentionDays/],
  ])('refuses %j', (values, message) => {
    expect(() => readConfig(context(values))).toThrow(message);
  });
});
