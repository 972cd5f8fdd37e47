/**
 * cdk-nag `AwsSolutions` findings the API accepts on purpose, each acknowledged on the one resource it
 * concerns, with the reason. Uses CDK's own `Validations.acknowledge` (cdk-nag 3 reads it; its v2
 * `NagSuppressions` API no longer exists), so the construct needs no cdk-nag import.
 *
 * Anything not listed here fails `cdk synth` (bin/app.ts runs the AwsSolutions pack) and the tests.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type { IConstruct } from 'constructs';
import type { AuthMode } from './auth-mode.ts';

export interface NagSubject {
  readonly api: apigw.RestApi;
  readonly authMode: AuthMode;
  readonly integrationRole: IConstruct;
  readonly streamResourceArns: readonly string[];
  readonly webAclArn?: string;
}

const acknowledge = (scope: IConstruct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

export function acknowledgeNagFindings(subject: NagSubject): void {
  const { api, authMode, integrationRole } = subject;

  acknowledge(
    integrationRole,
    'AwsSolutions-IAM5[Resource::*]',
    'Only kinesis:ListStreams is granted on "*": IAM has no resource-level permissions for it, and it ' +
      "is a read-only list action. Every other action is granted on the API's streams only.",
  );
  for (const arn of subject.streamResourceArns) {
    const flat = flattenArn(Stack.of(api), arn);
    if (!flat.includes('*')) continue;
    acknowledge(
      integrationRole,
      `AwsSolutions-IAM5[Resource::${flat}]`,
      'The wildcard is the configured stream-name prefix: the API may use exactly the streams whose ' +
        'name starts with it (and create them, a route of the API), no other stream of the account.',
    );
  }

  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    acknowledge(
      cloudWatchRole,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'The account-level role API Gateway uses to write access and execution logs; this AWS-managed ' +
        'policy is the one AWS documents for it and AWS keeps it current.',
    );
  }

  if (!subject.webAclArn) {
    acknowledge(
      api.deploymentStage,
      'AwsSolutions-APIG3',
      'A web ACL is optional (prop webAclArn / context webAclArn): requests are authenticated per ' +
        'method and throttled per stage, and WAF adds cost the default deployment should not impose.',
    );
  }

  for (const method of api.methods) {
    // cdk-nag exempts CORS preflight (OPTIONS) methods itself: they cannot carry credentials.
    if (method.httpMethod === 'OPTIONS') continue;
    acknowledge(
      method,
      'AwsSolutions-COG4',
      'Callers are AWS principals signing with SigV4 (auth mode iam, the default) or holders of an API ' +
        'key; a Cognito user pool is for end users of an application, which this API does not have.',
    );
    if (authMode === 'api-key') {
      acknowledge(
        method,
        'AwsSolutions-APIG4',
        'Auth mode api-key, chosen explicitly: every method requires an API key of the usage plan, ' +
          'which throttles and meters each key.',
      );
    } else if (authMode === 'none') {
      acknowledge(
        method,
        'AwsSolutions-APIG4',
        'Auth mode none, chosen explicitly by the deployer (context authMode=none) for a throwaway test ' +
          'deployment; the default is AWS_IAM.',
      );
    }
  }
}

/** An ARN as cdk-nag prints it in finding ids: `{Ref: X}` becomes `<X>`, joins are concatenated. */
function flattenArn(stack: Stack, arn: string): string {
  const flatten = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (typeof object.Ref === 'string') return `<${object.Ref}>`;
      const join = object['Fn::Join'];
      if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map(flatten).join(String(join[0]));
    }
    return JSON.stringify(value);
  };
  return flatten(stack.resolve(arn));
}
