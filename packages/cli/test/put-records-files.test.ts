/**
 * `put-records`' own files and messages: `--failed-out` is never the input (compared by device and
 * inode), is synced only when it is a regular file, and a `--failed-out` that fills up stops the run with
 * a summary that names, by line number, what is in neither the stream nor the file. Per-line messages
 * use the CLI's flag names, and `--query` applies to the summary. (`tail --output-file` on a device too.)
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { LineInput } from '../src/put-records/input.ts';
import { fakeStream } from './fake-stream.ts';
import { ENDPOINT, run, tempDir, useMswServer } from './helpers.ts';

const server = useMswServer();

interface SentEntry {
  data: string;
  'partition-key': string;
}

/** Accepts every record, or refuses those `refuse` says (for good); returns what was sent. */
function kinesis(refuse: (data: string) => boolean = () => false) {
  const sent: SentEntry[] = [];
  server.use(
    http.put(`${ENDPOINT}/streams/demo/records`, async ({ request }) => {
      const { records } = (await request.json()) as { records: SentEntry[] };
      sent.push(...records);
      const results = records.map((r, i) =>
        refuse(r.data)
          ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'refused' }
          : { ShardId: 'shardId-000000000000', SequenceNumber: String(i) },
      );
      return HttpResponse.json({
        FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
        Records: results,
      });
    }),
  );
  return sent;
}

const seq = (n: number, prefix = '') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

