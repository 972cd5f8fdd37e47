/**
 * `kproxy local` in-process: it starts the real emulator (lazily imported @kproxy/local, embedded
 * engine), prints the endpoint on stdout and hints on stderr, serves the API, and stops on the signal.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/core/io.ts';
import { main } from '../src/main.ts';
import { tempDir } from './helpers.ts';

function capture(): PassThrough & { text(): string; isTTY: boolean } {
  const stream = new PassThrough() as PassThrough & { text(): string; isTTY: boolean };
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  stream.isTTY = false;
  return stream;
}

async function startLocal(argv: string[], env: Record<string, string> = {}) {
  const stdout = capture();
  const stderr = capture();
  const controller = new AbortController();
  const stdin = Readable.from([]) as Io['stdin'];
  const io: Io = {
    stdout,
    stderr,
    stdin,
    env: { KPROXY_CONFIG: `${tempDir()}/config.json`, HOME: '/nonexistent-home', ...env },
    cwd: tempDir(),
    signal: controller.signal,
  };
  const exit = main(['local', '--port', '0', '--in-memory', ...argv], io);
  for (let i = 0; i < 200 && !/^http:\/\/\S+/m.test(stdout.text()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const url = /^(http:\/\/\S+)/m.exec(stdout.text())?.[1];
  if (!url) throw new Error(`kproxy local printed no endpoint:\n${stderr.text()}`);
  const stop = () => {
    controller.abort();
    return exit;
  };
  return { url, stdout, stderr, stop };
}

/** Runs `kproxy local` with flags it refuses: its exit code and stderr. */
async function runLocalOnce(argv: string[]) {
  const stderr = capture();
  const io: Io = {
    stdout: capture(),
    stderr,
    stdin: Readable.from([]) as Io['stdin'],
    env: { KPROXY_CONFIG: `${tempDir()}/config.json`, HOME: '/nonexistent-home' },
    cwd: tempDir(),
    signal: new AbortController().signal,
  };
  const code = await main(['local', '--port', '0', '--in-memory', ...argv], io);
  return { code, stderr: stderr.text() };
}

describe('kproxy local', () => {
  it('serves the API on the endpoint it prints, logs requests, and exits 0 when stopped', async () => {
    const local = await startLocal([]);
    expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(local.stderr.text()).toContain('create-stream demo --shard-count 2');

    const created = await fetch(`${local.url}/streams/from-cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ShardCount":1}',
    });
    expect(created.status).toBe(200);
    const listed = (await (await fetch(`${local.url}/streams`)).json()) as { StreamNames: string[] };
    expect(listed.StreamNames).toEqual(['from-cli']);
    expect(local.stderr.text()).toMatch(/POST \/v1\/streams\/from-cli 200/);

    expect(await local.stop()).toBe(0);
    expect(local.stderr.text()).toContain('Stopping');
  });

  it('with --auth api-key, refuses a request without the key and never prints the key', async () => {
    const local = await startLocal(['--auth', 'api-key', '--api-key', 'local-secret-key', '--quiet']);
    expect((await fetch(`${local.url}/streams`)).status).toBe(403);
    const ok = await fetch(`${local.url}/streams`, { headers: { 'x-api-key': 'local-secret-key' } });
    expect(ok.status).toBe(200);
    expect(await local.stop()).toBe(0);
    expect(local.stdout.text() + local.stderr.text()).not.toContain('local-secret-key');
  });

  it('with --cors, answers preflights and lets the page read responses', async () => {
    const origin = 'http://localhost:5173';
    const local = await startLocal(['--cors', origin, '--quiet']);
    expect(local.stderr.text()).toContain(`CORS for ${origin}`);
    const preflight = await fetch(`${local.url}/streams/demo/record`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    // The API's methods on every resource, as the deployed API's preflight answers.
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE,PUT,OPTIONS');
    const listed = await fetch(`${local.url}/streams`, { headers: { origin } });
    expect(listed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(await local.stop()).toBe(0);
  });

  it("with --seed-routes, serves only the seed API's eight routes, as a deployment made from the seeds", async () => {
    const local = await startLocal(['--seed-routes', '--quiet', '--in-memory']);
    expect(local.stderr.text()).toContain("routes: the seed API's eight only");
    await fetch(`${local.url}/streams/seeded`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ShardCount":1}',
    });
    const shards = await fetch(`${local.url}/streams/seeded/shards`);
    expect(shards.status).toBe(403);
    expect(await shards.json()).toEqual({ message: 'Missing Authentication Token' });
    expect((await fetch(`${local.url}/streams/seeded`)).status).toBe(200);
    expect(await local.stop()).toBe(0);
  });

  it('refuses a --cors value that is not an origin', async () => {
    const { code, stderr } = await runLocalOnce(['--cors', 'http://localhost:5173/']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/cors must be '\*' or an origin/);
  });

  it('with --shard-limits, enforces and announces per-shard limits', async () => {
    const local = await startLocal(['--quiet', '--shard-limits', 'writes=3rps']);
    expect(local.stderr.text()).toContain(
      'shard limits: writes 3 records/s and 1 MiB/s, reads 5 calls/s and 2 MiB/s per shard',
    );
    const json = { 'content-type': 'application/json' };
    await fetch(`${local.url}/streams/limited`, { method: 'POST', headers: json, body: '{"ShardCount":1}' });
    const records = Array.from({ length: 20 }, (_, i) => ({ data: `r${i}`, 'partition-key': 'k' }));
    const put = await fetch(`${local.url}/streams/limited/records`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ records }),
    });
    const body = (await put.json()) as { FailedRecordCount: number };
    expect(body.FailedRecordCount).toBeGreaterThan(0);
    expect(await local.stop()).toBe(0);
  });

  it('refuses a --shard-limits spec it cannot read, showing the syntax', async () => {
    const { code, stderr } = await runLocalOnce(['--shard-limits', 'writes=fast']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('"fast" is neither a rate (1000rps) nor a size (1MiB)');
  });

  it('suggests `pnpm kproxy` when started by the repository script `pnpm start`', async () => {
    const local = await startLocal(['--quiet'], { npm_lifecycle_event: 'start' });
    expect(local.stderr.text()).toContain('pnpm kproxy');
    expect(await local.stop()).toBe(0);
  });

  it('suggests `npx kproxy` when started with npx, and `kproxy` otherwise', async () => {
    const npx = await startLocal(['--quiet'], { npm_command: 'exec', npm_lifecycle_event: 'npx' });
    expect(npx.stderr.text()).toContain('  npx kproxy');
    expect(await npx.stop()).toBe(0);
    const plain = await startLocal(['--quiet'], {});
    expect(plain.stderr.text()).toMatch(/^ {2}kproxy( --endpoint \S+)? create-stream demo/m);
    expect(await plain.stop()).toBe(0);
  });
});
