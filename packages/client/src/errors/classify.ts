/**
 * Turns an error response into the right `ApiError` subclass, by the contract's error table: a Kinesis
 * error body (`__type`) decides the kind whatever the status (deployments built from AWS's tutorial
 * answer errors with HTTP 200); else one of API Gateway's own answers, recognised by its text; else the
 * status.
 */
import {
  classifyKinesisError,
  classifyStatus,
  type ErrorClassification,
  type ErrorClassName,
  findGatewayError,
  kinesisErrorName,
} from '@kproxy/contract';
import { ApiError, type ApiErrorInit } from './ApiError.ts';
import {
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

type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

const CLASSES: Record<ErrorClassName, ApiErrorClass> = {
  NotFoundError,
  ConflictError,
  ThrottledError,
  QuotaExceededError,
  ExpiredIteratorError,
  AuthError,
  ValidationError,
  PayloadTooLargeError,
  ServerError,
  ApiError,
};

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
  let classification: ErrorClassification;
  let hint: string | undefined;
  if (kinesisType) {
    // A Kinesis error that arrived with 200 is classified as the integration responses would have
    // answered it; `status` stays the status that arrived.
    classification = classifyKinesisError(kinesisType, text, init.status >= 500 ? init.status : 400);
  } else {
    const gateway = findGatewayError(init.status, text, init.headers['x-amzn-errortype']);
    classification = gateway ?? classifyStatus(init.status);
    // API Gateway's answers puzzle people; Kinesis's messages speak for themselves.
    hint = gateway?.hint;
  }
  const ErrorClass = CLASSES[classification.errorClass];
  const what = kinesisType ?? `HTTP ${init.status}`;
  const path = safePath(init.url);
  const message =
    `${what}${text ? `: ${text}` : ''}${hint ? ` (${hint})` : ''}` +
    ` [${init.method} ${path}${kinesisType ? `, HTTP ${init.status}` : ''}` +
    `${init.headers['x-amzn-requestid'] ? `, request id ${init.headers['x-amzn-requestid']}` : ''}]`;
  return new ErrorClass({ ...init, kinesisType, hint, message, classification });
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
