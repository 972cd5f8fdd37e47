import { describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../src/registry.ts';
import { run } from './helpers.ts';

describe('help', () => {
  it('kproxy --help lists every command, the global options and the exit codes', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const command of COMMANDS) expect(result.stdout).toContain(`kproxy ${command.command}`);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toMatchSnapshot();
  });

  it.each(COMMANDS.map((c) => c.command))('kproxy %s --help shows usage and examples', async (command) => {
    const result = await run([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toMatchSnapshot();
  });

  it('--version prints the version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('usage errors exit 2 with one line and a hint', () => {
  it('no command', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('error: Give a command');
  });

  it('unknown command, with the command meant', async () => {
    const result = await run(['lst-streams']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: Unknown command "lst-streams".\nhint: Did you mean `kproxy list-streams`? Run `kproxy --help` for the list of commands.\n',
    );
  });

  it('an unknown command nothing is close to', async () => {
    const result = await run(['frobnicate']);
    expect(result.stderr).toBe(
      'error: Unknown command "frobnicate".\nhint: Run `kproxy --help` for the list of commands.\n',
    );
  });

  it('unknown option, with the option meant (swapped letters, a missing one, a global option)', async () => {
    const bogus = await run(['list-streams', '--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toBe(
      'error: Unknown option --bogus.\nhint: Run `kproxy list-streams --help` for usage.\n',
    );
    const swapped = await run(['describe-stream', 'demo', '--outptu', 'json']);
    expect(swapped.stderr).toContain('error: Unknown option --outptu.');
    expect(swapped.stderr).toContain('hint: Did you mean --output?');
    const missing = await run(['put-record', 'demo', '--dat', 'x']);
    expect(missing.stderr).toContain('hint: Did you mean --data?');
    // Only the name typed, not yargs' camelCase twin of it.
    const aws = await run(['put-record', 'demo', '--stream-nam', 'demo', '--data', 'x']);
    expect(aws.stderr).toContain('error: Unknown option --stream-nam.\nhint: Did you mean --stream-name?');
    expect(aws.stderr).not.toContain('streamNam');
    // A part of the option's name.
    const part = await run(['put-record', 'demo', '--file', 'x']);
    expect(part.stderr).toContain('error: Unknown option --file.\nhint: Did you mean --data-file?');
  });

  it('an extra argument', async () => {
    const result = await run(['describe-stream', 'a', 'b']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: Unexpected argument "b".');
  });

  it('missing stream name', async () => {
    const result = await run(['describe-stream']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: Which stream? Give its name.');
    expect(result.stderr).toContain('--stream-name NAME');
  });

  it('invalid choice, missing option, missing value: in terms of flags, one line', async () => {
    const choice = await run(['list-streams', '--output', 'yaml']);
    expect(choice.code).toBe(2);
    expect(choice.stderr).toBe(
      'error: --output "yaml" is not one of: text, json.\nhint: Run `kproxy list-streams --help` for usage.\n',
    );
    const missing = await run(['get-records', 'demo']);
    expect(missing.stderr).toContain('error: Missing --shard-iterator.\n');
    const noValue = await run(['describe-stream', 'demo', '--page-size']);
    expect(noValue.stderr).toContain('error: --page-size needs a value.\n');
  });

  it('messages are in English whatever the locale', async () => {
    // yargs reads the locale from the process environment.
    vi.stubEnv('LC_ALL', 'de_DE.UTF-8');
    vi.stubEnv('LANG', 'de_DE.UTF-8');
    try {
      expect((await run(['list-streams', '--bogus'])).stderr).toContain('Unknown option --bogus');
      expect((await run(['list-streams', 'extra'])).stderr).toContain('Unexpected argument "extra"');
      expect((await run(['list-streams', '--output', 'x'])).stderr).toContain('is not one of: text, json');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('completion', () => {
  it('prints a script for each shell that calls back `kproxy __complete`', async () => {
    for (const shell of ['bash', 'zsh', 'fish']) {
      const result = await run(['completion', shell]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('kproxy __complete');
    }
  });

  it('takes the shell from $SHELL, and asks when it cannot', async () => {
    expect((await run(['completion'], { env: { SHELL: '/usr/bin/zsh' } })).stdout).toContain(
      '#compdef kproxy',
    );
    const unknown = await run(['completion'], { env: { SHELL: '/bin/tcsh' } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('kproxy completion bash');
  });

  it('__complete: command names, options, choices', async () => {
    expect((await run(['__complete', 'get-'])).stdout).toBe(
      'get-shard-iterator\tGet a shard iterator (valid 5 minutes) to read a shard with get-records\nget-records\tRead one batch of records from a shard iterator\n',
    );
    expect((await run(['__complete', 'get-records', '--shard-i'])).stdout).toBe(
      '--shard-iterator\tIterator from get-shard-iterator or get-records\n',
    );
    expect((await run(['__complete', 'tail', 'demo', '--output', ''])).stdout).toBe('text\njson\n');
    // -k is put-record's alias of --partition-key, which takes a free value: nothing to offer.
    expect((await run(['__complete', 'put-record', 'demo', '-k', ''])).stdout).toBe('');
  });
});
