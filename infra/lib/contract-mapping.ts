/**
 * The contract's operations in API Gateway's terms. The CDK construct and the OpenAPI export both
 * read the API through these functions, so the two describe the same API by construction.
 */
import {
  INTEGRATION_RESPONSES,
  KINESIS_CONTENT_TYPE,
  METHOD_RESPONSE_STATUSES,
  type OperationSpec,
  operations,
  type ParamSpec,
  REQUEST_CONTENT_TYPE,
  requestTemplateOf,
} from '@kproxy/contract';
import * as z from 'zod/mini';

/** Every operation of the contract (the seed's eight, then kproxy's additions), in its order. */
export const OPERATIONS: readonly OperationSpec[] = Object.values(operations);

const PARAM_LOCATION = { path: 'path', query: 'querystring', header: 'header' } as const;

/** `method.request.path.stream-name`, `method.request.querystring.shard-id`, `method.request.header.X`. */
export function methodRequestParameterKey(param: ParamSpec): string {
  return `method.request.${PARAM_LOCATION[param.in]}.${param.name}`;
}

/** Method request parameters with their required flags, as API Gateway declares them. */
export function methodRequestParameters(op: OperationSpec): Record<string, boolean> {
  return Object.fromEntries(op.params.map((param) => [methodRequestParameterKey(param), param.required]));
}

/** Integration request parameters: Kinesis only understands its own JSON 1.1 content type. */
export const INTEGRATION_REQUEST_PARAMETERS: Readonly<Record<string, string>> = {
  'integration.request.header.Content-Type': `'${KINESIS_CONTENT_TYPE}'`,
};

/** The request template map: one template, for the one content type the API accepts. */
export function requestTemplates(op: OperationSpec): Record<string, string> {
  return { [REQUEST_CONTENT_TYPE]: requestTemplateOf(op) };
}

/**
 * The one request validator every method uses (body and parameters), by name: the CDK construct
 * creates it under this name and the OpenAPI export declares it under the same one.
 */
export const REQUEST_VALIDATOR_NAME = 'body-and-parameters';

/** The request model of an operation with a body, as JSON Schema draft-04 (API Gateway's dialect). */
export function requestModelSchema(op: OperationSpec): Record<string, unknown> | undefined {
  return op.body ? (z.toJSONSchema(op.body, { target: 'draft-04' }) as Record<string, unknown>) : undefined;
}

/** API Gateway model names are alphanumeric: `PutRecordsRequest`. */
export function requestModelName(op: OperationSpec): string {
  return `${op.action}Request`;
}

/** The contract's response templates render JSON (see `integration.ts` in the contract). */
const RESPONSE_CONTENT_TYPE = 'application/json';

/** The contract's integration responses in API Gateway's shape (status codes are strings there). */
export function integrationResponses(): Array<{
  statusCode: string;
  selectionPattern?: string;
  responseTemplates?: Record<string, string>;
}> {
  return INTEGRATION_RESPONSES.map((response) => ({
    statusCode: String(response.statusCode),
    ...(response.selectionPattern !== undefined && { selectionPattern: response.selectionPattern }),
    ...(response.template !== undefined && {
      responseTemplates: { [RESPONSE_CONTENT_TYPE]: response.template },
    }),
  }));
}

/** Every status a method answers with, as strings. */
export const METHOD_RESPONSE_STATUS_CODES: readonly string[] = METHOD_RESPONSE_STATUSES.map(String);
