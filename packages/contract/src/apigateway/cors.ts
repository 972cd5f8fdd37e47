/**
 * CORS of the API when a deployment enables it (infra's `corsAllowOrigin`, the emulator's `--cors`): one
 * list, so a page that works against `kproxy local` works against the deployed API too.
 */
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
