/**
 * Test helper: synthesizes a `KproxyStack` with the same feature flags as the real app (cdk.json)
 * and runs cdk-nag's AwsSolutions pack over it.
 */
import { readFileSync } from 'node:fs';
import type { OperationId } from '@kproxy/contract';
import type { CfnElement } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { KproxyStack, type KproxyStackProps } from '../lib/kproxy-stack.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface Synthesized {
  readonly stack: KproxyStack;
  readonly template: Template;
  /** The CloudFormation resources by logical id. */
  readonly resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  /** Unacknowledged AwsSolutions findings: `RuleId path` strings. */
  readonly nagFindings: string[];
  /** The logical id of a construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
}

export function synth(props: KproxyStackProps = {}): Synthesized {
  const app = new App({ context: cdkJson.context });
  const stack = new KproxyStack(app, 'Test', props);
  const template = Template.fromStack(stack);
  const report = new AwsSolutionsChecks().validateScope(stack);
  return {
    stack,
    template,
    resources: template.toJSON().Resources,
    nagFindings: report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} ${resource.constructPath}`),
    ),
    logicalId: (construct) => {
      const element = (construct.node.defaultChild ?? construct) as CfnElement;
      return stack.getLogicalId(element);
    },
  };
}

/** Every IAM policy statement of every role and policy in a template. */
export function policyStatements(resources: Synthesized['resources']): Array<Record<string, unknown>> {
  const statements: Array<Record<string, unknown>> = [];
  for (const resource of Object.values(resources)) {
    const properties = resource.Properties ?? {};
    const documents =
      resource.Type === 'AWS::IAM::Role'
        ? ((properties.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []).map(
            (policy) => policy.PolicyDocument,
          )
        : resource.Type === 'AWS::IAM::Policy'
          ? [properties.PolicyDocument]
          : [];
    for (const document of documents) {
      statements.push(...((document as { Statement: Array<Record<string, unknown>> }).Statement ?? []));
    }
  }
  return statements;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The parts of an `AWS::ApiGateway::Method` the tests read. */
export interface MethodProperties {
  HttpMethod: string;
  AuthorizationType: string;
  ApiKeyRequired?: boolean;
  RequestParameters?: Record<string, boolean>;
  RequestValidatorId: unknown;
  RequestModels?: Record<string, unknown>;
  MethodResponses: Array<{ StatusCode: string; ResponseParameters?: Record<string, boolean> }>;
  Integration: {
    Type: string;
    IntegrationHttpMethod: string;
    PassthroughBehavior: string;
    RequestParameters: Record<string, string>;
    RequestTemplates: Record<string, string>;
    Uri: unknown;
    Credentials: unknown;
    IntegrationResponses: Array<Record<string, unknown>>;
  };
}

/** The CloudFormation properties of the method serving a contract operation. */
export function methodProperties(s: Synthesized, id: OperationId): MethodProperties {
  const method = s.stack.proxy.methods[id];
  return s.resources[s.logicalId(method)]!.Properties as unknown as MethodProperties;
}
