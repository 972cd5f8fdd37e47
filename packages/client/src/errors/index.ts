export { ApiError, type ApiErrorInit } from './ApiError.ts';
export {
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
export { ConnectionError, TimeoutError } from './ConnectionError.ts';
export { classifyError, type ErrorTreatment, mayHaveTakenEffect } from './classification.ts';
export * from './guards.ts';
export { InputError } from './InputError.ts';
export { KproxyError } from './KproxyError.ts';
export { ResponseValidationError } from './ResponseValidationError.ts';

import { ConflictError } from './api-errors.ts';
/** `ResourceInUseException` (409): the same class as `ConflictError`, under Kinesis's name. */
export const ResourceInUseError = ConflictError;
export type ResourceInUseError = ConflictError;
