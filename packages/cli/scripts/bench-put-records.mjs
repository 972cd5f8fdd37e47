#!/usr/bin/env node
/**
 * Records per second of `kproxy put-records` against the local emulator, end to end with the built bin:
 * `node packages/cli/scripts/bench-put-records.mjs [records=100000] [shards=4] [concurrency]`.
 *
 * Starts `kproxy local --port 0 --in-memory --quiet`, creates a stream, writes a JSON Lines file of
 * ~100-byte records, runs `kproxy put-records` on it, prints the command's own summary and the wall time.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kproxy.js');
const records = Number(process.argv[2] ?? 100_000);
const shards = Number(process.argv[3] ?? 4);
const concurrency = process.argv[4];

function kproxy(args, env, stderr = 'inherit') {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', stderr],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  return { child, done: once(child, 'close').then(([code]) => ({ code, stdout })) };
}

const local = kproxy(['local', '--port', '0', '--in-memory', '--quiet'], {}, 'ignore');
const [firstChunk] = await once(local.child.stdout, 'data');
const endpoint = String(firstChunk).trim().split('\n')[0];
const env = { KPROXY_ENDPOINT: endpoint, KPROXY_AUTH: 'none' };
const dir = await mkdtemp(join(tmpdir(), 'kproxy-bench-'));
try {
  const created = await kproxy(['create-stream', 'bench', '--shard-count', String(shards), '--wait'], env)
    .done;
  if (created.code !== 0) throw new Error('create-stream failed');
  const file = join(dir, 'records.jsonl');
  const payload = 'x'.repeat(80);
  const lines = Array.from({ length: records }, (_, i) =>
    JSON.stringify({ data: `${i} ${payload}`, partitionKey: `key-${i}` }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);

  const args = [
    'put-records',
    'bench',
    file,
    '--output',
    'json',
    ...(concurrency ? ['--concurrency', concurrency] : []),
  ];
  const started = performance.now();
  const put = await kproxy(args, env).done;
  const wall = (performance.now() - started) / 1000;
  const summary = JSON.parse(put.stdout);
  console.log(
    `put-records: ${summary.succeeded} written, ${summary.failed} failed, ${summary.retries} retried, ` +
      `${summary.requests} requests; ${summary.recordsPerSecond} records/s (command's own timing), ` +
      `${Math.round(summary.succeeded / wall)} records/s wall (process start included, ${wall.toFixed(2)} s); ` +
      `${shards} shards, concurrency ${concurrency ?? 'default (4)'}, Node ${process.version}`,
  );
} finally {
  local.child.kill('SIGINT');
  await local.done;
  await rm(dir, { recursive: true, force: true });
}
