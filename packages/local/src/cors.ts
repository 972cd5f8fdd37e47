/**
 * CORS as the deployed API adds it with `corsAllowOrigin`: an `OPTIONS` preflight on every resource,
 * answered by the gateway without authorization, and `Access-Control-Allow-Origin` on every other
 * response, the gateway's own errors included, so a browser page on that origin can read them all.
 */
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from '@kproxy/contract';
import type { MethodResponse } from './integration.ts';

/** `*`, or a serialized origin: scheme, host and port, with no path (`http://localhost:5173`). */
export function isCorsOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export class Cors {
  /** The headers every response gets (on a preflight answer the browser ignores the expose list). */
  readonly responseHeaders: Readonly<Record<string, string>>;

  constructor(readonly origin: string) {
    this.responseHeaders = {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(','),
    };
  }

  /** The gateway's answer to a preflight on a resource of the API: the same methods on every one. */
  preflight(): MethodResponse {
    return {
      status: 204,
      headers: {
        'access-control-allow-origin': this.origin,
        'access-control-allow-methods': CORS_ALLOW_METHODS.join(','),
        'access-control-allow-headers': CORS_ALLOW_HEADERS.join(','),
        'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
        // The answer names one origin: a cache must not serve it for a request from another.
        ...(this.origin === '*' ? {} : { vary: 'Origin' }),
      },
      body: '',
    };
  }

  /** `response` with the CORS headers every response carries added. */
  decorate(response: MethodResponse): MethodResponse {
    return { ...response, headers: { ...response.headers, ...this.responseHeaders } };
  }
}
