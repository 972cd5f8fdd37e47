/**
 * `put-records`' own files through the built bin, as a shell runs it: stdin redirected from the
 * `--failed-out` file, `--failed-out >(…)` (a pipe), and files that fill up — a file size limit
 * (`ulimit -f`, with SIGXFSZ ignored, so a write fails with EFBIG as on a full disk) makes
 * `--failed-out` or the journal fail partway, without root.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, type Emulator, readBack, startEmulator } from '../writes/harness.ts';

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'kproxy-put-files-'));
beforeAll(async () => {
  emulator = await startEmulator();
  await createStream(emulator.client, 'files', 2);
}, 60_000);
afterAll(() => emulator?.stop());

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with `sh -c` (`$K` is the bin), stdin from `stdin` (a file descriptor) or nothing. */
function shell(script: string, stdin?: number, shellName = 'sh'): Promise<Result> {
  const child = spawn(shellName, ['-c', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      K: `${process.execPath} ${emulator.bin}`,
      KPROXY_ENDPOINT: emulator.url,
      KPROXY_AUTH: 'none',
      KPROXY_CONFIG: '/nonexistent/kproxy-config.json',
    },
    stdio: [stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A file size limit of 4 KiB (512-byte blocks in sh), SIGXFSZ ignored: a write past it fails (EFBIG). */
const LIMITED = 'trap "" XFSZ; ulimit -f 8; exec $K';

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line-${from + i}`);

describe('put-records and its files, through a shell', () => {
  it('`put-records S --lines --failed-out f.txt < f.txt` is refused and f.txt kept', async () => {
    writeFileSync(join(dir, 'f.txt'), `${lines(1, 100).join('\n')}\n`);
    const fd = openSync(join(dir, 'f.txt'), 'r');
    const result = await shell('exec $K put-records files --lines --failed-out f.txt', fd);
    closeSync(fd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--failed-out f.txt is the file stdin reads');
    expect(readFileSync(join(dir, 'f.txt'), 'utf8').split('\n')).toHaveLength(101);
  });

  it('`--failed-out >(cat > g.txt)` (a pipe) and `--failed-out /dev/null` end with their summary', async () => {
    writeFileSync(join(dir, 'bad.txt'), 'not json\n{"data":"ok","partitionKey":"k"}\nalso not\n');
    const piped = await shell(
      'exec $K put-records files bad.txt --failed-out >(cat > g.txt); wait',
      undefined,
      'bash',
    );
    expect(piped.stderr).not.toContain('Unexpected error');
    expect(piped.code).toBe(3);
    const devNull = await shell('exec $K put-records files bad.txt --failed-out /dev/null');
    expect(devNull.stderr).not.toContain('Unexpected error');
    expect(devNull.code).toBe(3);
    expect(devNull.stderr).toContain('2 lines not written are in /dev/null');
  });

  it('a --failed-out that fills up while the input not read is copied: whole lines, and the line it stops at', async () => {
    writeFileSync(join(dir, 'in.txt'), `${lines(1, 5000).join('\n')}\n`);
    // An unknown stream stops the run at once; the rest of the input is copied until the file is full.
    const result = await shell(
      `${LIMITED} put-records nope in.txt --lines --failed-out full.txt --concurrency 1 --batch-size 10 --output json`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: Stopped: ResourceNotFoundException');
    const summary = JSON.parse(result.stdout) as {
      failed: number;
      notRead: number;
      notReadFrom: number;
      notInFailedOut?: unknown;
    };
    // The failed records went in; the copy of the rest stopped partway.
    expect(summary.notInFailedOut).toBeUndefined();
    expect(summary.notRead).toBeGreaterThan(0);
    const copied = readFileSync(join(dir, 'full.txt'), 'utf8');
    expect(copied.length).toBeLessThanOrEqual(4096);
    expect(copied.endsWith('\n')).toBe(true);
    // What is in the file is lines 1 to notReadFrom - 1 (failed or copied), each once, whole.
    expect(copied.split('\n').filter(Boolean).sort()).toEqual(lines(1, summary.notReadFrom - 1).sort());
    expect(summary.failed + summary.notRead).toBe(summary.notReadFrom - 1);
    expect(result.stderr).toContain(
      `The input from line ${summary.notReadFrom.toLocaleString('en-US')} on was not read, and is not in full.txt.`,
    );
  });

  it('a journal that fills up stops the run, names the lines it misses; run again, only those are written twice', async () => {
    writeFileSync(join(dir, 'j-in.txt'), `${lines(1, 3000).join('\n')}\n`);
    await createStream(emulator.client, 'journal-full', 2);
    const command = 'put-records journal-full j-in.txt --lines --checkpoint j --batch-size 10 --output json';
    const first = await shell(`${LIMITED} ${command}`);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('error: Stopped: cannot write --checkpoint j: EFBIG');
    expect(first.stderr).toMatch(
      /The journal j misses \d+ lines settled after it could no longer be written/,
    );
    expect(statSync(join(dir, 'j')).size).toBeLessThanOrEqual(4096);
    const summary = JSON.parse(first.stdout) as { stoppedBy: string; notJournalled?: [number, number][] };
    expect(summary.stoppedBy).toBe('callback');
    const missed = new Set((summary.notJournalled ?? []).flatMap(([a, b]) => lines(a, b)));

    const second = await shell(`exec $K ${command}`);
    expect(second.code, second.stderr).toBe(0);
    const stored = await readBack(emulator.client, 'journal-full');
    const all = lines(1, 3000);
    expect(all.filter((l) => !stored.has(l))).toEqual([]);
    const twice = all.filter((l) => (stored.get(l) ?? 0) > 1);
    // Stored twice: only lines the first run named (or the second counted as possible duplicates).
    const counted = (JSON.parse(second.stdout) as { possibleDuplicates: number }).possibleDuplicates;
    expect(twice.filter((l) => !missed.has(l)).length).toBeLessThanOrEqual(counted);
    expect(twice.length).toBeGreaterThan(0);
  });
});
