import { describe, expect, it } from 'vitest';
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

  it('unknown command', async () => {
    const result = await run(['lst-streams']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: Unknown command "lst-streams".');
    expect(result.stderr).toContain('hint: Run `kproxy --help`');
  });

  it('unknown option', async () => {
    const result = await run(['list-streams', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown argument: bogus');
    expect(result.stderr).toContain('Run `kproxy list-streams --help`');
  });

  it('missing positional', async () => {
    const result = await run(['describe-stream']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Not enough non-option arguments');
  });

  it('invalid choice', async () => {
    const result = await run(['list-streams', '--output', 'yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid values');
  });
});

describe('completion', () => {
  it('prints a shell script that calls back kproxy', async () => {
    const result = await run(['completion']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kproxy --get-yargs-completions');
  });

  it('completes command names', async () => {
    const result = await run(['--get-yargs-completions', 'kproxy', 'put-rec']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual(expect.arrayContaining(['put-record']));
  });
});
