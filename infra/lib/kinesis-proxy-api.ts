/**
 * `KinesisProxyApi`: the kproxy REST API in front of Kinesis Data Streams, built from the contract.
 *
 * One method per contract operation (the seed's eight and kproxy's additions), each an AWS integration
 * that calls one Kinesis action with the contract's request template and integration responses; request
 * models and parameters validated by API Gateway before Kinesis is called; a role that can reach only
 * the streams the API is meant for.
 */
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  DEFAULTS,
  type OperationId,
  type OperationSpec,
  REQUEST_CONTENT_TYPE,
  STAGE_NAME_PATTERN,
} from '@kproxy/contract';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { AuthMode } from './auth-mode.ts';
import {
  INTEGRATION_REQUEST_PARAMETERS,
  integrationResponses,
  METHOD_RESPONSE_STATUS_CODES,
  methodRequestParameters,
  OPERATIONS,
  REQUEST_VALIDATOR_NAME,
  requestModelName,
  requestModelSchema,
  requestTemplates,
} from './contract-mapping.ts';
import { acknowledgeNagFindings } from './nag.ts';
import { type StreamScope, streamAccessStatements, streamArns } from './stream-access.ts';

/** Steady-state request rate and burst, as API Gateway throttles them. */
export interface ThrottleLimits {
  /** Requests per second. */
  readonly rateLimit: number;
  /** Requests that may arrive at once above the rate. */
  readonly burstLimit: number;
}

/** How many requests one API key may make per period (`api-key` mode). */
export interface ApiKeyQuota {
  readonly limit: number;
  readonly period: apigw.Period;
}

export interface KinesisProxyApiProps extends StreamScope {
  /**
   * How callers authenticate: SigV4 (`iam`), an API key with a usage plan (`api-key`), or not at all
   * (`none`, for throwaway test deployments only).
   * @default 'iam'
   */
  readonly authMode?: AuthMode;

  /**
   * Name of the REST API in API Gateway.
   * @default 'kproxy'
   */
  readonly apiName?: string;

  /**
   * Stage name; the first path segment of every URL (`https://…/v1/streams`).
   * @default 'v1'
   */
  readonly stageName?: string;

  /**
   * Stage-wide throttle for all callers together. In `api-key` mode the usage plan applies the same
   * limits per key.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: ThrottleLimits;

  /**
   * Requests one API key may make per period (`api-key` mode only).
   * @default { limit: 1_000_000, period: Period.MONTH }
   */
  readonly apiKeyQuota?: ApiKeyQuota;

  /**
   * Allow browsers on this origin (`https://app.example.com`, or `*`) to call the API: adds CORS
   * preflight methods and the `Access-Control-Allow-Origin` header to every response, errors included.
   * @default undefined (no CORS)
   */
  readonly corsAllowOrigin?: string;

  /**
   * How long the access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Set API Gateway's account-level CloudWatch Logs role (`AWS::ApiGateway::Account`), which access
   * and execution logging need. It is one setting per account and region, shared by every REST API
   * there, so the role is retained when the stack is destroyed. Turn this off when the account already
   * has the role (for example set by another stack or a landing zone).
   * @default true
   */
  readonly cloudWatchRole?: boolean;

  /**
   * ARN of an AWS WAF web ACL (regional scope) to associate with the stage.
   * @default undefined (no web ACL)
   */
  readonly webAclArn?: string;
}

/** Defaults of the optional props, exported so the app and the docs state the same values. */
export const KINESIS_PROXY_API_DEFAULTS = {
  authMode: DEFAULTS.authMode,
  apiName: 'kproxy',
  stageName: DEFAULTS.stage,
  streamNamePrefix: 'kproxy-',
  throttle: { rateLimit: 100, burstLimit: 200 },
  apiKeyQuota: { limit: 1_000_000, period: apigw.Period.MONTH },
  accessLogRetention: logs.RetentionDays.ONE_MONTH,
  cloudWatchRole: true,
} as const satisfies Partial<Record<keyof KinesisProxyApiProps, unknown>>;

