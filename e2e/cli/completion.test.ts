/**
 * Shell completion in the real shells: the script `kproxy completion <shell>` prints, loaded into bash,
 * zsh and fish, with the built bin on PATH as `kproxy`, against the emulator. Commands, options, option
 * choices, stream names (asked of the API the command line points at), files, and nothing at all —
 * quietly — when the API is down or does not answer.
 *
 * bash: the completion function called as bash calls it (COMP_WORDS, COMP_CWORD). zsh: an interactive
 * zsh in a pseudo-terminal (zsh/zpty), TAB typed, the completed line read back. fish: `complete -C`,
 * fish's own completion engine. zsh and fish come from Debian (`.ci/run` installs them); outside CI a
 * missing one skips its tests.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KproxyClient } from '@kproxy/client';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, buildCli } from './kproxy.ts';

const execFileAsync = promisify(execFile);

const work = mkdtempSync(join(tmpdir(), 'kproxy-completion-'));
const binDir = join(work, 'bin');
const filesDir = join(work, 'files');
mkdirSync(binDir);
mkdirSync(filesDir);
// The built bin as a user has it on PATH.
symlinkSync(BIN, join(binDir, 'kproxy'));
writeFileSync(join(filesDir, 'record-one.json'), '{}');
writeFileSync(join(filesDir, 'record-two.json'), '{}');

let proxy: LocalProxy;
/** An address where nothing listens, and one that accepts connections and never answers. */
let closedEndpoint: string;
let silent: Server;
let silentEndpoint: string;

beforeAll(async () => {
  await buildCli();
  proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
  const client = new KproxyClient({ endpoint: proxy.url });
  for (const streamName of ['demo-orders', 'demo-users', 'other']) {
    await client.createStream({ streamName, shardCount: 1 });
  }
  silent = createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  silentEndpoint = `http://127.0.0.1:${port}/v1`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedEndpoint = `http://127.0.0.1:${(closed.address() as { port: number }).port}/v1`;
  await new Promise((resolve) => closed.close(resolve));
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  silent?.close();
});

const env = (endpoint = proxy.url): NodeJS.ProcessEnv => ({
  PATH: `${binDir}:${process.env.PATH}`,
  HOME: work,
  KPROXY_ENDPOINT: endpoint,
  KPROXY_AUTH: 'none',
  KPROXY_CONFIG: join(work, 'none.json'),
  SHELL: '/bin/sh',
});

const has = async (shell: string) =>
  execFileAsync('sh', ['-c', `command -v ${shell}`]).then(
    () => true,
    () => false,
  );
/** A shell that is missing skips its tests, except in CI, where `.ci/run` installs it. */
const available = async (shell: string) => {
  if (await has(shell)) return true;
  if (process.env.CI) throw new Error(`${shell} is not installed; .ci/run installs it`);
  return false;
};

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/** What bash offers for the words typed (the last is the word under the cursor). */
async function bash(words: string[], options: { endpoint?: string } = {}): Promise<string[]> {
  const script = [
    'source <(kproxy completion bash)',
    `COMP_WORDS=(kproxy ${words.map(quote).join(' ')})`,
    `COMP_CWORD=${words.length}`,
    '_kproxy_complete 2>/dev/null',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout, stderr } = await execFileAsync('bash', ['--norc', '--noprofile', '-c', script], {
    cwd: filesDir,
    env: env(options.endpoint),
  });
  expect(stderr).toBe('');
  return stdout.split('\n').filter(Boolean);
}

