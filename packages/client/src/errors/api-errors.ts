/** One `ApiError` subclass per kind of failure a caller may want to handle on its own. */
import { ApiError } from './ApiError.ts';

/** 404 or `ResourceNotFoundException`: the stream (or route) does not exist. Not retried. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError' as const;
}

/** 409 or `ResourceInUseException`: the stream is being created, deleted or updated. Not retried. */
export class ConflictError extends ApiError {
  override readonly name = 'ConflictError' as const;
}

/**
 * 429, `ProvisionedThroughputExceededException`, `LimitExceededException` (a request rate),
 * `KMSThrottlingException`: too many requests for the shard, the stream or API Gateway. Retried with
 * backoff.
 */
export class ThrottledError extends ApiError {
  override readonly name = 'ThrottledError' as const;
}

/**
 * A spent quota: the account's shard limit (`LimitExceededException` "would exceed the shard limit"),
 * or an API key's usage-plan quota (429 "Limit Exceeded"). Waiting a few seconds does not help: not
 * retried.
 */
export class QuotaExceededError extends ApiError {
  override readonly name = 'QuotaExceededError' as const;
}

/** `ExpiredIteratorException`: the shard iterator is older than 5 minutes; get a new one. Not retried. */
export class ExpiredIteratorError extends ApiError {
  override readonly name = 'ExpiredIteratorError' as const;
}

/**
 * 401/403, `AccessDeniedException`: missing, wrong or insufficient credentials. Also (status 0, nothing
 * sent, the provider's error as `cause`) credentials that could not be had: an unknown profile, an
 * expired SSO session, a credential provider that failed. Not retried.
 */
export class AuthError extends ApiError {
  override readonly name = 'AuthError' as const;
}

/**
 * 400 from API Gateway (`Invalid request body`: the method request model rejected the body) or a
 * Kinesis `InvalidArgumentException`/`ValidationException`. Not retried.
 */
export class ValidationError extends ApiError {
  override readonly name = 'ValidationError' as const;
}

/** 413: the request body exceeds API Gateway's 10 MB limit. Not retried; send smaller batches. */
export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError' as const;
}

/** 5xx or a Kinesis `InternalFailure`/`ServiceUnavailable`: retried with backoff where it can help. */
export class ServerError extends ApiError {
  override readonly name = 'ServerError' as const;
}
