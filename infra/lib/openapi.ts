/**
 * OpenAPI 3.0 export of the kproxy API with API Gateway's extensions, generated from the contract
 * through the same mapping the CDK construct uses (contract-mapping.ts).
 *
 * The document can be imported with `aws apigateway import-rest-api` (given a real region and role
 * ARN) or used as a CloudFormation `Body` through `Fn::Sub` (the default placeholders are `${…}`
 * references). Unlike the AWS tutorial's export, the request templates are complete, `#foreach`
 * lines included.
 *
 * OpenAPI 3.0 rather than 3.1 because API Gateway imports 3.0. Its schema objects are a subset of
 * JSON Schema draft-04 without `$schema`, so the request models are the construct's models minus
 * that one key.
 */
import { KinesisErrorBody, type OperationSpec, REQUEST_CONTENT_TYPE } from '@kproxy/contract';
import * as z from 'zod/mini';
import type { AuthMode } from './auth-mode.ts';
import {
  INTEGRATION_REQUEST_PARAMETERS,
  integrationResponses,
  METHOD_RESPONSE_STATUS_CODES,
  OPERATIONS,
  REQUEST_VALIDATOR_NAME,
  requestModelName,
  requestModelSchema,
  requestTemplates,
} from './contract-mapping.ts';
import { KINESIS_PROXY_API_DEFAULTS } from './kinesis-proxy-api.ts';

export interface OpenApiOptions {
  /**
   * Security scheme of every operation: SigV4 (`iam`), `x-api-key` (`api-key`) or none.
   * @default 'iam'
   */
  readonly authMode?: AuthMode;
  /**
   * Region in the integration URIs (`arn:aws:apigateway:<region>:kinesis:action/…`).
   * @default '${AWS::Region}' (a placeholder for `Fn::Sub`)
   */
  readonly region?: string;
  /**
   * ARN of the role API Gateway assumes to call Kinesis (the stack's `KproxyIntegrationRoleArn` output).
   * @default '${KproxyIntegrationRoleArn}' (a placeholder for `Fn::Sub`)
   */
  readonly integrationRoleArn?: string;
  /**
   * Base path (stage) in the `servers` entry.
   * @default 'v1' (the construct's default stage)
   */
  readonly stageName?: string;
  /**
   * `info.title` (API Gateway uses it as the API's name on import).
   * @default 'kproxy' (the construct's default API name)
   */
  readonly title?: string;
  /**
   * `info.version`.
   * @default '1.0.0'
   */
  readonly version?: string;
}

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    responses: Record<string, unknown>;
    securitySchemes?: Record<string, unknown>;
  };
};

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  parameters: Record<string, unknown>[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  'x-amazon-apigateway-integration': AmazonIntegration;
  [extension: `x-${string}`]: unknown;
}

export interface AmazonIntegration {
  type: 'aws';
  uri: string;
  httpMethod: 'POST';
  credentials: string;
  passthroughBehavior: 'never';
  requestParameters: Record<string, string>;
  requestTemplates: Record<string, string>;
  responses: Record<string, { statusCode: string; responseTemplates?: Record<string, string> }>;
}

const SECURITY_SCHEMES: Record<AuthMode, Record<string, unknown> | undefined> = {
  iam: {
    sigv4: {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    },
  },
  'api-key': { api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' } },
  none: undefined,
};

export function buildOpenApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  const authMode = options.authMode ?? KINESIS_PROXY_API_DEFAULTS.authMode;
  const region = options.region ?? '${AWS::Region}';
  const credentials = options.integrationRoleArn ?? '${KproxyIntegrationRoleArn}';
  const securitySchemes = SECURITY_SCHEMES[authMode];
  const security = securitySchemes ? Object.keys(securitySchemes).map((name) => ({ [name]: [] })) : [];

  const schemas: Record<string, Record<string, unknown>> = {
    KinesisError: outputSchema(KinesisErrorBody),
  };
  const paths: OpenApiDocument['paths'] = {};
  for (const op of OPERATIONS) {
    const body = requestModelSchema(op);
    if (body) {
      const { $schema: _dialect, ...schema } = body;
      schemas[requestModelName(op)] = schema;
    }
    schemas[`${op.action}Response`] = outputSchema(op.output);
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = {
      operationId: op.id,
      summary: op.summary,
      parameters: op.params.map((param) => ({
        name: param.name,
        in: param.in,
        required: param.required,
        description: param.description,
        schema: outputSchema(param.schema),
      })),
      ...(body && {
        requestBody: {
          // CreateStream may be sent without a body (its template then asks for 5 shards).
          required: Array.isArray(body.required) && body.required.length > 0,
          content: {
            [REQUEST_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${requestModelName(op)}` } },
          },
        },
      }),
      responses: methodResponses(op),
      security,
      'x-amazon-apigateway-request-validator': REQUEST_VALIDATOR_NAME,
      'x-amazon-apigateway-integration': integration(op, region, credentials),
    };
  }

  return {
    openapi: '3.0.3',
    info: {
      title: options.title ?? KINESIS_PROXY_API_DEFAULTS.apiName,
      version: options.version ?? '1.0.0',
      description:
        'REST API proxying Amazon Kinesis Data Streams (generated from @kproxy/contract). Kinesis ' +
        'errors keep their body (`__type`, `message`) and get a status from `__type`.',
    },
    servers: [
      {
        url: '/{basePath}',
        variables: { basePath: { default: options.stageName ?? KINESIS_PROXY_API_DEFAULTS.stageName } },
      },
    ],
    paths,
    components: {
      schemas,
      responses: {
        KinesisError: {
          description: 'Kinesis error body, kept as Kinesis sent it; the status is chosen from its `__type`',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/KinesisError' } } },
        },
      },
      ...(securitySchemes && { securitySchemes }),
    },
    ...(authMode === 'api-key' && { 'x-amazon-apigateway-api-key-source': 'HEADER' }),
    'x-amazon-apigateway-request-validators': {
      [REQUEST_VALIDATOR_NAME]: { validateRequestBody: true, validateRequestParameters: true },
    },
  };
}

function integration(op: OperationSpec, region: string, credentials: string): AmazonIntegration {
  // OpenAPI keys integration responses by selection pattern; the one without a pattern is `default`.
  const responses: AmazonIntegration['responses'] = {};
  for (const { selectionPattern, ...response } of integrationResponses()) {
    responses[selectionPattern ?? 'default'] = response;
  }
  return {
    type: 'aws',
    uri: `arn:aws:apigateway:${region}:kinesis:action/${op.action}`,
    httpMethod: 'POST',
    credentials,
    passthroughBehavior: 'never',
    requestParameters: { ...INTEGRATION_REQUEST_PARAMETERS },
    requestTemplates: requestTemplates(op),
    responses,
  };
}

function methodResponses(op: OperationSpec): Record<string, unknown> {
  return Object.fromEntries(
    METHOD_RESPONSE_STATUS_CODES.map((status) => [
      status,
      status === '200'
        ? {
            description: `Kinesis ${op.action} output, passed through`,
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${op.action}Response` } },
            },
          }
        : { $ref: '#/components/responses/KinesisError' },
    ]),
  );
}

/** A contract schema as an OpenAPI 3.0 schema object. */
function outputSchema(schema: z.ZodMiniType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0' }) as Record<string, unknown>;
}
