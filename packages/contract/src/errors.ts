/**
 * Every error the API can answer, classified once.
 *
 * Two sources of errors reach a caller:
 * - Kinesis, through the integration: a JSON body `{"__type": "...", "message": "..."}`. The integration
 *   responses (`apigateway/integration-responses.ts`) keep that body and set the status from `__type`
 *   per `KINESIS_ERRORS`; the client classifies a Kinesis error body by the same table whatever the
 *   status (deployments made from AWS's tutorial answer HTTP 200 for errors).
 * - API Gateway itself (gateway responses): `{"message": "..."}` with an `x-amzn-ErrorType` header,
 *   listed in `GATEWAY_ERRORS` with their exact texts; the emulator answers with these texts and the
 *   client recognises them by them.
 *
 * Each entry says which client error class it becomes, whether repeating the request can succeed, and
 * whether a bulk run should stop (every later request would fail the same way). Hints are neutral: they
 * name no client option and no CLI flag, so both can show them and add their own words.
 */

/** The client's error classes, by name (the contract has no classes; `@kproxy/client` maps the names). */
export type ErrorClassName =
  | 'NotFoundError'
  | 'ConflictError'
  | 'ThrottledError'
  | 'QuotaExceededError'
  | 'ExpiredIteratorError'
  | 'AuthError'
  | 'ValidationError'
  | 'PayloadTooLargeError'
  | 'ServerError'
  | 'ApiError';

/** How a caller should treat an error. */
export interface ErrorClassification {
  /** The client error class it becomes. */
  readonly errorClass: ErrorClassName;
  /** The same request, sent again later, can succeed. */
  readonly retryable: boolean;
  /**
   * A bulk run (many requests to one stream) stops at the first one: every later request would fail
   * the same way (unknown stream, rejected credentials, a spent quota).
   */
  readonly fatal: boolean;
  /** The usual cause and the fix, in words that fit any tool. */
  readonly hint?: string | undefined;
}

export interface KinesisErrorSpec extends ErrorClassification {
  /** The status the deployed API answers with (integration response override). */
  readonly status: number;
}

const kinesis = (
  status: number,
  errorClass: ErrorClassName,
  retryable: boolean,
  fatal: boolean,
  hint?: string,
): KinesisErrorSpec => ({ status, errorClass, retryable, fatal, hint });

/**
 * Kinesis error types (`__type` without namespace) and what they mean. Types not listed are
 * classified by `classifyKinesisError`'s fallback: a request Kinesis refused (400, `ValidationError`),
 * not retried.
 */
export const KINESIS_ERRORS = {
  ResourceNotFoundException: kinesis(
    404,
    'NotFoundError',
    false,
    true,
    'The stream or shard named in the message does not exist (or the stream is still being created).',
  ),
  ResourceInUseException: kinesis(
    409,
    'ConflictError',
    false,
    true,
    'The stream is not in a state that allows this request (it already exists, or is being created, updated or deleted).',
  ),
  ProvisionedThroughputExceededException: kinesis(
    429,
    'ThrottledError',
    true,
    false,
    "The shard's write or read limit was exceeded; slow down, or add shards.",
  ),
  /**
   * Kinesis uses LimitExceededException both for request rates (retryable) and for account quotas such
   * as the shard limit (not retryable): `classifyKinesisError` tells them apart by the message.
   */
  LimitExceededException: kinesis(
    429,
    'ThrottledError',
    true,
    false,
    'Too many requests of this kind; slow down.',
  ),
  KMSThrottlingException: kinesis(429, 'ThrottledError', true, false, 'AWS KMS throttled the request.'),
  ThrottlingException: kinesis(429, 'ThrottledError', true, false, 'Too many requests; slow down.'),
  ExpiredIteratorException: kinesis(
    400,
    'ExpiredIteratorError',
    false,
    false,
    'Shard iterators expire 5 minutes after they are issued; get a new one.',
  ),
  ExpiredNextTokenException: kinesis(
    400,
    'ValidationError',
    false,
    false,
    'Paging tokens expire after 5 minutes; start listing again.',
  ),
  InvalidArgumentException: kinesis(400, 'ValidationError', false, false),
  ValidationException: kinesis(400, 'ValidationError', false, false),
  SerializationException: kinesis(400, 'ValidationError', false, false),
  AccessDeniedException: kinesis(
    403,
    'AuthError',
    false,
    true,
    "The API's integration role is not allowed this action on this stream.",
  ),
  KMSAccessDeniedException: kinesis(400, 'AuthError', false, true, "The stream's KMS key refused access."),
  KMSDisabledException: kinesis(400, 'ValidationError', false, true, "The stream's KMS key is disabled."),
  KMSInvalidStateException: kinesis(
    400,
    'ValidationError',
    false,
    true,
    "The stream's KMS key is not usable.",
  ),
  KMSNotFoundException: kinesis(400, 'ValidationError', false, true, "The stream's KMS key was not found."),
  KMSOptInRequired: kinesis(400, 'ValidationError', false, true, 'The account is not subscribed to AWS KMS.'),
  UnrecognizedClientException: kinesis(403, 'AuthError', false, true),
  InvalidSignatureException: kinesis(403, 'AuthError', false, true),
  IncompleteSignatureException: kinesis(403, 'AuthError', false, true),
  MissingAuthenticationTokenException: kinesis(403, 'AuthError', false, true),
  ServiceUnavailableException: kinesis(503, 'ServerError', true, false),
  ServiceUnavailable: kinesis(503, 'ServerError', true, false),
  InternalFailure: kinesis(500, 'ServerError', true, false),
} as const satisfies Record<string, KinesisErrorSpec>;

