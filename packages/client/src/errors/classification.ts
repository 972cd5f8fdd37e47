/**
 * How to treat any error the client throws: whether repeating the request can succeed, and whether a
 * bulk run should stop. API errors take their classification from the contract's one error table
 * (`KINESIS_ERRORS`, `GATEWAY_ERRORS`); the client's own errors are classified here.
 */
import type { ErrorClassification } from '@kproxy/contract';
import { isApiError, isConnectionError, isKproxyError, isResponseValidationError } from './guards.ts';

/** What a caller should do with an error; `hint` is the usual cause and fix, when one is known. */
export type ErrorTreatment = Omit<ErrorClassification, 'errorClass'>;

const NOT_RETRYABLE: ErrorTreatment = { retryable: false, fatal: false };

/**
 * - API errors: per the contract's table (by Kinesis `__type`, API Gateway's texts, else the status).
 * - Connection failures and timeouts: retryable, and not fatal by themselves: a bulk run keeps going
 *   while other requests succeed (it decides when an endpoint is unusable for good).
 * - A response that does not match the contract: fatal (the endpoint is not a kproxy API).
 * - Anything else (input errors, aborts, bugs): not retryable, not fatal.
 */
export function classifyError(error: unknown): ErrorTreatment {
  if (isApiError(error)) return error.classification;
  if (isConnectionError(error)) return { retryable: true, fatal: false };
  if (isResponseValidationError(error)) {
    return {
      retryable: false,
      fatal: true,
      hint: 'The endpoint answered with something that is not the kproxy API; check that it is the stage URL (e.g. …/v1).',
    };
  }
  if (isKproxyError(error) && error.name === 'AuthError') return { retryable: false, fatal: true };
  return NOT_RETRYABLE;
}

/** Socket errors that mean no connection was made, so no request was sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Whether a failed request may still have taken effect: no answer arrived after it was sent (a timeout,
 * a connection lost mid-exchange), or API Gateway's integration timed out (504: Kinesis may have done
 * the work). Repeating such a request can store its records twice. A refused connection, an HTTP error
 * API Gateway answers by itself and a Kinesis error body all say the request did nothing.
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (isConnectionError(error)) {
    for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
      const code = (cause as { code?: unknown }).code;
      if (typeof code === 'string' && NOT_CONNECTED.has(code)) return false;
    }
    return true;
  }
  return isApiError(error) && error.status === 504 && error.kinesisType === undefined;
}
