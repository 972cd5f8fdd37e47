import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.ts';

/** `configure --show --output json` in an environment with a given config file. */
async function show(argv: string[], env: Record<string, string | undefined>) {
  const result = await run(['configure', '--show', '--output', 'json', ...argv], {
    env: { KPROXY_ENDPOINT: undefined, KPROXY_AUTH: undefined, ...env },
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

describe('settings precedence: flags > env > config file > local default', () => {
  const dir = tempDir();
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      profiles: {
        default: { endpoint: 'http://from-config:1/v1', region: 'eu-west-1', auth: 'none', timeout: 7 },
        prod: { endpoint: 'https://abc.execute-api.eu-central-1.amazonaws.com/v1', awsProfile: 'prod-creds' },
      },
    }),
  );

  it('nothing configured: the local emulator, no auth', async () => {
    const s = await show([], { KPROXY_CONFIG: join(dir, 'none.json') });
    expect(s).toMatchObject({ endpoint: 'http://127.0.0.1:4600/v1', region: 'us-east-1', auth: 'none' });
    expect(s.sources).toMatchObject({ endpoint: 'default', auth: 'default' });
  });

  it('the config file profile', async () => {
    const s = await show([], { KPROXY_CONFIG: config });
    expect(s).toMatchObject({ endpoint: 'http://from-config:1/v1', region: 'eu-west-1', timeoutSeconds: 7 });
    expect(s.sources.endpoint).toBe('config');
  });

  it('env beats the config file', async () => {
    const s = await show([], {
      KPROXY_CONFIG: config,
      KPROXY_ENDPOINT: 'http://from-env:1/v1',
      AWS_REGION: 'us-west-2',
    });
    expect(s).toMatchObject({ endpoint: 'http://from-env:1/v1', region: 'us-west-2' });
    expect(s.sources.endpoint).toBe('env');
  });

  it('a bad value names where it came from: the flag, or the profile of the config file', async () => {
    const flag = await run(['configure', '--show', '--timeout', '0'], { env: { KPROXY_CONFIG: config } });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('Invalid timeout "0" (from --timeout).');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ profiles: { default: { timeout: -1 } } }));
    const file = await run(['configure', '--show'], {
      env: { KPROXY_CONFIG: join(dir, 'bad.json'), KPROXY_TIMEOUT: undefined },
    });
    expect(file.stderr).toContain(
      'Invalid timeout "-1" (from timeout of profile "default" in the config file).',
    );
  });

  it('flags beat env', async () => {
    const s = await show(['--endpoint', 'http://from-flag:1/v1', '--region', 'ap-south-1'], {
      KPROXY_CONFIG: config,
      KPROXY_ENDPOINT: 'http://from-env:1/v1',
    });
    expect(s).toMatchObject({ endpoint: 'http://from-flag:1/v1', region: 'ap-south-1' });
  });

  it('--profile selects a profile; an execute-api endpoint implies its region and IAM auth', async () => {
    const s = await show(['--profile', 'prod'], { KPROXY_CONFIG: config, AWS_REGION: 'us-east-1' });
    expect(s).toMatchObject({
      region: 'eu-central-1',
      auth: 'iam',
      awsProfile: 'prod-creds',
      profile: 'prod',
    });
  });

  it('an API key implies --auth api-key and is shown redacted', async () => {
    const s = await show([], {
      KPROXY_CONFIG: config,
      KPROXY_API_KEY: 'abcdefghijklmnop',
      KPROXY_AUTH: 'api-key',
    });
    expect(s.auth).toBe('api-key');
    expect(s.apiKey).toBe('abcd…op');
  });

  it('--stack-outputs takes endpoint, region and auth from cdk outputs', async () => {
    const outputs = join(dir, 'outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({
        KproxyStack: {
          KproxyEndpoint: 'https://xyz.execute-api.us-west-1.amazonaws.com/v1/',
          KproxyRegion: 'us-west-1',
          KproxyAuthMode: 'IAM',
        },
      }),
    );
    const s = await show(['--stack-outputs', outputs], { KPROXY_CONFIG: config });
    expect(s).toMatchObject({
      endpoint: 'https://xyz.execute-api.us-west-1.amazonaws.com/v1',
      region: 'us-west-1',
      auth: 'iam',
    });
    expect(s.sources.endpoint).toBe('stack-outputs');
  });

  it('an invalid endpoint is a usage error', async () => {
    const result = await run(['configure', '--show', '--endpoint', 'not a url']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid endpoint');
  });

  it('a malformed config file is reported with its path', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    const result = await run(['list-streams'], { env: { KPROXY_CONFIG: bad } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(bad);
  });
});

describe('kproxy configure', () => {
  it('writes the given values into the profile, mode 0600, and --unset removes them', async () => {
    const config = join(tempDir(), 'sub', 'config.json');
    const env = { KPROXY_CONFIG: config };
    const write = await run(
      [
        'configure',
        '--profile',
        'dev',
        '--endpoint',
        'http://127.0.0.1:4600/v1',
        '--auth',
        'api-key',
        '--api-key',
        'secret',
      ],
      { env },
    );
    expect(write.code).toBe(0);
    expect(write.stderr).toContain('Saved profile "dev"');
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({
      profiles: { dev: { endpoint: 'http://127.0.0.1:4600/v1', auth: 'api-key', apiKey: 'secret' } },
    });
    expect(statSync(config).mode & 0o777).toBe(0o600);
    await run(['configure', '--profile', 'dev', '--unset', 'api-key', 'auth'], { env });
    expect(JSON.parse(readFileSync(config, 'utf8')).profiles.dev).toEqual({
      endpoint: 'http://127.0.0.1:4600/v1',
    });
  });

  it('on a terminal asks for each value, keeping answers typed ahead or pasted at once', async () => {
    const config = join(tempDir(), 'config.json');
    const result = await run(['configure', '--profile', 'dev'], {
      env: { KPROXY_CONFIG: config },
      tty: { stdin: true, stderr: true },
      stdin: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1\neu-west-1\napi-key\nkey-123\n',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(readFileSync(config, 'utf8')).profiles.dev).toEqual({
      endpoint: 'https://abc.execute-api.eu-west-1.amazonaws.com/v1',
      region: 'eu-west-1',
      auth: 'api-key',
      apiKey: 'key-123',
    });
  });

  it('without values and without a terminal it is a usage error', async () => {
    const result = await run(['configure']);
    expect(result.code).toBe(2);
  });
});
