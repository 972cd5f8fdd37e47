/**
 * API Gateway's own responses (gateway responses): the bodies and `x-amzn-ErrorType` headers a client
 * sees when the gateway answers without calling Kinesis. Status, error type and text come from the
 * contract's `GATEWAY_ERRORS`, the table the client recognises them by.
 */
import { GATEWAY_ERRORS, type GatewayErrorId } from '@kproxy/contract';

export interface GatewayResponse {
  readonly status: number;
  readonly message: string;
  /** The `x-amzn-ErrorType` header. */
  readonly errorType: string;
}

/** The gateway response `id`, with its fixed text. */
const fixed = (id: GatewayErrorId): GatewayResponse => {
  const { status, errorType, message } = GATEWAY_ERRORS[id];
  return { status, errorType, message };
};

/** The gateway response `id` whose text varies: the table's text begins it, `rest` ends it. */
const varying =
  (id: GatewayErrorId) =>
  (rest: string): GatewayResponse => {
    const { status, errorType, message } = GATEWAY_ERRORS[id];
    return { status, errorType, message: `${message}${rest}` };
  };

export const gatewayResponses = {
  /** Unknown stage, resource or method; or an IAM-auth method called without a signature. */
  missingAuthenticationToken: fixed('missingAuthenticationToken'),
  /** Missing or unknown `x-api-key`. */
  forbidden: fixed('forbidden'),
  /** A signature from an access key the gateway does not know. */
  unrecognizedClient: fixed('unrecognizedClient'),
  invalidSignature: fixed('invalidSignature'),
  /** `Signature expired: <date> is now earlier than <date> (<date> - 5 min.)`: give the part after the prefix. */
  signatureExpired: varying('signatureExpired'),
  /** `Signature not yet current: <date> is still later than …`: give the part after the prefix. */
  signatureNotYetCurrent: varying('signatureNotYetCurrent'),
  /** `Credential should be scoped to …`: give the rest (which region or service). */
  wrongScope: varying('wrongScope'),
  /** The whole text varies (`Authorization header requires …`). */
  incompleteSignature: varying('incompleteSignature'),
  badRequestBody: fixed('badRequestBody'),
  /** `Missing required request parameters: [shard-id]`. */
  missingParameters: (names: readonly string[]) => varying('missingParameters')(`[${names.join(', ')}]`),
  requestTooLarge: fixed('requestTooLarge'),
  unsupportedMediaType: fixed('unsupportedMediaType'),
  throttled: fixed('throttled'),
  internalError: fixed('internalError'),
  integrationTimeout: fixed('integrationTimeout'),
} as const;