describe('bash', () => {
  it('kproxy completion bash registers a completion for kproxy', async () => {
    const { stdout } = await execFileAsync(
      'bash',
      ['--norc', '--noprofile', '-c', 'source <(kproxy completion bash); complete -p kproxy'],
      { env: env() },
    );
    expect(stdout.trim()).toBe('complete -F _kproxy_complete kproxy');
  });

  it('commands', async () => {
    expect(await bash(['desc'])).toEqual(['describe-stream', 'describe-stream-summary']);
    expect(await bash([''])).toEqual(
      expect.arrayContaining(['list-streams', 'put-records', 'tail', 'local']),
    );
    // kproxy's additions to the seed API's commands.
    expect(await bash(['list-sh'])).toEqual(['list-shards']);
    expect(await bash(['update-'])).toEqual(['update-shard-count']);
  });

  it('options of the command, global ones included', async () => {
    expect(await bash(['list-streams', '--max'])).toEqual(['--max-items', '--max-record-size']);
    expect(await bash(['put-record', 'demo', '--partition'])).toEqual(['--partition-key']);
    expect(await bash(['put-record', '--str'])).toEqual(['--stream-name']);
  });

  it('option choices', async () => {
    expect(await bash(['describe-stream', 'demo', '--output', ''])).toEqual(['text', 'json']);
    expect(await bash(['get-shard-iterator', 'demo', '--type', 'AT_'])).toEqual([
      'AT_SEQUENCE_NUMBER',
      'AT_TIMESTAMP',
    ]);
    expect(await bash(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(await bash(['update-shard-count', 'demo', '--scaling-type', ''])).toEqual(['UNIFORM_SCALING']);
    expect(await bash(['update-shard-count', 'demo', '--w'])).toEqual(['--wait-timeout', '--wait']);
  });

  it('stream names from the API, for the positional and for --stream-name', async () => {
    expect(await bash(['describe-stream', 'demo-'])).toEqual(['demo-orders', 'demo-users']);
    expect(await bash(['put-record', '--stream-name', 'oth'])).toEqual(['other']);
    expect(await bash(['tail', ''])).toEqual(['demo-orders', 'demo-users', 'other']);
    expect(await bash(['list-shards', 'demo-'])).toEqual(['demo-orders', 'demo-users']);
  });

  it('stream names from the API the typed --endpoint names', async () => {
    const words = ['--endpoint', proxy.url, 'describe-stream', 'demo-o'];
    expect(await bash(words, { endpoint: closedEndpoint })).toEqual(['demo-orders']);
  });

  it('nothing, and no error, when the API is down or does not answer', async () => {
    expect(await bash(['describe-stream', ''], { endpoint: closedEndpoint })).toEqual([]);
    expect(await bash(['describe-stream', ''], { endpoint: silentEndpoint })).toEqual([]);
  });

  it('file names for file options', async () => {
    expect(await bash(['put-record', 'demo', '--data-file', 'record-'])).toEqual([
      'record-one.json',
      'record-two.json',
    ]);
  });
});

/** Types each line and TAB into an interactive zsh (zsh/zpty) and returns the lines as completed. */
async function zsh(lines: string[], options: { endpoint?: string } = {}): Promise<string[]> {
  const driver = `
zmodload zsh/zpty
zpty z 'zsh -f -i'
out=''
expect() {
  local chunk deadline=$((SECONDS + 20))
  while (( SECONDS < deadline )); do
    if zpty -r -t z chunk; then out+=$chunk; [[ $out == *"$1"* ]] && return 0; else sleep 0.05; fi
  done
  print -r -- "timed out waiting for $1 in: $out" >&2
  return 1
}
zpty -w z 'PS1="> "; autoload -Uz compinit; compinit -u -d "$HOME/.zcompdump"; source <(kproxy completion zsh); echo READY'
expect $'READY\\r' || exit 1
for line in "$@"; do
  out=''
  # The line, TAB, then back to its start to turn it into: echo BUFFER=<the completed line>
  # (the space a completion adds after a word is not part of what echo prints).
  zpty -w -n z "$line"$'\\t\\x01echo BUFFER=\\n'
  expect 'BUFFER=kproxy' && expect $'\\r' || exit 1
  print -r -- "\${\${out##*BUFFER=}%%$'\\r'*}"
done
zpty -d z
`;
  const { stdout } = await execFileAsync('zsh', ['-f', '-c', driver, 'zsh', ...lines], {
    cwd: filesDir,
    env: env(options.endpoint),
  });
  return stdout.split('\n').filter(Boolean);
}

describe('zsh', () => {
  it('commands, options, choices, stream names: TAB completes the line', async (context) => {
    if (!(await available('zsh'))) return context.skip();
    expect(
      await zsh([
        'kproxy desc',
        'kproxy list-streams --max-i',
        'kproxy describe-stream demo-orders --output j',
        'kproxy describe-stream demo-u',
        'kproxy put-record --stream-name ot',
      ]),
    ).toEqual([
      'kproxy describe-stream',
      'kproxy list-streams --max-items',
      'kproxy describe-stream demo-orders --output json',
      'kproxy describe-stream demo-users',
      'kproxy put-record --stream-name other',
    ]);
  }, 60_000);

  it('files for file options; nothing from a dead API', async (context) => {
    if (!(await available('zsh'))) return context.skip();
    expect(await zsh(['kproxy put-record demo --data-file record-o'])).toEqual([
      'kproxy put-record demo --data-file record-one.json',
    ]);
    expect(await zsh(['kproxy describe-stream demo-u'], { endpoint: closedEndpoint })).toEqual([
      'kproxy describe-stream demo-u',
    ]);
  }, 60_000);
});

/** What fish offers (`complete -C`) for the command line, as `value<TAB>description` lines. */
async function fish(commandLine: string, options: { endpoint?: string } = {}): Promise<string[]> {
  const { stdout } = await execFileAsync(
    'fish',
    ['--no-config', '-c', `kproxy completion fish | source; complete -C${quote(commandLine)}`],
    { cwd: filesDir, env: env(options.endpoint) },
  );
  return stdout.split('\n').filter(Boolean);
}

describe('fish', () => {
  it('commands and options with their descriptions', async (context) => {
    if (!(await available('fish'))) return context.skip();
    expect(await fish('kproxy desc')).toEqual([
      'describe-stream\tShow a stream: status, mode, retention and every shard',
      'describe-stream-summary\tShow a stream without its shards: status, mode, retention, open shard count',
    ]);
    expect(await fish('kproxy update-shard-count demo --sc')).toEqual([
      '--scaling-type\tHow to reshard: UNIFORM_SCALING (the only type Kinesis has, and the default)',
    ]);
    expect(await fish('kproxy list-streams --max-i')).toEqual([
      '--max-items\tPrint at most this many items in all; a NextToken says where the rest start',
    ]);
  });

  it('choices, stream names, files; nothing from a dead API', async (context) => {
    if (!(await available('fish'))) return context.skip();
    expect(await fish('kproxy describe-stream demo-orders --output ')).toEqual(['json', 'text']);
    expect(await fish('kproxy describe-stream demo-')).toEqual(['demo-orders', 'demo-users']);
    expect(await fish('kproxy put-record demo --data-file record-t')).toEqual(['record-two.json']);
    expect(await fish('kproxy describe-stream ', { endpoint: closedEndpoint })).toEqual([]);
  });
});
