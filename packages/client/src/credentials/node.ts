/**
 * The default AWS credential chain, for SigV4 without explicit credentials. Node only (selected by the
 * `#default-credentials` import condition), and imported on first use so that a client that never
 * signs never loads the AWS SDK.
 */
import type { CredentialProvider } from '../types/options.ts';

export function defaultCredentialProvider(profile: string | undefined): CredentialProvider {
  let provider: CredentialProvider | undefined;
  return async () => {
    if (!provider) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      // defaultProvider memoizes and refreshes expiring credentials itself.
      provider = defaultProvider(profile ? { profile } : {}) as CredentialProvider;
    }
    return provider();
  };
}
