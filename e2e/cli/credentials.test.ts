/**
 * The built `kproxy` signing with AWS credentials as a user has them: a temporary HOME with
 * `~/.aws/credentials` and `~/.aws/config`, against `kproxy local --auth iam` (also the built bin, as a
 * child process) that verifies SigV4 with the accepted key pair and region. Profiles by `--profile`,
 * `AWS_PROFILE` and a kproxy profile's `awsProfile`; the region taken from the AWS profile; a
 * `credential_process` profile (a provider of the default chain loaded on first use); and a wrong
 * profile failing before anything is sent, with an AuthError naming the profile.
 *
 * Every child gets an environment made here (no AWS variable of the machine running the tests), with
 * instance metadata turned off: the default chain's last resort would otherwise ask 169.254.169.254.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type Child, kproxy, run } from './kproxy.ts';

const ACCESS_KEY = 'AKIDPROFILEDEV';
const SECRET = 'profile-dev-secret';
const REGION = 'eu-west-1';

const home = mkdtempSync(join(tmpdir(), 'kproxy-e2e-home-'));
mkdirSync(join(home, '.aws'));
writeFileSync(
  join(home, '.aws', 'credentials'),
  `[dev]\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = ${SECRET}\n\n` +
    `[wrong-secret]\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = not-the-secret\n`,
);
// A profile whose keys come from a command, as `credential_process` gives them.
const processScript = join(home, 'credentials.cjs');
writeFileSync(
  processScript,
  `console.log(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(ACCESS_KEY)}, SecretAccessKey: ${JSON.stringify(SECRET)} }));\n`,
);
writeFileSync(
  join(home, '.aws', 'config'),
  `[profile dev]\nregion = ${REGION}\n\n[profile wrong-secret]\nregion = ${REGION}\n\n` +
    `[profile from-process]\nregion = ${REGION}\ncredential_process = ${process.execPath} ${processScript}\n\n` +
    // The right keys, in a profile whose region is not the API's.
    `[profile other-region]\nregion = ap-southeast-2\naws_access_key_id = ${ACCESS_KEY}\naws_secret_access_key = ${SECRET}\n`,
);

/** The environment of a user with nothing but that HOME: no AWS variables, no kproxy settings. */
const userEnv = (extra: Record<string, string | undefined> = {}) => ({
  HOME: home,
  KPROXY_AUTH: undefined,
  KPROXY_ENDPOINT: undefined,
  KPROXY_CONFIG: join(home, 'kproxy-config.json'),
  AWS_EC2_METADATA_DISABLED: 'true',
  ...extra,
});

let emulator: Child;
let endpoint: string;

beforeAll(async () => {
  await buildCli();
  emulator = kproxy(
    [
      'local',
      ...['--port', '0', '--in-memory', '--quiet'],
      ...['--auth', 'iam', '--credentials', `${ACCESS_KEY}:${SECRET}`, '--region', REGION],
    ],
    { endpoint: 'unused', env: userEnv() },
  );
  endpoint = await new Promise<string>((resolve, reject) => {
    emulator.onStdout((stdout) => {
      const url = /^http:\/\/\S+/m.exec(stdout)?.[0];
      if (url) resolve(url);
    });
    emulator.done.then((result) => reject(new Error(`kproxy local exited: ${result.stderr}`)));
  });
}, 60_000);

afterAll(async () => {
  emulator?.kill('SIGTERM');
  await emulator?.done;
});

const asUser = (args: string[], env: Record<string, string | undefined> = {}) =>
  run(['--endpoint', endpoint, '--auth', 'iam', ...args], { endpoint, env: userEnv(env) });

describe('the built kproxy signs with the AWS default credential chain', () => {
  it('--profile: keys from ~/.aws/credentials, region from ~/.aws/config', async () => {
    const created = await asUser(['--profile', 'dev', 'create-stream', 'signed', '--shard-count', '1']);
    expect(created.code, created.stderr).toBe(0);
    const listed = await asUser(['--profile', 'dev', 'list-streams']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContain('signed');
  });

  it('AWS_PROFILE selects the profile', async () => {
    const listed = await asUser(['list-streams'], { AWS_PROFILE: 'dev' });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContain('signed');
  });

  it("a kproxy profile's awsProfile selects the AWS profile", async () => {
    writeFileSync(
      join(home, 'kproxy-config.json'),
      JSON.stringify({ profiles: { work: { endpoint, auth: 'iam', awsProfile: 'dev' } } }),
    );
    const listed = await run(['--profile', 'work', 'list-streams'], { endpoint, env: userEnv() });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContain('signed');
  });

  it('a credential_process profile (a provider the chain loads on first use)', async () => {
    const listed = await asUser(['--profile', 'from-process', 'list-streams']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')).toContain('signed');
  });

  it('keys in the environment, no profile', async () => {
    const listed = await asUser(['--region', REGION, 'list-streams'], {
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET,
    });
    expect(listed.code, listed.stderr).toBe(0);
  });

  it('an unknown profile fails before sending: an AuthError, and a hint naming the profile', async () => {
    const result = await asUser(['--profile', 'nope', 'list-streams', '--debug']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: No AWS credentials for profile "nope"');
    expect(result.stderr).toMatch(/hint: .*\[profile nope\].*--profile/);
    // The client's error class, in the stack --debug prints; and no request went out.
    expect(result.stderr).toMatch(/^AuthError: No AWS credentials for profile "nope"/m);
    expect(result.stderr).not.toContain('→ GET');
  });

  it('a profile of another region is refused by the API: a region hint, not a malformed-header one', async () => {
    const result = await asUser(['--profile', 'other-region', 'list-streams']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Credential should be scoped to a valid region, not 'ap-southeast-2'.");
    expect(result.stderr).toMatch(/hint: .*another region than the API's.*AWS profile "other-region"/);
  });

  it('a profile with the wrong secret is refused by the API: a signature hint', async () => {
    const result = await asUser(['--profile', 'wrong-secret', 'list-streams']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('signature');
    expect(result.stderr).toMatch(/hint: .*secret.*AWS profile "wrong-secret"/i);
  });
});
