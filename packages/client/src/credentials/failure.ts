/**
 * A credential provider that fails (no profile of that name, an expired SSO session, a
 * `credential_process` that exits non-zero, a caller's provider that throws) makes the request fail
 * with an `AuthError` before anything is sent: status 0, the provider's error as `cause`, and a message
 * and hint that name where the credentials were looked for.
 */
import { AuthError } from '../errors/api-errors.ts';

/** Where the credentials came from: the default chain (with a profile or not), or the caller's provider. */
export type CredentialSource = { kind: 'default-chain'; profile: string | undefined } | { kind: 'provider' };

/** `AWS_PROFILE` as the default chain reads it; absent in browsers. */
function envProfile(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.AWS_PROFILE || undefined;
}

export function credentialsFailure(
  cause: unknown,
  request: { method: string; url: URL },
  source: CredentialSource,
): AuthError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  let message: string;
  let hint: string;
  if (source.kind === 'provider') {
    message = `The credentials provider failed: ${reason}`;
    hint = 'The function given as auth.credentials threw or rejected; see the cause.';
  } else {
    const profile = source.profile ?? envProfile();
    if (profile) {
      message = `No AWS credentials for profile "${profile}": ${reason}`;
      hint = `Check that ~/.aws/credentials has a [${profile}] section or ~/.aws/config a [profile ${profile}] section (keys, SSO, credential_process or a role to assume); for SSO, log in again (aws sso login --profile ${profile}).`;
    } else {
      message = `No AWS credentials found by the default chain: ${reason}`;
      hint =
        'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile in ~/.aws/config (aws configure) and select it with AWS_PROFILE.';
    }
  }
  return new AuthError({
    message: `${message} [${request.method} ${request.url.pathname}, not sent]`,
    // Nothing was sent: no status, no body.
    status: 0,
    body: undefined,
    headers: {},
    hint,
    classification: { errorClass: 'AuthError', retryable: false, fatal: true, hint },
    method: request.method,
    url: request.url.href,
    cause,
  });
}
