/**
 * Type guards that work across realms and duplicated copies of this package: they check a brand in the
 * global symbol registry and the `name`, not only `instanceof`.
 */
import type { ApiError } from './ApiError.ts';
import type {
  AuthError,
  ConflictError,
  ExpiredIteratorError,
  NotFoundError,
  PayloadTooLargeError,
  QuotaExceededError,
  ServerError,
  ThrottledError,
  ValidationError,
} from './api-errors.ts';
import type { ConnectionError, TimeoutError } from './ConnectionError.ts';
import type { InputError } from './InputError.ts';
import { API_ERROR, KPROXY_ERROR, type KproxyError } from './KproxyError.ts';
import type { ResponseValidationError } from './ResponseValidationError.ts';

const branded = (error: unknown, brand: symbol): boolean =>
  typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;

export const isKproxyError = (error: unknown): error is KproxyError => branded(error, KPROXY_ERROR);
export const isApiError = (error: unknown): error is ApiError => branded(error, API_ERROR);

const named =
  <E extends KproxyError>(...names: string[]) =>
  (error: unknown): error is E =>
    isKproxyError(error) && names.includes(error.name);

export const isNotFoundError = named<NotFoundError>('NotFoundError');
export const isConflictError = named<ConflictError>('ConflictError');
/** Alias of `isConflictError`. */
export const isResourceInUseError = isConflictError;
export const isThrottledError = named<ThrottledError>('ThrottledError');
export const isExpiredIteratorError = named<ExpiredIteratorError>('ExpiredIteratorError');
export const isAuthError = named<AuthError>('AuthError');
export const isValidationError = named<ValidationError>('ValidationError');
export const isPayloadTooLargeError = named<PayloadTooLargeError>('PayloadTooLargeError');
export const isQuotaExceededError = named<QuotaExceededError>('QuotaExceededError');
export const isServerError = named<ServerError>('ServerError');
/** True for `ConnectionError` and its subclass `TimeoutError`. */
export const isConnectionError = named<ConnectionError>('ConnectionError', 'TimeoutError');
export const isTimeoutError = named<TimeoutError>('TimeoutError');
export const isResponseValidationError = named<ResponseValidationError>('ResponseValidationError');
export const isInputError = named<InputError>('InputError');
