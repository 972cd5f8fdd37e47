import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { fit } from '../src/put-records/progress.ts';
import { ENDPOINT, run, tempDir, useMswServer } from './helpers.ts';

const server = useMswServer();

interface SentEntry {
  data: string;
  'partition-key': string;
  encoding?: string;
  'explicit-hash-key'?: string;
}

/** Accepts every record except those whose data is listed in `refuse` (refused for good). */
function kinesis(refuse: string[] = []) {
  const sent: SentEntry[] = [];
  server.use(
    http.put(`${ENDPOINT}/streams/demo/records`, async ({ request }) => {
      const { records } = (await request.json()) as { records: SentEntry[] };
      sent.push(...records);
      const results = records.map((r, i) =>
        refuse.includes(r.data)
          ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'refused' }
          : { ShardId: 'shardId-000000000000', SequenceNumber: String(1000 + i) },
      );
      return HttpResponse.json({
        FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
        Records: results,
      });
    }),
  );
  return sent;
}

describe('put-records', () => {
  it('sends JSON Lines: text, JSON values and base64 data, with their keys', async () => {
    const sent = kinesis();
    const input = [
      '{"data": "hello", "partitionKey": "a"}',
      '{"data": {"n": 1}, "partitionKey": "b", "explicitHashKey": "42"}',
      '',
      '{"dataBase64": "AAEC/w==", "partitionKey": "c"}',
    ].join('\n');
    const result = await run(['put-records', 'demo'], { stdin: input });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Wrote 3 records');
    expect(sent).toEqual([
      { data: 'hello', 'partition-key': 'a' },
      { data: '{"n":1}', 'partition-key': 'b', 'explicit-hash-key': '42' },
      { data: 'AAEC/w==', 'partition-key': 'c', encoding: 'base64' },
    ]);
  });

  it('--lines takes each line as data, keys from a template', async () => {
    const sent = kinesis();
    const result = await run(['put-records', 'demo', '-', '--lines', '--partition-key', 'k{n}'], {
      stdin: 'one\ntwo\r\n',
    });
    expect(result.code).toBe(0);
    expect(sent).toEqual([
      { data: 'one', 'partition-key': 'k1' },
      { data: 'two', 'partition-key': 'k2' },
    ]);
  });

  it('--partition-key-field takes the key from the JSON data', async () => {
    const sent = kinesis();
    await run(['put-records', 'demo', '--lines', '--partition-key-field', 'user.id'], {
      stdin: '{"user":{"id":7}}\n',
    });
    expect(sent[0]?.['partition-key']).toBe('7');
  });

  it('reports bad lines with their numbers, keeps going, writes them to --failed-out, exits 3', async () => {
    const sent = kinesis(['refused']);
    const dir = tempDir();
    const input = [
      '{"data": "ok1", "partitionKey": "a"}',
      'not json',
      '{"partitionKey": "a"}',
      '{"data": "refused", "partitionKey": "a"}',
      '{"data": "no key"}',
      '{"data": "ok2", "partitionKey": "a"}',
    ].join('\n');
    const result = await run(['put-records', 'demo', '--failed-out', 'failed.jsonl', '--max-attempts', '1'], {
      stdin: input,
      cwd: dir,
    });
    expect(result.code).toBe(3);
    expect(sent.map((s) => s.data)).toEqual(['ok1', 'refused', 'ok2']);
    expect(result.stderr).toContain('line 2: not valid JSON');
    expect(result.stderr).toContain('line 3: needs exactly one of "data" or "dataBase64"');
    expect(result.stderr).toContain('line 4: InvalidArgumentException: refused');
    expect(result.stderr).toContain('line 5: no "partitionKey"');
    expect(result.stderr).toContain('Wrote 2 records, 4 failed');
    const failed = readFileSync(join(dir, 'failed.jsonl'), 'utf8').split('\n');
    expect(failed.sort()).toEqual(
      [
        '',
        'not json',
        '{"partitionKey": "a"}',
        '{"data": "refused", "partitionKey": "a"}',
        '{"data": "no key"}',
      ].sort(),
    );
  });

  it('reads a file argument and prints a JSON summary with --output json', async () => {
    kinesis();
    const dir = tempDir();
    writeFileSync(join(dir, 'in.jsonl'), '{"data":"x","partitionKey":"k"}\n'.repeat(1200));
    const result = await run(['put-records', 'demo', 'in.jsonl', '--output', 'json'], { cwd: dir });
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ succeeded: 1200, failed: 0, badLines: 0, complete: true });
    expect(summary.requests).toBe(3);
  });

  it('stops at an error that fails every record (unknown stream), exit 1', async () => {
    server.use(
      http.put(`${ENDPOINT}/streams/demo/records`, () =>
        HttpResponse.json(
          { __type: 'ResourceNotFoundException', message: 'Stream demo not found' },
          { status: 404 },
        ),
      ),
    );
    const result = await run(['put-records', 'demo'], {
      stdin: '{"data":"x","partitionKey":"k"}\n'.repeat(3000),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Stopped: ResourceNotFoundException: Stream demo not found');
    expect(result.stderr).toMatch(/line 1: ResourceNotFoundException: Stream demo not found/);
    // The type is said once, not again at the start of the message.
    expect(result.stderr).not.toContain('ResourceNotFoundException: ResourceNotFoundException');
    expect(result.stderr).toContain('kproxy list-streams');
  });

  it('a missing input file is an error', async () => {
    const result = await run(['put-records', 'demo', '/nonexistent.jsonl']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot read /nonexistent.jsonl');
  });

  it('draws a progress line on a terminal stderr only', async () => {
    kinesis();
    const tty = await run(['put-records', 'demo', '--lines', '--progress'], { stdin: 'a\n' });
    expect(tty.stderr).toContain('\r\x1b[2K');
    const piped = await run(['put-records', 'demo', '--lines'], { stdin: 'a\n' });
    expect(piped.stderr).not.toContain('\x1b[2K');
  });
});

/** Records every PutRecords request; `answer` decides each one (default: all written). */
function recordingKinesis(answer?: (entries: SentEntry[], n: number) => Promise<Response> | Response) {
  const requests: SentEntry[][] = [];
  server.use(
    http.put(`${ENDPOINT}/streams/demo/records`, async ({ request }) => {
      const { records } = (await request.json()) as { records: SentEntry[] };
      requests.push(records);
      if (answer) return answer(records, requests.length);
      return HttpResponse.json({
        FailedRecordCount: 0,
        Records: records.map((_, i) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(i) })),
      });
    }),
  );
  return requests;
}
const written = (requests: SentEntry[][]) => requests.flatMap((r) => r.map((e) => e.data));
const linesOf = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line-${from + i}`);
const failedLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

describe('put-records --aggregate', () => {
  it('packs the lines into KPL aggregated records; a refused one puts all its lines in --failed-out', async () => {
    server.use(
      http.get(`${ENDPOINT}/streams/demo/shards`, () =>
        HttpResponse.json({
          Shards: [
            {
              ShardId: 'shardId-000000000000',
              HashKeyRange: { StartingHashKey: '0', EndingHashKey: String(2n ** 128n - 1n) },
              SequenceNumberRange: { StartingSequenceNumber: '1' },
            },
          ],
        }),
      ),
    );
    const sent: SentEntry[] = [];
    let first = true;
    server.use(
      http.put(`${ENDPOINT}/streams/demo/records`, async ({ request }) => {
        const { records } = (await request.json()) as { records: SentEntry[] };
        sent.push(...records);
        // The first aggregated record is refused for good; the others are stored.
        const results = records.map((_, i) => {
          const refuse = first && i === 0;
          return refuse
            ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'refused' }
            : { ShardId: 'shardId-000000000000', SequenceNumber: String(1000 + i) };
        });
        first = false;
        return HttpResponse.json({ Records: results });
      }),
    );
    const dir = tempDir();
    const lines = Array.from({ length: 3_000 }, (_, i) =>
      JSON.stringify({ data: `line ${i}`, partitionKey: `k${i}` }),
    );
    writeFileSync(join(dir, 'in.jsonl'), `${lines.join('\n')}\n`);
    const result = await run(
      ['put-records', 'demo', 'in.jsonl', '--aggregate', '--failed-out', 'failed.jsonl', '--output', 'json'],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(3);
    const { decodeAggregatedRecord } = await import('@kproxy/client');
    const users = (entry: SentEntry) =>
      decodeAggregatedRecord(Buffer.from(entry.data, 'base64'))!.map((u) => Buffer.from(u.data).toString());
    expect(sent.every((e) => e.encoding === 'base64')).toBe(true);
    const refused = users(sent[0]!);
    // The refused aggregate's lines, as they were in the input, and no others.
    const failed = readFileSync(join(dir, 'failed.jsonl'), 'utf8').trim().split('\n');
    expect(failed).toEqual(refused.map((data) => lines[Number(data.slice(5))]));
    const summary = JSON.parse(result.stdout) as Record<string, number>;
    expect(summary).toMatchObject({ succeeded: 3_000 - refused.length, failed: refused.length });
    expect(summary.kinesisRecords).toBe(sent.length - 1);
    expect(sent.slice(1).flatMap(users).length).toBe(3_000 - refused.length);
    expect(result.stderr).toMatch(/Kinesis records?\)/);
  });
});

describe('put-records: flags and files are checked before anything is sent', () => {
  it('an unwritable --failed-out path is one usage line, before any request', async () => {
    const requests = recordingKinesis();
    const result = await run(
      ['put-records', 'demo', '--lines', '--failed-out', '/nonexistent-dir/failed.txt'],
      {
        stdin: 'a\nb\n',
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --failed-out /nonexistent-dir/failed.txt: cannot write this file (ENOENT).\n' +
        'hint: Pick a path in a directory that exists and that you can write to.\n',
    );
    expect(requests).toEqual([]);
  });

  it('refuses --failed-out onto the input file (it would be emptied before it is read)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.txt'), 'a\n');
    const result = await run(['put-records', 'demo', 'in.txt', '--lines', '--failed-out', './in.txt'], {
      cwd: dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--failed-out ./in.txt is the input file');
    expect(readFileSync(join(dir, 'in.txt'), 'utf8')).toBe('a\n');
  });

  it.each([
    [['--batch-size', '501'], '--batch-size must be a whole number from 1 to 500 (got 501).'],
    [['--batch-size', '0'], '--batch-size must be a whole number from 1 to 500 (got 0).'],
    [['--concurrency', '0'], '--concurrency must be a whole number of 1 or more (got 0).'],
    [['--max-attempts', '1.5'], '--max-attempts must be a whole number of 1 or more (got 1.5).'],
    [['--record-ttl', '0'], '--record-ttl must be a number of seconds above 0 (got 0).'],
    [['--concurrency', 'many'], '--concurrency must be a whole number of 1 or more (got not a number).'],
  ])('%j names the flag and its range', async (flags, message) => {
    const requests = recordingKinesis();
    const result = await run(['put-records', 'demo', '--lines', ...flags], { stdin: 'a\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: ${message}\n`);
    expect(result.stderr).not.toMatch(/Infinity|maxBatchRecords|concurrency must be a positive/);
    expect(requests).toEqual([]);
  });
});

