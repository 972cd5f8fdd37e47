/**
 * API Gateway's own responses (gateway responses): the bodies and `x-amzn-ErrorType` headers a client
 * sees when the gateway answers without calling Kinesis.
 */

export interface GatewayResponse {
  readonly status: number;
  readonly message: string;
  /** The `x-amzn-ErrorType` header. */
  readonly errorType: string;
}

const response = (status: number, errorType: string, message: string): GatewayResponse => ({
  status,
  errorType,
  message,
});

export const gatewayResponses = {
  /** Unknown stage, resource or method; or an IAM-auth method called without a signature. */
  missingAuthenticationToken: response(
    403,
    'MissingAuthenticationTokenException',
    'Missing Authentication Token',
  ),
  /** Missing or unknown `x-api-key`. */
  forbidden: response(403, 'ForbiddenException', 'Forbidden'),
  /** A signature from an access key the gateway does not know. */
  unrecognizedClient: response(
    403,
    'UnrecognizedClientException',
    'The security token included in the request is invalid.',
  ),
  invalidSignature: response(
    403,
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  ),
  signatureExpired: (message: string) => response(403, 'InvalidSignatureException', message),
  incompleteSignature: (message: string) => response(403, 'IncompleteSignatureException', message),
  badRequestBody: response(400, 'BadRequestException', 'Invalid request body'),
  missingParameters: (names: readonly string[]) =>
    response(400, 'BadRequestException', `Missing required request parameters: [${names.join(', ')}]`),
  requestTooLarge: response(413, 'RequestTooLargeException', 'Request Too Long'),
  unsupportedMediaType: response(415, 'UnsupportedMediaTypeException', 'Unsupported Media Type'),
  throttled: response(429, 'TooManyRequestsException', 'Too Many Requests'),
  internalError: response(500, 'InternalServerErrorException', 'Internal server error'),
  integrationTimeout: response(504, 'IntegrationTimeoutException', 'Endpoint request timed out'),
} as const;
