/** Browsers have no default credential chain: SigV4 needs explicit credentials or a provider there. */
import type { CredentialProvider } from '../types/options.ts';

export function defaultCredentialProvider(_profile: string | undefined): CredentialProvider {
  return () =>
    Promise.reject(
      new TypeError(
        "auth: { type: 'sigv4' } needs `credentials` outside Node (there is no default credential chain in a browser)",
      ),
    );
}
