/**
 * How the deployed API reports Kinesis errors.
 *
 * Kinesis answers every client error with HTTP 400 and a JSON body `{"__type": "...", "message": "..."}`.
 * The integration responses (`apigateway/integration-responses.ts`) keep that body and set a meaningful status from
 * `__type`; the client uses the same table to classify a Kinesis error body that arrives with a
 * different status (deployments made from AWS's tutorial answer HTTP 200 for errors).
 */

/** The status the API answers for each Kinesis error type it distinguishes. */
export const KINESIS_ERROR_STATUS = {
  ResourceNotFoundException: 404,
  ResourceInUseException: 409,
  ProvisionedThroughputExceededException: 429,
  LimitExceededException: 429,
  KMSThrottlingException: 429,
  AccessDeniedException: 403,
  ServiceUnavailableException: 503,
  InternalFailure: 500,
} as const satisfies Record<string, number>;

export type KinesisErrorType = keyof typeof KINESIS_ERROR_STATUS | (string & {});

/** Kinesis error types a caller can succeed with by retrying the same request later. */
export const RETRYABLE_KINESIS_ERRORS: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'KMSThrottlingException',
  'InternalFailure',
  'ServiceUnavailableException',
  'ServiceUnavailable',
  'ThrottlingException',
]);

/**
 * `__type` may carry a namespace (`com.amazonaws.kinesis.v20131202#ResourceNotFoundException`) or a
 * trailing `:http://…` reference; this returns the bare error name.
 */
export function kinesisErrorName(type: string): string {
  const afterHash = type.slice(type.lastIndexOf('#') + 1);
  const colon = afterHash.indexOf(':');
  return colon === -1 ? afterHash : afterHash.slice(0, colon);
}

/** The status the deployed API gives a Kinesis error body: the table above, else 400 for client errors. */
export function statusForKinesisError(type: string, backendStatus = 400): number {
  const status = (KINESIS_ERROR_STATUS as Record<string, number>)[kinesisErrorName(type)];
  return status ?? (backendStatus >= 500 ? 500 : 400);
}