export type KinesisErrorType = keyof typeof KINESIS_ERRORS | (string & {});

/** A spent account quota (the shard limit, the number of streams), told apart from a request rate. */
const QUOTA_EXCEEDED: KinesisErrorSpec = kinesis(
  400,
  'QuotaExceededError',
  false,
  true,
  "The request would exceed an account quota (such as the account's shard limit); waiting does not help: lower the count, delete unused streams, or ask AWS for a higher quota.",
);

/** Messages of LimitExceededException that report a quota rather than a rate. */
const QUOTA_MESSAGE = /would exceed|shard limit|maximum number|quota/i;

/**
 * `__type` may carry a namespace (`com.amazonaws.kinesis.v20131202#ResourceNotFoundException`) or a
 * trailing `:http://…` reference (the form of `x-amzn-ErrorType`); this returns the bare error name.
 */
export function kinesisErrorName(type: string): string {
  const afterHash = type.slice(type.lastIndexOf('#') + 1);
  const colon = afterHash.indexOf(':');
  return colon === -1 ? afterHash : afterHash.slice(0, colon);
}

/**
 * How to treat a Kinesis error: by its type (namespaced or bare), and for LimitExceededException by its
 * message. Unknown types are client errors (400, not retried) unless the backend answered 5xx.
 */
export function classifyKinesisError(type: string, message = '', backendStatus = 400): KinesisErrorSpec {
  const name = kinesisErrorName(type);
  if (name === 'LimitExceededException' && QUOTA_MESSAGE.test(message)) return QUOTA_EXCEEDED;
  const known = (KINESIS_ERRORS as Record<string, KinesisErrorSpec>)[name];
  if (known) return known;
  return backendStatus >= 500
    ? kinesis(500, 'ServerError', true, false)
    : kinesis(400, 'ValidationError', false, false);
}

/** The status the deployed API gives a Kinesis error body. */
export function statusForKinesisError(type: string, backendStatus = 400): number {
  const known = (KINESIS_ERRORS as Record<string, KinesisErrorSpec>)[kinesisErrorName(type)];
  return known?.status ?? (backendStatus >= 500 ? 500 : 400);
}

/** Kinesis error types a caller can succeed with by retrying the same request later. */
export const RETRYABLE_KINESIS_ERRORS: ReadonlySet<string> = new Set(
  Object.entries(KINESIS_ERRORS)
    .filter(([, spec]) => spec.retryable)
    .map(([type]) => type),
);

/** The status the API answers for each Kinesis error type it distinguishes from a plain 400. */
export const KINESIS_ERROR_STATUS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(KINESIS_ERRORS)
    .filter(([, spec]) => spec.status !== 400)
    .map(([type, spec]) => [type, spec.status]),
);

