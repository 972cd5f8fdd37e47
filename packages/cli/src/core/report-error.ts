/**
 * Turns any error into one line and a hint the user can act on. API errors keep the API's own message
 * and add what usually causes them; anything unexpected is reported as a bug, with its stack only under
 * `--debug`.
 */
import {
  type ApiError,
  isApiError,
  isAuthError,
  isConflictError,
  isConnectionError,
  isExpiredIteratorError,
  isInputError,
  isKproxyError,
  isNotFoundError,
  isPayloadTooLargeError,
  isResponseValidationError,
  isThrottledError,
  isTimeoutError,
  isValidationError,
} from '@kproxy/client';
import { LOCAL_DEFAULT_ENDPOINT } from '@kproxy/contract';
import { CliError } from './errors.ts';
import { ExitCode } from './exit-codes.ts';

export interface ErrorReport {
  message: string;
  hint?: string | undefined;
  exitCode: ExitCode;
}

export interface ErrorContext {
  /** The endpoint the command talked to, when it got that far. */
  endpoint?: string | undefined;
  auth?: string | undefined;
}

export function reportError(error: unknown, context: ErrorContext = {}): ErrorReport {
  if (error instanceof CliError)
    return { message: error.message, hint: error.hint, exitCode: error.exitCode };
  if (isInputError(error)) {
    // Checked before anything was sent: the command line (or an input line) carried a bad value.
    return { message: error.message, exitCode: ExitCode.Usage };
  }
  if (isConnectionError(error)) return connectionReport(error, context);
  if (isApiError(error)) return { ...apiReport(error, context), exitCode: ExitCode.Error };
  if (isResponseValidationError(error)) {
    return {
      message: `The API answered with a response kproxy does not understand: ${error.message}`,
      hint: 'Check that --endpoint is the stage URL of a kproxy API (e.g. …/v1), not another service.',
      exitCode: ExitCode.Error,
    };
  }
  if (isKproxyError(error)) return { message: error.message, exitCode: ExitCode.Error };
  if (error instanceof Error && error.name === 'CredentialsProviderError') {
    return {
      message: `No AWS credentials to sign with (--auth iam): ${error.message}`,
      hint: 'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile NAME; use --auth none for the local emulator.',
      exitCode: ExitCode.Error,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    message: `Unexpected error: ${message}`,
    hint: 'This looks like a bug in kproxy; rerun with --debug for the stack trace and report it.',
    exitCode: ExitCode.Error,
  };
}

function connectionReport(error: Error, context: ErrorContext): ErrorReport {
  const endpoint = context.endpoint ?? 'the endpoint';
  if (isTimeoutError(error)) {
    return {
      message: `No answer from ${endpoint} in time: ${error.message}`,
      hint: 'Raise --timeout (seconds), or check that the endpoint is reachable.',
      exitCode: ExitCode.Error,
    };
  }
  const hint =
    context.endpoint === undefined || context.endpoint === LOCAL_DEFAULT_ENDPOINT
      ? 'Start the emulator with `kproxy local` (in another terminal), or point kproxy at your API with --endpoint, KPROXY_ENDPOINT or `kproxy configure`.'
      : 'Check the endpoint URL (--endpoint, KPROXY_ENDPOINT or `kproxy configure`) and your network.';
  return {
    message: `Cannot connect to ${endpoint}: ${error.message}`,
    hint,
    exitCode: ExitCode.Error,
  };
}

function apiReport(error: ApiError, context: ErrorContext): { message: string; hint?: string } {
  const requestId =
    error.requestId && !error.message.includes(error.requestId) ? ` (request id ${error.requestId})` : '';
  // The client's hint speaks of its own options (`auth: { type: 'sigv4' }`); the CLI gives its own.
  const core = error.hint ? error.message.replace(` (${error.hint})`, '') : error.message;
  const message = `${core}${requestId}`;
  const text = `${error.message} ${bodyMessage(error.body)}`;
  if (isNotFoundError(error)) {
    return { message, hint: 'List the streams with `kproxy list-streams`; names are case-sensitive.' };
  }
  if (isConflictError(error)) {
    return {
      message,
      hint: 'The stream is being created, updated or deleted; check its status with `kproxy describe-stream NAME` and retry.',
    };
  }
  if (isThrottledError(error)) {
    return { message, hint: 'Too many requests: lower --concurrency, or add shards to the stream.' };
  }
  if (isExpiredIteratorError(error)) {
    return {
      message,
      hint: 'Shard iterators expire after 5 minutes: get a new one with `kproxy get-shard-iterator`.',
    };
  }
  if (isPayloadTooLargeError(error)) {
    return {
      message,
      hint: 'The request body is over API Gateway’s 10 MB limit: send smaller records or batches.',
    };
  }
  if (isAuthError(error) || error.status === 403) return { message, hint: authHint(error, text, context) };
  if (isValidationError(error)) {
    return {
      message,
      hint: 'The API rejected a parameter; run the command with --debug to see the request.',
    };
  }
  return { message };
}

function authHint(error: ApiError, text: string, context: ErrorContext): string {
  if (
    error.gatewayErrorType === 'MissingAuthenticationTokenException' ||
    /Missing Authentication Token/i.test(text)
  ) {
    return context.auth === 'iam'
      ? 'API Gateway found no such route, or the request was not accepted as signed: check the stage in --endpoint (e.g. …/v1) and the region (--region).'
      : 'API Gateway found no such route, or the method needs signed requests: check the stage in --endpoint (e.g. …/v1) and try --auth iam.';
  }
  if (/signature we calculated does not match/i.test(text)) {
    return 'The SigV4 signature was rejected: check the secret key of your AWS credentials and --region (the API’s region).';
  }
  if (/security token included in the request is invalid/i.test(text)) {
    return 'AWS does not know these credentials: check AWS_ACCESS_KEY_ID / --profile, and AWS_SESSION_TOKEN for temporary credentials.';
  }
  if (/Signature expired/i.test(text))
    return 'Your clock is more than 5 minutes off: sync it (e.g. with NTP).';
  if (/^\s*Forbidden\b/i.test(bodyMessage(error.body)) || context.auth === 'api-key') {
    return 'The API key was missing or not accepted: check --api-key / KPROXY_API_KEY and that the key belongs to the API’s usage plan.';
  }
  if (/not authorized|AccessDenied/i.test(text)) {
    return 'The credentials are valid but not allowed to call this method: check the IAM policy (execute-api:Invoke).';
  }
  return 'Check the credentials and the auth mode (--auth iam|api-key|none).';
}

function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null) {
    const { message, Message } = body as { message?: unknown; Message?: unknown };
    if (typeof message === 'string') return message;
    if (typeof Message === 'string') return Message;
  }
  return '';
}
