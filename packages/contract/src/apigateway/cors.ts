/**
 * CORS of the API when a deployment enables it (infra's `corsAllowOrigin`, the emulator's `--cors`): one
 * list, so a page that works against `kproxy local` works against the deployed API too.
 */
import type { HttpMethod } from '../operation.ts';
import { operations } from '../operations/index.ts';

/**
 * Request headers a page may send: API Gateway's usual CORS set (aws-cdk-lib's `Cors.DEFAULT_HEADERS`:
 * content type, the SigV4 headers, the API key) followed by the operations' header parameters
 * (`Shard-Iterator`).
 */
export const CORS_ALLOW_HEADERS: readonly string[] = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  ...new Set(
    Object.values(operations).flatMap((op) => op.params.filter((p) => p.in === 'header').map((p) => p.name)),
  ),
];

/** How long a browser may cache a preflight answer, in seconds. */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * Methods a preflight allows: every method of the API, and OPTIONS. The deployed API answers the same
 * list on every resource (the CDK construct's preflight is one for all), and so does the emulator.
 */
export const CORS_ALLOW_METHODS: readonly (HttpMethod | 'OPTIONS')[] = [
  ...new Set(Object.values(operations).map((op) => op.method)),
  'OPTIONS',
];

/**
 * Response headers a page may read besides the CORS-safelisted ones: the request id API Gateway puts on
 * every answer, and the error type of its own errors (what a client needs to report and classify them).
 */
export const CORS_EXPOSE_HEADERS: readonly string[] = ['x-amzn-RequestId', 'x-amzn-ErrorType'];