const ALLOW_ORIGIN_HEADER = 'method.response.header.Access-Control-Allow-Origin';
const EXPOSE_HEADERS_HEADER = 'method.response.header.Access-Control-Expose-Headers';
/** The contract's expose list as a header value (a static value in API Gateway is single-quoted). */
const EXPOSE_HEADERS_VALUE = `'${CORS_EXPOSE_HEADERS.join(',')}'`;

export class KinesisProxyApi extends Construct {
  /** The REST API. */
  readonly api: apigw.RestApi;
  /** The deployed stage. */
  readonly stage: apigw.Stage;
  /** Stage URL without a trailing slash (`https://<id>.execute-api.<region>.amazonaws.com/v1`). */
  readonly url: string;
  readonly authMode: AuthMode;
  /** The role API Gateway assumes to call Kinesis. */
  readonly integrationRole: iam.Role;
  /** The stream ARNs (or ARN patterns) the integration role may act on. */
  readonly streamResourceArns: readonly string[];
  /** Access logs of the stage. */
  readonly accessLogGroup: logs.LogGroup;
  /** Validates request bodies against the models and required parameters. */
  readonly requestValidator: apigw.RequestValidator;
  /** One method per contract operation. */
  readonly methods: Readonly<Record<OperationId, apigw.Method>>;
  /** Request models of the operations that take a body. */
  readonly models: Readonly<Partial<Record<OperationId, apigw.Model>>>;
  /** The API key (`api-key` mode only). */
  readonly apiKey?: apigw.ApiKey;
  /** The usage plan the API key belongs to (`api-key` mode only). */
  readonly usagePlan?: apigw.UsagePlan;