describe('put-records: every line ends written or in --failed-out', () => {
  it('Ctrl-C with stdin still open: returns at once, in-flight and unread lines in --failed-out', async () => {
    const dir = tempDir();
    const stdin = new PassThrough();
    const fed = linesOf(3000);
    stdin.write(`${fed.join('\n')}\n`); // and never ended: `tail -f log | kproxy put-records …`
    let arrived!: () => void;
    const secondRequest = new Promise<void>((resolve) => (arrived = resolve));
    const requests = recordingKinesis((records, n) => {
      if (n === 1) {
        return HttpResponse.json({
          FailedRecordCount: 0,
          Records: records.map((_, i) => ({ ShardId: 'shardId-000000000000', SequenceNumber: String(i) })),
        });
      }
      arrived();
      return new Promise<Response>(() => undefined); // in flight until the abort
    });
    const controller = new AbortController();
    const running = run(
      [
        'put-records',
        'demo',
        '--lines',
        '--batch-size',
        '100',
        '--concurrency',
        '1',
        '--failed-out',
        'f.txt',
        '--output',
        'json',
      ],
      { stdin, cwd: dir, signal: controller.signal },
    );
    await secondRequest;
    controller.abort(new Error('Interrupted by SIGINT'));
    const result = await running;
    expect(result.code).toBe(130);
    const summary = JSON.parse(result.stdout);
    const failed = failedLines(join(dir, 'f.txt'));
    // Written ∪ --failed-out = everything fed; the records cut off in flight are in both at most.
    expect(new Set([...written(requests.slice(0, 1)), ...failed])).toEqual(new Set(fed));
    expect(failed).toHaveLength(fed.length - 100);
    expect(summary).toMatchObject({ succeeded: 100, complete: false, stoppedBy: 'abort' });
    expect(summary.failed + summary.notRead).toBe(fed.length - 100);
    expect(summary.possibleDuplicates).toBeGreaterThan(0);
    expect(result.stderr).toContain('warning: Interrupted. Wrote 100 records');
    expect(result.stderr).not.toContain('line 101: Aborted');
    expect(result.stderr).toMatch(/may be stored twice \(or stored and also in f\.txt\)/);
  });

  it('a fatal error stops the run and writes the input not read through to --failed-out', async () => {
    const dir = tempDir();
    const requests = recordingKinesis(() =>
      HttpResponse.json(
        { __type: 'ResourceNotFoundException', message: 'Stream demo not found' },
        { status: 404 },
      ),
    );
    const fed = linesOf(5000);
    writeFileSync(join(dir, 'in.txt'), `${fed.join('\n')}`); // no line break at the end
    const result = await run(
      [
        'put-records',
        'demo',
        'in.txt',
        '--lines',
        '--concurrency',
        '1',
        '--failed-out',
        'f.txt',
        '--output',
        'json',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(requests).toHaveLength(1);
    expect(failedLines(join(dir, 'f.txt')).sort()).toEqual([...fed].sort());
    expect(readFileSync(join(dir, 'f.txt'), 'utf8').endsWith('\n')).toBe(true);
    const summary = JSON.parse(result.stdout);
    expect(summary.failed + summary.notRead).toBe(5000);
    expect(summary.notRead).toBeGreaterThan(0);
    expect(result.stderr).toContain('error: Stopped: ResourceNotFoundException: Stream demo not found');
    expect(result.stderr).toContain('5,000 lines not written are in f.txt');
  });

  it('stops when nothing is accepted for a whole --record-ttl, with every line in --failed-out', async () => {
    const dir = tempDir();
    recordingKinesis(() => HttpResponse.json({ message: 'Service Unavailable' }, { status: 503 }));
    const fed = linesOf(50);
    const result = await run(
      [
        'put-records',
        'demo',
        '--lines',
        '--record-ttl',
        '0.3',
        '--batch-size',
        '10',
        '--failed-out',
        'f.txt',
      ],
      { cwd: dir, stdin: fed.join('\n') },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: Stopped: no record was accepted for 0\.3 s; the last error: /);
    expect(result.stderr).toContain('Raise --record-ttl (seconds) to wait longer.');
    expect(failedLines(join(dir, 'f.txt')).sort()).toEqual([...fed].sort());
  });

  it('a --failed-out that cannot take more (a full disk) stops the run, exit 1, counts intact', async () => {
    if (!existsSync('/dev/full')) return;
    recordingKinesis((records) =>
      HttpResponse.json({
        FailedRecordCount: records.length,
        Records: records.map(() => ({ ErrorCode: 'InvalidArgumentException', ErrorMessage: 'no' })),
      }),
    );
    const result = await run(
      ['put-records', 'demo', '--lines', '--failed-out', '/dev/full', '--output', 'json'],
      { stdin: linesOf(10).join('\n') },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: Stopped: cannot write --failed-out /dev/full: ENOSPC');
    expect(JSON.parse(result.stdout)).toMatchObject({ succeeded: 0, failed: 10, stoppedBy: 'callback' });
  });
});

describe('put-records on a terminal', () => {
  it('says it reads stdin when stdin is a terminal', async () => {
    recordingKinesis();
    const result = await run(['put-records', 'demo', '--lines'], { stdin: 'a\n', tty: { stdin: true } });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^reading records from stdin, Ctrl-D to end\n/);
    const piped = await run(['put-records', 'demo', '--lines'], { stdin: 'a\n' });
    expect(piped.stderr).not.toContain('Ctrl-D');
  });

  it('clears the progress line before a warning', async () => {
    recordingKinesis((records) =>
      HttpResponse.json({
        FailedRecordCount: 1,
        Records: records.map((r, i) =>
          r.data === 'bad'
            ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'no' }
            : { ShardId: 's', SequenceNumber: String(i) },
        ),
      }),
    );
    const result = await run(['put-records', 'demo', '--lines', '--progress'], {
      stdin: 'ok\nbad\nok\n',
      tty: { stderr: true },
      env: { NO_COLOR: '1' },
    });
    expect(result.code).toBe(3);
    const warning = result.stderr.indexOf('warning: line 2: InvalidArgumentException: no');
    expect(warning).toBeGreaterThan(0);
    // The line was drawn, then erased right before the warning: nothing of it is left on that line.
    expect(result.stderr.slice(0, warning).endsWith('\r\x1b[2K')).toBe(true);
  });

  it('fits the terminal width: the bar goes first, then the rate, then the text is cut', () => {
    const parts = {
      bar: '[####................] 20% ',
      counts: '1,234 written, 5 failed, 6 retried',
      rate: ' · 999 records/s',
    };
    expect(fit(parts, 200)).toBe(`${parts.bar}${parts.counts}${parts.rate}`);
    expect(fit(parts, 60)).toBe(`${parts.counts}${parts.rate}`);
    expect(fit(parts, 40)).toBe(parts.counts);
    expect(fit(parts, 20)).toBe('1,234 written, 5 fa…');
    for (const width of [5, 20, 39, 45, 60, 79]) expect(fit(parts, width).length).toBeLessThanOrEqual(width);
  });

  it('counts in words that agree with the number', async () => {
    recordingKinesis();
    const one = await run(['put-records', 'demo', '--lines'], { stdin: 'a\n' });
    expect(one.stderr).toMatch(/Wrote 1 record in /);
    const two = await run(['put-records', 'demo', '--lines'], { stdin: 'a\nb\n' });
    expect(two.stderr).toMatch(/Wrote 2 records in /);
    const bad = await run(['put-records', 'demo'], { stdin: 'nope\n' });
    expect(bad.stderr).toMatch(/Wrote 0 records, 1 failed \(1 bad input line\)/);
  });
});
