/**
 * Turns an error response into the right `ApiError` subclass. A Kinesis error body (`__type`) decides
 * the kind whatever the status (deployments built from AWS's tutorial answer errors with HTTP 200);
 * otherwise the status does.
 */
import { kinesisErrorName, statusForKinesisError } from '@kproxy/contract';
import { ApiError, type ApiErrorInit } from './ApiError.ts';
import {
  AuthError,
  ConflictError,
  ExpiredIteratorError,
  NotFoundError,
  PayloadTooLargeError,
  ServerError,
  ThrottledError,
  ValidationError,
} from './api-errors.ts';

type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

const BY_KINESIS_TYPE: Record<string, ApiErrorClass> = {
  ResourceNotFoundException: NotFoundError,
  ResourceInUseException: ConflictError,
  ProvisionedThroughputExceededException: ThrottledError,
  LimitExceededException: ThrottledError,
  KMSThrottlingException: ThrottledError,
  ThrottlingException: ThrottledError,
  ExpiredIteratorException: ExpiredIteratorError,
  AccessDeniedException: AuthError,
  UnrecognizedClientException: AuthError,
  IncompleteSignatureException: AuthError,
  InvalidSignatureException: AuthError,
  MissingAuthenticationTokenException: AuthError,
  InvalidArgumentException: ValidationError,
  ValidationException: ValidationError,
  SerializationException: ValidationError,
};

function classForStatus(status: number): ApiErrorClass {
  if (status === 400) return ValidationError;
  if (status === 401 || status === 403) return AuthError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 413) return PayloadTooLargeError;
  if (status === 429) return ThrottledError;
  if (status >= 500) return ServerError;
  return ApiError;
}

/** The `message`/`Message` of a JSON error body, if any. */
function bodyMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { message, Message } = body as { message?: unknown; Message?: unknown };
  const text = message ?? Message;
  return typeof text === 'string' ? text : undefined;
}

/** The bare Kinesis error name when `body` is a Kinesis error body. */
export function kinesisTypeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const type = (body as { __type?: unknown }).__type;
  return typeof type === 'string' && type !== '' ? kinesisErrorName(type) : undefined;
}

/** Why API Gateway says what it says; appended to the message of the common, puzzling answers. */
function gatewayHint(status: number, message: string | undefined): string | undefined {
  if (status === 403 && message === 'Missing Authentication Token') {
    return (
      'API Gateway answers this when no route matches (check that the endpoint ends with the stage, e.g. ' +
      '".../v1", and that the path exists) or when a method that uses IAM auth gets an unsigned request ' +
      "(use auth: { type: 'sigv4' })"
    );
  }
  if (status === 403 && message === 'Forbidden') {
    return "the method requires an API key: pass auth: { type: 'apiKey', apiKey } with a key of the API's usage plan";
  }
  if (status === 403 && message?.startsWith('The request signature we calculated does not match')) {
    return 'check the secret access key and that the region matches the API';
  }
  if (status === 403 && message?.startsWith('Signature expired')) {
    return "this machine's clock is more than 5 minutes off";
  }
  if (status === 403 && message?.includes('security token included in the request is invalid')) {
    return 'the access key id is unknown, or a session token is missing or expired';
  }
  if (status === 413) return "the request body exceeds API Gateway's 10 MB limit; send smaller batches";
  return undefined;
}

/** Builds the error for a response that is an error (status ≥ 400, or a Kinesis error body). */
export function apiErrorFromResponse(init: {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  method: string;
  url: string;
}): ApiError {
  const kinesisType = kinesisTypeOf(init.body);
  const text =
    bodyMessage(init.body) ?? (typeof init.body === 'string' ? init.body.slice(0, 200) : undefined);
  // A Kinesis error that arrived with 200 is classified by the status the contract's integration
  // responses would have given it; `status` stays the status that arrived.
  const effective = kinesisType && init.status < 400 ? statusForKinesisError(kinesisType) : init.status;
  const ErrorClass = (kinesisType && BY_KINESIS_TYPE[kinesisType]) || classForStatus(effective);
  const hint = kinesisType ? undefined : gatewayHint(init.status, text);
  const what = kinesisType ?? `HTTP ${init.status}`;
  const path = safePath(init.url);
  const message =
    `${what}${text ? `: ${text}` : ''}${hint ? ` (${hint})` : ''}` +
    ` [${init.method} ${path}${kinesisType ? `, HTTP ${init.status}` : ''}` +
    `${init.headers['x-amzn-requestid'] ? `, request id ${init.headers['x-amzn-requestid']}` : ''}]`;
  return new ErrorClass({ ...init, kinesisType, hint, message });
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