  constructor(scope: Construct, id: string, props: KinesisProxyApiProps = {}) {
    super(scope, id);
    const defaults = KINESIS_PROXY_API_DEFAULTS;
    this.authMode = props.authMode ?? defaults.authMode;
    const stageName = props.stageName ?? defaults.stageName;
    const throttle = props.throttle ?? defaults.throttle;
    if (!STAGE_NAME_PATTERN.test(stageName)) {
      throw new Error(`stageName "${stageName}" must be 1-128 characters of [a-zA-Z0-9_-]`);
    }
    validateThrottle(throttle);

    const noStreamsChosen =
      props.streamNamePrefix === undefined && !props.streamNames?.length && !props.streams?.length;
    this.streamResourceArns = streamArns(
      this,
      noStreamsChosen ? { streamNamePrefix: defaults.streamNamePrefix } : props,
    );
    this.integrationRole = new iam.Role(this, 'IntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets the kproxy API call Kinesis on the streams it is meant for, and nothing else',
      inlinePolicies: {
        KinesisAccess: new iam.PolicyDocument({
          statements: streamAccessStatements(this.streamResourceArns),
        }),
      },
    });

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? defaults.accessLogRetention,
      // Operational logs with a retention period; the stream (the data) is what outlives the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const cors = props.corsAllowOrigin;
    const cloudWatchRole = props.cloudWatchRole ?? defaults.cloudWatchRole;
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: props.apiName ?? defaults.apiName,
      description: 'kproxy: a REST API proxying Amazon Kinesis Data Streams',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole,
      cloudWatchRoleRemovalPolicy: cloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      apiKeySourceType: this.authMode === 'api-key' ? apigw.ApiKeySourceType.HEADER : undefined,
      deployOptions: {
        stageName,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        // Errors only, and never request or response bodies: they carry record data.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
      },
      defaultCorsPreflightOptions: cors
        ? {
            allowOrigins: [cors],
            allowMethods: [...CORS_ALLOW_METHODS],
            allowHeaders: [...CORS_ALLOW_HEADERS],
            maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
          }
        : undefined,
    });
    this.stage = this.api.deploymentStage;
    // RestApi adds its own `Endpoint` output (with a trailing slash, under a hashed name); the stack
    // publishes the stage URL under a stable name instead, so drop this one to avoid two endpoints.
    this.api.node.tryRemoveChild('Endpoint');
    const stack = Stack.of(this);
    this.url = `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stageName}`;

    if (cors) {
      // API Gateway's own errors (403 unsigned, 429 throttled, 400 invalid body) must be readable too,
      // with their request id and error type.
      for (const type of [apigw.ResponseType.DEFAULT_4XX, apigw.ResponseType.DEFAULT_5XX]) {
        this.api.addGatewayResponse(`Cors${type.responseType}`, {
          type,
          responseHeaders: {
            'Access-Control-Allow-Origin': `'${cors}'`,
            'Access-Control-Expose-Headers': EXPOSE_HEADERS_VALUE,
          },
        });
      }
    }

    this.requestValidator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: REQUEST_VALIDATOR_NAME,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const methods: Partial<Record<OperationId, apigw.Method>> = {};
    const models: Partial<Record<OperationId, apigw.Model>> = {};
    for (const op of OPERATIONS) {
      const model = this.addRequestModel(op);
      if (model) models[op.id as OperationId] = model;
      methods[op.id as OperationId] = this.addOperation(op, model, cors);
    }
    this.methods = methods as Record<OperationId, apigw.Method>;
    this.models = models;

    if (this.authMode === 'api-key') {
      const quota = props.apiKeyQuota ?? defaults.apiKeyQuota;
      this.apiKey = new apigw.ApiKey(this, 'ApiKey', {
        description: 'kproxy API key; read its value with `aws apigateway get-api-key --include-value`',
      });
      this.usagePlan = new apigw.UsagePlan(this, 'UsagePlan', {
        description: 'Throttle and quota for each kproxy API key',
        throttle,
        quota,
        apiStages: [{ api: this.api, stage: this.stage }],
      });
      this.usagePlan.addApiKey(this.apiKey);
    }

    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.stage.stageArn,
        webAclArn: props.webAclArn,
      });
    }

    acknowledgeNagFindings({
      api: this.api,
      authMode: this.authMode,
      integrationRole: this.integrationRole,
      streamResourceArns: this.streamResourceArns,
      webAclArn: props.webAclArn,
    });
  }

  private addRequestModel(op: OperationSpec): apigw.Model | undefined {
    const schema = requestModelSchema(op);
    if (!schema) return undefined;
    return this.api.addModel(requestModelName(op), {
      modelName: requestModelName(op),
      contentType: REQUEST_CONTENT_TYPE,
      description: `Request body of ${op.method} ${op.path} (${op.action})`,
      // Already JSON Schema draft-04 with `$`-prefixed keys; CDK passes such keys through unchanged.
      schema: schema as apigw.JsonSchema,
    });
  }

  private addOperation(op: OperationSpec, model: apigw.Model | undefined, cors: string | undefined) {
    const corsResponseParameters = cors
      ? { [ALLOW_ORIGIN_HEADER]: `'${cors}'`, [EXPOSE_HEADERS_HEADER]: EXPOSE_HEADERS_VALUE }
      : undefined;
    const integration = new apigw.AwsIntegration({
      service: 'kinesis',
      action: op.action,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestParameters: { ...INTEGRATION_REQUEST_PARAMETERS },
        requestTemplates: requestTemplates(op),
        integrationResponses: integrationResponses().map((response) => ({
          ...response,
          responseParameters: corsResponseParameters,
        })),
      },
    });

    return this.api.root.resourceForPath(op.path).addMethod(op.method, integration, {
      operationName: op.id,
      authorizationType: this.authMode === 'iam' ? apigw.AuthorizationType.IAM : apigw.AuthorizationType.NONE,
      apiKeyRequired: this.authMode === 'api-key',
      requestParameters: methodRequestParameters(op),
      requestValidator: this.requestValidator,
      requestModels: model ? { [REQUEST_CONTENT_TYPE]: model } : undefined,
      methodResponses: METHOD_RESPONSE_STATUS_CODES.map((statusCode) => ({
        statusCode,
        responseParameters: cors ? { [ALLOW_ORIGIN_HEADER]: true, [EXPOSE_HEADERS_HEADER]: true } : undefined,
      })),
    });
  }
}

function validateThrottle({ rateLimit, burstLimit }: ThrottleLimits): void {
  if (!(Number.isFinite(rateLimit) && rateLimit > 0)) {
    throw new Error(`throttle rateLimit must be a positive number, got ${rateLimit}`);
  }
  if (!(Number.isInteger(burstLimit) && burstLimit >= 0)) {
    throw new Error(`throttle burstLimit must be a non-negative integer, got ${burstLimit}`);
  }
}
