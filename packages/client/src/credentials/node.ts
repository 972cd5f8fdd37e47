/**
 * The default AWS credential chain, for SigV4 without explicit credentials: environment, shared config
 * and credentials files (with `profile`, else `AWS_PROFILE`), SSO, `credential_process`, web identity,
 * container and instance roles. Node only (selected by the `#default-credentials` import condition), and
 * imported on first use so that a client that never signs never loads the AWS SDK.
 */
import type { CredentialProvider } from '../types/options.ts';

export function defaultCredentialProvider(profile: string | undefined): CredentialProvider {
  let provider: CredentialProvider | undefined;
  return async () => {
    if (!provider) {
      // Through our own ES module: see aws-chain.ts for why not `import('@aws-sdk/credential-provider-node')`.
      const { defaultProvider } = await import('./aws-chain.ts');
      // defaultProvider memoizes and refreshes expiring credentials itself.
      provider = defaultProvider(profile ? { profile } : {}) as CredentialProvider;
    }
    return provider();
  };
}