describe('--failed-out is never the input', () => {
  it('refuses the file stdin is redirected from (`< f.txt`), before emptying it', async () => {
    const sent = kinesis();
    const dir = tempDir();
    const file = join(dir, 'f.txt');
    writeFileSync(file, `${seq(100).join('\n')}\n`);
    // stdin as the shell gives it: a descriptor open on the file.
    const stdin = createReadStream('', { fd: openSync(file, 'r') });
    const result = await run(['put-records', 'demo', '--lines', '--failed-out', 'f.txt'], {
      stdin,
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--failed-out f.txt is the file stdin reads: it would be emptied');
    expect(readFileSync(file, 'utf8')).toBe(`${seq(100).join('\n')}\n`);
    expect(sent).toEqual([]);
  });

  it('refuses it through a symlink (same device and inode, another name)', async () => {
    kinesis();
    const dir = tempDir();
    writeFileSync(join(dir, 'f.txt'), `${seq(100).join('\n')}\n`);
    symlinkSync(join(dir, 'f.txt'), join(dir, 'l.txt'));
    const result = await run(['put-records', 'demo', 'l.txt', '--lines', '--failed-out', 'f.txt'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--failed-out f.txt is the input file (l.txt)');
    expect(readFileSync(join(dir, 'f.txt'), 'utf8').split('\n')).toHaveLength(101);
  });
});

describe('--failed-out on a device or a pipe: written, never fsync’d', () => {
  it('/dev/null: a run with failed lines ends with its summary (exit 3), not EINVAL from fsync', async () => {
    kinesis((data) => data === '2');
    const result = await run(['put-records', 'demo', '--lines', '--failed-out', '/dev/null'], {
      stdin: 'x\n2\n',
    });
    expect(result.stderr).not.toContain('Unexpected error');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('1 line not written is in /dev/null');
  });

  it('a named pipe (as `>(gzip > f.gz)` gives): every failed line arrives, exit 3', async () => {
    kinesis((data) => Number(data) % 2 === 0);
    const dir = tempDir();
    const fifo = join(dir, 'failed.fifo');
    execFileSync('mkfifo', [fifo]);
    let received = '';
    const reader = createReadStream(fifo, 'utf8').on('data', (chunk) => (received += chunk));
    const closed = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    // The reader's open waits for a writer in a thread of its own; it is under way after one turn, so
    // put-records' (synchronous) open for writing then finds it.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const result = await run(['put-records', 'demo', '--lines', '--failed-out', fifo], {
      stdin: seq(10).join('\n'),
    });
    await closed;
    expect(result.stderr).not.toContain('Unexpected error');
    expect(result.code).toBe(3);
    expect(received).toBe('2\n4\n6\n8\n10\n');
  });

  it('tail -e --checkpoint C --output-file /dev/null ends well (exit 0)', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0', 'a1'] });
    const dir = tempDir();
    const args = ['tail', 'demo', '-e', '--checkpoint', 'ck', '--output-file', '/dev/null', '-f', '%s'];
    const result = await run(args, { cwd: dir });
    expect(result.stderr).not.toContain('Unexpected error');
    expect(result.code, result.stderr).toBe(0);
    // And again, resuming from the checkpoint.
    const again = await run(args, { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
  });

  it('tail --checkpoint on a device is refused (a checkpoint is renamed into place)', async () => {
    fakeStream(server, { 'shardId-000000000000': ['a0'] });
    const result = await run(['tail', 'demo', '-e', '--checkpoint', '/dev/null']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The checkpoint /dev/null is not a regular file.');
    expect(existsSync('/dev/null')).toBe(true);
  });
});

describe('a --failed-out that fills up', () => {
  it.runIf(existsSync('/dev/full'))(
    'bad lines into /dev/full: stops with one error and the summary, naming the line not written and where reading stopped',
    async () => {
      const sent = kinesis();
      const result = await run(['put-records', 'demo', '--failed-out', '/dev/full', '--output', 'json'], {
        stdin: seq(3000, 'bad').join('\n'),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).not.toContain('Unexpected error');
      expect(result.stderr.match(/^error: /gm)).toHaveLength(1);
      expect(result.stderr).toContain('error: Stopped: cannot write --failed-out /dev/full: ENOSPC');
      expect(result.stderr).toContain('hint: Free some disk space or pick another --failed-out path');
      expect(result.stderr).toContain('Wrote 0 records, 1 failed (1 bad input line)');
      expect(result.stderr).toContain(
        'Not in /dev/full, and not written to the stream: 1 failed line (line 1).',
      );
      expect(result.stderr).toContain('The input from line 2 on was not read, and is not in /dev/full.');
      expect(JSON.parse(result.stdout)).toMatchObject({
        failed: 1,
        stoppedBy: 'source',
        notInFailedOut: [[1, 1]],
        notReadFrom: 2,
      });
      expect(sent).toEqual([]);
    },
  );

  it.runIf(existsSync('/dev/full'))(
    'records refused by Kinesis into /dev/full: every one named by line number, exit 1',
    async () => {
      kinesis((data) => Number(data) > 3);
      const result = await run(
        [
          'put-records',
          'demo',
          '--lines',
          '--failed-out',
          '/dev/full',
          '--batch-size',
          '5',
          '--output',
          'json',
        ],
        { stdin: seq(12).join('\n') },
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: Stopped: cannot write --failed-out /dev/full: ENOSPC');
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ succeeded: 3, stoppedBy: 'callback' });
      // The records read (a batch or two) failed and are named; the rest was not read.
      const named = (summary.notInFailedOut as [number, number][]).flatMap(([a, b]) =>
        Array.from({ length: b - a + 1 }, (_, i) => a + i),
      );
      expect(named).toEqual(Array.from({ length: summary.notReadFrom - 4 }, (_, i) => 4 + i));
      expect(summary.failed).toBe(named.length);
      expect(result.stderr).toMatch(
        /Not in \/dev\/full, and not written to the stream: \d+ failed lines \(lines 4–/,
      );
    },
  );

  it('the copy of the input not read keeps whole lines only and says from which line it is missing', async () => {
    const { Readable } = await import('node:stream');
    const copy = async (keptBytes: number | undefined) => {
      const input = new LineInput(
        Readable.from([Buffer.from('l1\nl2\nl3\nl4\nl5\nl6')]),
        'stdin',
        undefined,
        false,
      );
      await input.lines().next(); // l1 read
      input.stop();
      return input.copyRest(() => {
        // A file that is full: the write fails, after keeping `keptBytes` of it (whole lines).
        throw Object.assign(new Error('no space'), { code: 'ENOSPC', keptBytes });
      });
    };
    expect(await copy(undefined)).toMatchObject({ lines: 0, bytes: 0, notCopiedFrom: 2 });
    expect(await copy(6)).toMatchObject({ lines: 2, bytes: 6, notCopiedFrom: 4 });
  });
});

describe('per-line messages in the CLI’s terms', () => {
  it('a line over the record size names --max-record-size, not the client option', async () => {
    kinesis();
    const result = await run(['put-records', 'demo', '--lines'], { stdin: `${'a'.repeat(1_500_000)}\n` });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('line 1: InputError: data is too large');
    expect(result.stderr).toContain('raise --max-record-size');
    expect(result.stderr).not.toContain('limits.maxRecordBytes');
  });

  it('an empty --partition-key is named as the flag; an empty key of the line as the line’s field', async () => {
    kinesis();
    const flag = await run(['put-records', 'demo', '--lines', '-k', ''], { stdin: 'a\n' });
    expect(flag.stderr).toContain('line 1: InputError: --partition-key must be 1–256 characters (got 0)');
    const line = await run(['put-records', 'demo'], { stdin: '{"data":"x","partitionKey":""}\n' });
    expect(line.stderr).toContain('line 1: InputError: the line\'s "partitionKey" must be 1–256 characters');
    expect(`${flag.stderr}${line.stderr}`).not.toMatch(/(?<!")partitionKey must/);
  });
});

describe('--query on put-records', () => {
  it('selects from the JSON summary instead of printing all of it', async () => {
    kinesis();
    const json = await run(['--query', 'succeeded', 'put-records', 'demo', '--lines'], { stdin: 'a\nb\n' });
    expect(json.code).toBe(0);
    expect(json.stdout).toBe('2\n');
    const missing = await run(['--query', 'x', 'put-records', 'demo', '--lines'], { stdin: 'a\n' });
    expect(missing.stdout).toBe('null\n');
    const text = await run(
      ['--query', '[succeeded, failed]', '--output', 'text', 'put-records', 'demo', '--lines'],
      {
        stdin: 'a\n',
      },
    );
    expect(text.stdout).toBe('1\t0\n');
  });
});