// ---------------------------------------------------------------------------------------------
// API Gateway's own answers
// ---------------------------------------------------------------------------------------------

export interface GatewayErrorSpec extends ErrorClassification {
  readonly status: number;
  /** The `x-amzn-ErrorType` header. */
  readonly errorType: string;
  /**
   * The body's `message`, exactly as API Gateway writes it. Where the text varies per request (a
   * signature's dates, parameter names), this is its fixed beginning and `messageIsPrefix` is true.
   */
  readonly message: string;
  readonly messageIsPrefix?: boolean;
}

const gateway = (
  status: number,
  errorType: string,
  message: string,
  classification: ErrorClassification,
  messageIsPrefix = false,
): GatewayErrorSpec => ({ status, errorType, message, messageIsPrefix, ...classification });

const authFailure = (hint: string): ErrorClassification => ({
  errorClass: 'AuthError',
  retryable: false,
  fatal: true,
  hint,
});

/** API Gateway's gateway responses that kproxy's API can give, with the texts AWS writes. */
export const GATEWAY_ERRORS = {
  /** Unknown stage, resource or method; or an IAM-auth method called without a signature. */
  missingAuthenticationToken: gateway(
    403,
    'MissingAuthenticationTokenException',
    'Missing Authentication Token',
    authFailure(
      'API Gateway answers this when no route matches (check that the endpoint ends with the stage, e.g. ".../v1", and that the path exists) or when a method that uses IAM auth gets an unsigned request (sign it with SigV4).',
    ),
  ),
  /** Missing or unknown `x-api-key` (api-key mode), or a request a WAF rule blocked. */
  forbidden: gateway(
    403,
    'ForbiddenException',
    'Forbidden',
    authFailure("The method requires an API key of the API's usage plan, sent as x-api-key."),
  ),
  /** A signature from an access key AWS does not know. */
  unrecognizedClient: gateway(
    403,
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
    authFailure('The access key id is unknown, or a session token is missing or expired.'),
  ),
  /** Temporary credentials past their expiry. */
  expiredToken: gateway(
    403,
    'ExpiredTokenException',
    'The security token included in the request is expired',
    authFailure('The temporary credentials have expired; refresh them (e.g. log in to AWS SSO again).'),
  ),
  invalidSignature: gateway(
    403,
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    authFailure('Check the secret access key, and that the region signed for is the API’s region.'),
  ),
  /** Clock skew over 5 minutes: `Signature expired: 20250101T000000Z is now earlier than … (… - 5 min.)`. */
  signatureExpired: gateway(
    403,
    'InvalidSignatureException',
    'Signature expired: ',
    authFailure("This machine's clock is more than 5 minutes off; synchronise it."),
    true,
  ),
  /** A signature dated more than 5 minutes ahead: `Signature not yet current: … is still later than …`. */
  signatureNotYetCurrent: gateway(
    403,
    'InvalidSignatureException',
    'Signature not yet current: ',
    authFailure("This machine's clock is more than 5 minutes ahead; synchronise it."),
    true,
  ),
  /** `Authorization header requires 'Credential' parameter. …` and similar texts. */
  incompleteSignature: gateway(
    403,
    'IncompleteSignatureException',
    '',
    authFailure('The Authorization header is malformed or misses a signed header.'),
    true,
  ),
  /**
   * A credential scope of another region or service, as API Gateway words it (recorded):
   * `Credential should be scoped to a valid region, not 'us-east-1'. ` and/or
   * `Credential should be scoped to correct service: 'execute-api'. `. After `incompleteSignature`, whose
   * empty text matches by error type only, so that each is found by its own text.
   */
  wrongScope: gateway(
    403,
    'IncompleteSignatureException',
    'Credential should be scoped to ',
    authFailure(
      "The request was signed for another region than the API's: give the API's region (--region, the kproxy profile's region, or the AWS profile's), the one in its execute-api host name.",
    ),
    true,
  ),
  /** The caller's identity lacks `execute-api:Invoke` on the method (or a resource policy denies it). */
  accessDenied: gateway(
    403,
    'AccessDeniedException',
    'User: ',
    authFailure('The credentials are valid but not allowed to call this method (execute-api:Invoke).'),
    true,
  ),
  badRequestBody: gateway(400, 'BadRequestException', 'Invalid request body', {
    errorClass: 'ValidationError',
    retryable: false,
    fatal: false,
    hint: "The body does not match the method's request model.",
  }),
  /** `Missing required request parameters: [shard-id]`. */
  missingParameters: gateway(
    400,
    'BadRequestException',
    'Missing required request parameters: ',
    { errorClass: 'ValidationError', retryable: false, fatal: false },
    true,
  ),
  requestTooLarge: gateway(413, 'RequestTooLargeException', 'Request Too Long', {
    errorClass: 'PayloadTooLargeError',
    retryable: false,
    fatal: false,
    hint: "The request body exceeds API Gateway's 10 MB limit; send smaller records or batches.",
  }),
  unsupportedMediaType: gateway(415, 'UnsupportedMediaTypeException', 'Unsupported Media Type', {
    errorClass: 'ValidationError',
    retryable: false,
    fatal: true,
    hint: 'The methods accept Content-Type: application/json only.',
  }),
  /** Stage or account throttling. */
  throttled: gateway(429, 'TooManyRequestsException', 'Too Many Requests', {
    errorClass: 'ThrottledError',
    retryable: true,
    fatal: false,
    hint: "API Gateway's throttle (stage or account rate) was exceeded; slow down.",
  }),
  /** A usage plan's quota for the period is spent: retrying before the period ends cannot succeed. */
  quotaExceeded: gateway(429, 'LimitExceededException', 'Limit Exceeded', {
    errorClass: 'QuotaExceededError',
    retryable: false,
    fatal: true,
    hint: "The API key's usage-plan quota for this period is spent.",
  }),
  internalError: gateway(500, 'InternalServerErrorException', 'Internal server error', {
    errorClass: 'ServerError',
    retryable: true,
    fatal: false,
  }),
  /** The integration did not answer within 29 s; the request may or may not have reached Kinesis. */
  integrationTimeout: gateway(504, 'IntegrationTimeoutException', 'Endpoint request timed out', {
    errorClass: 'ServerError',
    retryable: true,
    fatal: false,
  }),
} as const satisfies Record<string, GatewayErrorSpec>;

