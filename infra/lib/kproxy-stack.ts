/**
 * The deployable unit: the API, optionally a stream for it, and the outputs the CLI reads.
 */
import { STACK_OUTPUTS } from '@kproxy/contract';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type { Construct } from 'constructs';
import { KinesisProxyApi, type KinesisProxyApiProps } from './kinesis-proxy-api.ts';

/** A stream the stack creates and the API may use. */
export interface CreatedStreamProps {
  /**
   * The stream's name.
   * @default a name CloudFormation generates (see the `KproxyStreamName` output)
   */
  readonly streamName?: string;
  /**
   * Capacity mode. On-demand streams scale by themselves and cost more when idle.
   * @default StreamMode.PROVISIONED
   */
  readonly streamMode?: kinesis.StreamMode;
  /**
   * Shards of a provisioned stream.
   * @default 1
   */
  readonly shardCount?: number;
  /**
   * How long records stay readable.
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;
}

export interface KproxyStackProps extends StackProps, KinesisProxyApiProps {
  /**
   * Create a Kinesis stream (encrypted with the AWS-managed key `alias/aws/kinesis`) and let the API
   * use it, besides any `streamNamePrefix` / `streamNames`. The stream is retained when the stack is
   * destroyed: it holds data.
   * @default undefined (no stream)
   */
  readonly createStream?: CreatedStreamProps;
}

/**
 * Names of the stack outputs. The CLI and scripts read them (`cdk deploy --outputs-file`, or
 * `aws cloudformation describe-stacks`), so they are part of the interface: do not rename.
 */
export const OUTPUTS = STACK_OUTPUTS;

export class KproxyStack extends Stack {
  readonly proxy: KinesisProxyApi;
  /** The stream the stack created, if asked to. */
  readonly stream?: kinesis.Stream;

  constructor(scope: Construct, id: string, props: KproxyStackProps = {}) {
    super(scope, id, { description: 'kproxy: API Gateway REST API proxying Kinesis Data Streams', ...props });

    if (props.createStream) {
      const { streamName, streamMode, shardCount, retentionPeriod } = props.createStream;
      const onDemand = streamMode === kinesis.StreamMode.ON_DEMAND;
      this.stream = new kinesis.Stream(this, 'Stream', {
        streamName,
        streamMode: streamMode ?? kinesis.StreamMode.PROVISIONED,
        shardCount: onDemand ? undefined : (shardCount ?? 1),
        retentionPeriod: retentionPeriod ?? Duration.hours(24),
        encryption: kinesis.StreamEncryption.MANAGED,
      });
    }

    this.proxy = new KinesisProxyApi(this, 'KinesisProxyApi', {
      ...props,
      streams: [...(props.streams ?? []), ...(this.stream ? [this.stream] : [])],
    });

    new CfnOutput(this, OUTPUTS.endpoint, {
      description: 'Stage URL: pass it to the CLI as --endpoint (or KPROXY_ENDPOINT)',
      value: this.proxy.url,
    });
    new CfnOutput(this, OUTPUTS.region, {
      description: 'Region of the API (SigV4 signing region)',
      value: this.region,
    });
    new CfnOutput(this, OUTPUTS.authMode, {
      description: 'How to authenticate: iam | api-key | none (the CLI --auth value)',
      value: this.proxy.authMode,
    });
    new CfnOutput(this, OUTPUTS.apiId, { description: 'REST API id', value: this.proxy.api.restApiId });
    new CfnOutput(this, OUTPUTS.integrationRoleArn, {
      description: 'Role API Gateway assumes to call Kinesis (for `pnpm openapi --role-arn`)',
      value: this.proxy.integrationRole.roleArn,
    });
    if (this.proxy.apiKey) {
      new CfnOutput(this, OUTPUTS.apiKeyId, {
        description: 'API key id; its value: aws apigateway get-api-key --api-key <id> --include-value',
        value: this.proxy.apiKey.keyId,
      });
    }
    if (this.stream) {
      new CfnOutput(this, OUTPUTS.streamName, {
        description: 'The stream this stack created',
        value: this.stream.streamName,
      });
    }
  }
}
