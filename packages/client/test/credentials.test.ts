/**
 * A credential provider that fails makes the call fail with an `AuthError` before anything is sent:
 * status 0, the provider's error as `cause`, a message naming the profile, not retried, fatal for bulk
 * runs. The default chain is the real one (`@aws-sdk/credential-provider-node`) over a temporary HOME.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthError, classifyError, isAuthError, isKproxyError } from '../src/index.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();

/** A HOME with one profile, and no way for the chain to reach instance metadata. */
function awsHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'kproxy-client-home-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'credentials'),
    '[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n',
  );
  writeFileSync(join(home, '.aws', 'config'), '[profile dev]\nregion = eu-west-1\n');
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('AWS_CONFIG_FILE', undefined);
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', undefined);
  vi.stubEnv('HOME', home);
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  return home;
}

function countRequests(): { count: number } {
  const seen = { count: 0 };
  server.use(
    http.get(`${BASE}/streams`, () => {
      seen.count++;
      return HttpResponse.json({ StreamNames: [], HasMoreStreams: false });
    }),
  );
  return seen;
}

describe('credential provider failures are AuthErrors', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('the default chain with a profile from the shared files signs', async () => {
    awsHome();
    let authorization: string | null = null;
    server.use(
      http.get(`${BASE}/streams`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({ StreamNames: [], HasMoreStreams: false });
      }),
    );
    const { client } = makeClient({ auth: { type: 'sigv4', profile: 'dev' } });
    await client.listStreams();
    expect(authorization).toMatch(/Credential=AKIDPROFILE\//);
  });

  it('an unknown profile: AuthError, status 0, cause, profile named, nothing sent, not retried', async () => {
    awsHome();
    const seen = countRequests();
    const { client, clock } = makeClient({ auth: { type: 'sigv4', profile: 'nope' } });
    const error = await client.listStreams().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(isAuthError(error) && isKproxyError(error)).toBe(true);
    const auth = error as AuthError;
    expect(auth.status).toBe(0);
    expect(auth.message).toContain('No AWS credentials for profile "nope"');
    expect(auth.hint).toContain('[profile nope]');
    expect((auth.cause as Error).name).toBe('CredentialsProviderError');
    expect(classifyError(auth)).toMatchObject({ retryable: false, fatal: true });
    expect(seen.count).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('AWS_PROFILE names the profile when none is given', async () => {
    awsHome();
    vi.stubEnv('AWS_PROFILE', 'typo');
    countRequests();
    const { client } = makeClient({ auth: { type: 'sigv4' } });
    await expect(client.listStreams()).rejects.toThrow('No AWS credentials for profile "typo"');
  });

  it("the caller's provider throwing: AuthError with the cause", async () => {
    const seen = countRequests();
    const cause = new Error('token service down');
    const { client } = makeClient({
      auth: { type: 'sigv4', credentials: () => Promise.reject(cause) },
    });
    const error = (await client.listStreams().then(
      () => undefined,
      (e: unknown) => e,
    )) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('The credentials provider failed: token service down');
    expect(error.cause).toBe(cause);
    expect(seen.count).toBe(0);
  });
});
