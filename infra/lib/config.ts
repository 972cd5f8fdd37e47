/**
 * The app's configuration, read from CDK context (`cdk.json`, `cdk.context.json` or `-c key=value`).
 *
 * Values given with `-c` arrive as strings, values in `cdk.json` may be typed: every reader accepts
 * both and fails with the key's name when a value is malformed. Defaults are those of the construct.
 */
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AUTH_MODES, isAuthMode } from './auth-mode.ts';
import { KINESIS_PROXY_API_DEFAULTS } from './kinesis-proxy-api.ts';
import type { KproxyStackProps } from './kproxy-stack.ts';

/** A context value that is missing or malformed: the message names the key and what it must be. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The context keys the app reads, each with its default. Documented in infra/README.md. */
export const CONTEXT_DEFAULTS = {
  stackName: 'Kproxy',
  authMode: KINESIS_PROXY_API_DEFAULTS.authMode,
  apiName: KINESIS_PROXY_API_DEFAULTS.apiName,
  stageName: KINESIS_PROXY_API_DEFAULTS.stageName,
  /** Applies only when neither `streamNames` nor `createStream` is given. */
  streamNamePrefix: KINESIS_PROXY_API_DEFAULTS.streamNamePrefix,
  streamNames: '',
  createStream: '',
  createStreamMode: 'PROVISIONED',
  createStreamShardCount: 1,
  createStreamRetentionHours: 24,
  throttleRateLimit: KINESIS_PROXY_API_DEFAULTS.throttle.rateLimit,
  throttleBurstLimit: KINESIS_PROXY_API_DEFAULTS.throttle.burstLimit,
  apiKeyQuotaLimit: KINESIS_PROXY_API_DEFAULTS.apiKeyQuota.limit,
  apiKeyQuotaPeriod: 'MONTH',
  corsAllowOrigin: '',
  logRetentionDays: 30,
  cloudWatchRole: true,
  webAclArn: '',
  nag: true,
} as const;

export type ContextKey = keyof typeof CONTEXT_DEFAULTS;

/** The app's settings: the stack's props plus what the app itself decides. */
export interface AppConfig {
  readonly stackName: string;
  /** Run cdk-nag's AwsSolutions checks on every synth (errors fail the synth). */
  readonly nag: boolean;
  readonly stackProps: KproxyStackProps;
}

/** Something that holds CDK context, such as `app.node`. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

export function readConfig(source: ContextSource): AppConfig {
  const read = new ContextReader(source);

  const authMode = read.string('authMode');
  if (!isAuthMode(authMode)) {
    throw new ConfigError(`context authMode must be one of ${AUTH_MODES.join(', ')}; got "${authMode}"`);
  }

  const streamNames = read.list('streamNames');
  const createStream = read.string('createStream');
  const prefixGiven = source.tryGetContext('streamNamePrefix') !== undefined;
  // The default prefix is a fallback: naming streams or creating one replaces it unless it is set too.
  const streamNamePrefix =
    prefixGiven || (streamNames.length === 0 && !createStream) ? read.string('streamNamePrefix') : undefined;

  const logRetentionDays = read.number('logRetentionDays');
  if (!Object.values(logs.RetentionDays).includes(logRetentionDays)) {
    throw new ConfigError(
      `context logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, …)`,
    );
  }

  return {
    stackName: read.string('stackName'),
    nag: read.boolean('nag'),
    stackProps: {
      authMode,
      apiName: read.string('apiName'),
      stageName: read.string('stageName'),
      streamNamePrefix,
      streamNames,
      createStream: createStream ? readCreatedStream(read, createStream) : undefined,
      throttle: {
        rateLimit: read.number('throttleRateLimit'),
        burstLimit: read.number('throttleBurstLimit'),
      },
      apiKeyQuota: {
        limit: read.number('apiKeyQuotaLimit'),
        period: read.oneOf('apiKeyQuotaPeriod', apigw.Period),
      },
      corsAllowOrigin: read.string('corsAllowOrigin') || undefined,
      accessLogRetention: logRetentionDays as logs.RetentionDays,
      cloudWatchRole: read.boolean('cloudWatchRole'),
      webAclArn: read.string('webAclArn') || undefined,
    },
  };
}

/** `createStream=<name>` names the stream; `createStream=true` lets CloudFormation name it. */
function readCreatedStream(read: ContextReader, createStream: string): KproxyStackProps['createStream'] {
  return {
    streamName: createStream === 'true' ? undefined : createStream,
    streamMode: read.oneOf('createStreamMode', kinesis.StreamMode),
    shardCount: read.number('createStreamShardCount'),
    retentionPeriod: Duration.hours(read.number('createStreamRetentionHours')),
  };
}

class ContextReader {
  constructor(private readonly source: ContextSource) {}

  private raw(key: ContextKey): unknown {
    return this.source.tryGetContext(key) ?? CONTEXT_DEFAULTS[key];
  }

  string(key: ContextKey): string {
    const value = this.raw(key);
    if (typeof value !== 'string')
      throw new ConfigError(`context ${key} must be a string; got ${String(value)}`);
    return value.trim();
  }

  number(key: ContextKey): number {
    const value = this.raw(key);
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new ConfigError(`context ${key} must be a number; got ${String(value)}`);
    }
    return number;
  }

  boolean(key: ContextKey): boolean {
    const value = this.raw(key);
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new ConfigError(`context ${key} must be true or false; got ${String(value)}`);
  }

  /** A comma-separated string (`-c streamNames=a,b`) or a JSON array in cdk.json. */
  list(key: ContextKey): string[] {
    const value = this.raw(key);
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
    if (!items?.every((item) => typeof item === 'string')) {
      throw new ConfigError(`context ${key} must be a comma-separated list of names; got ${String(value)}`);
    }
    return items.map((item) => item.trim()).filter(Boolean);
  }

  /** One of an enum's values, e.g. `MONTH` of `apigw.Period`. */
  oneOf<T extends string>(key: ContextKey, values: Record<string, T>): T {
    const value = this.string(key).toUpperCase();
    const allowed = Object.values(values);
    const match = allowed.find((allowedValue) => allowedValue === value);
    if (!match) throw new ConfigError(`context ${key} must be one of ${allowed.join(', ')}; got "${value}"`);
    return match;
  }
}
