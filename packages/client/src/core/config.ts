/** Resolves `ClientOptions` into the context every call uses. */
import { DEFAULTS, executeApiRegion, LIMITS } from '@kproxy/contract';
import { createAuthorizer } from '../auth/authorizer.ts';
import type { ClientLimits, ClientOptions } from '../types/options.ts';
import { realClock } from './clock.ts';
import type { RequestContext } from './request.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;

export const DEFAULT_LIMITS: ClientLimits = {
  maxRecordBytes: LIMITS.maxRecordBytes,
  maxBatchBytes: LIMITS.maxBatchBytes,
  maxRecordsPerBatch: LIMITS.maxRecordsPerBatch,
  maxRequestBodyBytes: LIMITS.maxApiGatewayBodyBytes,
};

export function resolveConfig(options: ClientOptions): {
  context: RequestContext;
  limits: ClientLimits;
  region: string;
} {
  if (typeof options?.endpoint !== 'string' || options.endpoint === '') {
    throw new TypeError(
      'KproxyClient: `endpoint` (the stage URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/v1) is required',
    );
  }
  let url: URL;
  try {
    url = new URL(options.endpoint);
  } catch {
    throw new TypeError(`KproxyClient: endpoint ${JSON.stringify(options.endpoint)} is not a URL`);
  }
  if (url.search || url.hash) throw new TypeError('KproxyClient: endpoint must not have a query or fragment');
  const clock = options.clock ?? realClock;
  const region = options.region ?? executeApiRegion(url.hostname) ?? DEFAULTS.region;
  const limits: ClientLimits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(options.limits ?? {})) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS) || !Number.isInteger(value) || value < 1) {
      throw new TypeError(`KproxyClient: limits.${key} must be a known limit and a positive integer`);
    }
    limits[key as keyof ClientLimits] = value;
  }
  const context: RequestContext = {
    endpoint: options.endpoint.replace(/\/+$/, ''),
    authorize: createAuthorizer(options.auth ?? { type: 'none' }, region, () => clock.now()),
    // Resolve the global lazily so test doubles installed after construction are used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    headers: options.headers ?? {},
    hooks: options.hooks ?? {},
    clock,
  };
  return { context, limits, region };
}