export type GatewayErrorId = keyof typeof GATEWAY_ERRORS;

/**
 * The gateway response a status and body message are, by `x-amzn-ErrorType` when the response has it
 * and else by the exact text; undefined for an answer API Gateway does not give by itself.
 */
export function findGatewayError(
  status: number,
  message: string | undefined,
  errorTypeHeader?: string | undefined,
): GatewayErrorSpec | undefined {
  const errorType = errorTypeHeader?.split(':')[0];
  let byType: GatewayErrorSpec | undefined;
  for (const spec of Object.values(GATEWAY_ERRORS) as GatewayErrorSpec[]) {
    if (spec.status !== status) continue;
    // An empty prefix (texts that vary too much) is recognised by its error type only.
    const textMatches =
      message !== undefined &&
      spec.message !== '' &&
      (spec.messageIsPrefix ? message.startsWith(spec.message) : message === spec.message);
    if (textMatches && (errorType === undefined || errorType === spec.errorType)) return spec;
    if (errorType !== undefined && errorType === spec.errorType) byType ??= spec;
  }
  return byType;
}

/** How to treat an HTTP error status when neither a Kinesis body nor a known gateway text says more. */
export function classifyStatus(status: number): ErrorClassification {
  if (status === 400) return { errorClass: 'ValidationError', retryable: false, fatal: false };
  if (status === 401 || status === 403) return { errorClass: 'AuthError', retryable: false, fatal: true };
  if (status === 404) return { errorClass: 'NotFoundError', retryable: false, fatal: true };
  if (status === 409) return { errorClass: 'ConflictError', retryable: false, fatal: true };
  if (status === 413) return { errorClass: 'PayloadTooLargeError', retryable: false, fatal: false };
  if (status === 429) return { errorClass: 'ThrottledError', retryable: true, fatal: false };
  if (status === 500 || status === 502 || status === 503 || status === 504)
    return { errorClass: 'ServerError', retryable: true, fatal: false };
  if (status > 500) return { errorClass: 'ServerError', retryable: false, fatal: false };
  return { errorClass: 'ApiError', retryable: false, fatal: false };
}
