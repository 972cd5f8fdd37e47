/**
 * Adds authorization to one attempt of a request: a SigV4 signature (computed afresh for every attempt,
 * so a retry carries a new `X-Amz-Date`), an API key, or nothing.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { defaultCredentialProvider } from '#default-credentials';
import { Sha256 } from '#hash';
import { credentialsFailure } from '../credentials/failure.ts';
import { memoizeCredentials } from '../credentials/memoize.ts';
import type { AuthOptions } from '../types/options.ts';

/** What the authorizer needs to know of an attempt; `headers` are lower-case and complete. */
export interface UnsignedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Authorizer = (request: UnsignedRequest, now: Date) => Promise<Record<string, string>>;

/** API Gateway's SigV4 service name. */
const SERVICE = 'execute-api';

export function createAuthorizer(auth: AuthOptions, region: string, now: () => number): Authorizer {
  switch (auth.type) {
    case 'none':
      return async (request) => request.headers;
    case 'apiKey':
      return async (request) => ({ ...request.headers, 'x-api-key': auth.apiKey });
    case 'sigv4': {
      const source = auth.credentials ?? defaultCredentialProvider(auth.profile);
      const credentials = typeof source === 'function' ? memoizeCredentials(source, now) : async () => source;
      const signer = new SignatureV4({
        service: SERVICE,
        region: auth.region ?? region,
        credentials,
        sha256: Sha256,
        // API Gateway needs no x-amz-content-sha256 header; the body hash is in the signature anyway.
        applyChecksum: false,
      });
      const from = auth.credentials
        ? { kind: 'provider' as const }
        : { kind: 'default-chain' as const, profile: auth.profile };
      return async (request, signingDate) => {
        // Fetched (or taken from the cache) before signing, so that a failure says where it looked.
        await credentials().catch((error: unknown) => {
          throw credentialsFailure(error, request, from);
        });
        const { url } = request;
        const query: Record<string, string> = {};
        for (const [key, value] of url.searchParams) query[key] = value;
        const signed = await signer.sign(
          {
            method: request.method,
            protocol: url.protocol,
            hostname: url.hostname,
            port: url.port ? Number(url.port) : undefined,
            // The full path, stage included, exactly as sent.
            path: url.pathname,
            query,
            // `host` must be signed; fetch sends the same value itself.
            headers: { ...request.headers, host: url.host },
            body: request.body,
          },
          { signingDate },
        );
        const { host: _host, ...headers } = signed.headers;
        return headers;
      };
    }
  }
}
