/**
 * What the integration role may do in Kinesis: exactly the actions of the contract's operations (the
 * seed's eight and kproxy's additions), on exactly the streams the API is meant for.
 */
import { NAME_PATTERN, operations } from '@kproxy/contract';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type { IConstruct } from 'constructs';

/**
 * Kinesis actions that have no resource-level permissions: IAM only accepts them on `*`.
 * All of them are read/list actions; a write action never appears here.
 */
export const ACCOUNT_LEVEL_ACTIONS: ReadonlySet<string> = new Set(['ListStreams']);

/** Every Kinesis action the API's routes call, derived from the contract (`kinesis:PutRecord`, …). */
export const API_ACTIONS: readonly string[] = [
  ...new Set(Object.values(operations).map((op) => `kinesis:${op.action}`)),
].sort();

/** The actions that act on one stream, and so are granted on stream ARNs only. */
export const STREAM_ACTIONS: readonly string[] = API_ACTIONS.filter(
  (action) => !ACCOUNT_LEVEL_ACTIONS.has(action.slice('kinesis:'.length)),
);

/** The account-level actions, granted on `*`. */
export const LIST_ACTIONS: readonly string[] = API_ACTIONS.filter((action) =>
  ACCOUNT_LEVEL_ACTIONS.has(action.slice('kinesis:'.length)),
);

/**
 * Which streams the API may reach: the union of the three. `KinesisProxyApi` uses the prefix
 * `kproxy-` when none is given.
 */
export interface StreamScope {
  /**
   * Streams whose name starts with this prefix (`arn:…:stream/<prefix>*`). The prefix itself must be
   * 1–127 characters of `[a-zA-Z0-9_.-]`: an empty prefix would mean every stream of the account.
   */
  readonly streamNamePrefix?: string;
  /** Streams with exactly these names. */
  readonly streamNames?: readonly string[];
  /** Streams defined in CDK (for example one the stack creates). */
  readonly streams?: readonly kinesis.IStream[];
}

// A prefix is a stream name one character short of the longest, so `<prefix>*` can still match a name.
const PREFIX_PATTERN = /^[a-zA-Z0-9_.-]{1,127}$/;

/** The stream ARNs a scope stands for, in the scope's stack's account and region. */
export function streamArns(scope: IConstruct, streams: StreamScope): string[] {
  const stack = Stack.of(scope);
  const arnFor = (resourceName: string) =>
    stack.formatArn({
      service: 'kinesis',
      resource: 'stream',
      resourceName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

  const arns: string[] = [];
  if (streams.streamNamePrefix !== undefined) {
    if (!PREFIX_PATTERN.test(streams.streamNamePrefix)) {
      throw new Error(
        `streamNamePrefix "${streams.streamNamePrefix}" must be 1-127 characters of [a-zA-Z0-9_.-] ` +
          '(an empty prefix would grant every stream of the account)',
      );
    }
    arns.push(arnFor(`${streams.streamNamePrefix}*`));
  }
  for (const name of streams.streamNames ?? []) {
    if (!NAME_PATTERN.test(name)) {
      throw new Error(`stream name "${name}" must be 1-128 characters of [a-zA-Z0-9_.-]`);
    }
    arns.push(arnFor(name));
  }
  for (const stream of streams.streams ?? []) arns.push(stream.streamArn);

  if (arns.length === 0) {
    throw new Error('The API needs at least one stream: give streamNamePrefix, streamNames or streams');
  }
  return arns;
}

/** The integration role's policy: list on `*`, everything else on the scoped streams. */
export function streamAccessStatements(streamResourceArns: readonly string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ListStreams',
      actions: [...LIST_ACTIONS],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ScopedStreamAccess',
      actions: [...STREAM_ACTIONS],
      resources: [...streamResourceArns],
    }),
  ];
}
