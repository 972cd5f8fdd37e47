/**
 * "Getting `kproxy`" in packages/cli/README.md, done exactly as written: its commands, read from the
 * README, run one by one with `sh` at the repository root, with npm's global directory in a temporary
 * one (npm_config_prefix, offline) and that directory's bin on PATH, as a user's would be. Then the
 * linked `kproxy` talks to the emulator. `pnpm install` is the one line not run again: the test run
 * already stands on it (running it would rebuild the bin under the other test files).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, buildCli } from './kproxy.ts';

const execFileAsync = promisify(execFile);
const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliDir = join(repoDir, 'packages', 'cli');

/** The commands of the first `sh` block under "## Getting `kproxy`", without their comments. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(cliDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Getting `kproxy`'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('no sh block under "Getting `kproxy`" in packages/cli/README.md');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter(Boolean);
}

const prefix = mkdtempSync(join(tmpdir(), 'kproxy-npm-prefix-'));
const env = {
  ...process.env,
  PATH: `${join(prefix, 'bin')}:${process.env.PATH}`,
  npm_config_prefix: prefix,
  npm_config_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

let proxy: LocalProxy;
beforeAll(async () => {
  await buildCli();
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
}, 60_000);
afterAll(() => proxy?.close());

it('the README’s way from a clone puts a working kproxy on PATH', async () => {
  const commands = readmeCommands();
  expect(commands[0]).toBe('pnpm install');
  const outputs: string[] = [];
  for (const command of commands.slice(1)) {
    const { stdout } = await execFileAsync('sh', ['-c', command], { cwd: repoDir, env });
    outputs.push(stdout);
  }
  // The last command of the block is `kproxy --version`.
  const { version } = JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { version: string };
  expect(outputs.at(-1)?.trim()).toBe(version);

  // The kproxy on PATH is the clone's bin, and it works.
  const { stdout: which } = await execFileAsync('sh', ['-c', 'command -v kproxy'], { env });
  expect(realpathSync(which.trim())).toBe(realpathSync(BIN));
  await execFileAsync('kproxy', ['--endpoint', proxy.url, 'create-stream', 'linked', '--shard-count', '1'], {
    env,
  });
  const { stdout: streams } = await execFileAsync('kproxy', ['--endpoint', proxy.url, 'list-streams'], {
    env,
  });
  expect(streams).toBe('linked\n');

  // And the README's way out.
  await execFileAsync('sh', ['-c', 'npm unlink -g @kproxy/cli'], { cwd: repoDir, env });
  expect(existsSync(join(prefix, 'bin', 'kproxy'))).toBe(false);
}, 120_000);
