import type { CredentialProvider, Credentials } from '../types/options.ts';

/** Credentials this close to `expiration` are fetched again, as the AWS SDK does. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/**
 * Caches a provider's answer until shortly before it expires (forever without `expiration`); concurrent
 * callers share one in-flight call; a failed call is not cached.
 */
export function memoizeCredentials(provider: CredentialProvider, now: () => number): CredentialProvider {
  let cached: Promise<Credentials> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return () => {
    if (!cached || now() >= expiresAt - REFRESH_BEFORE_EXPIRY_MS) {
      const call = provider().then(
        (credentials) => {
          expiresAt = credentials.expiration ? credentials.expiration.getTime() : Number.POSITIVE_INFINITY;
          return credentials;
        },
        (error: unknown) => {
          if (cached === call) cached = undefined;
          throw error;
        },
      );
      cached = call;
      expiresAt = Number.POSITIVE_INFINITY;
    }
    return cached;
  };
}
