/**
 * `put-records --checkpoint J`: the journal of lines acknowledged and written to `--failed-out`, and the
 * same command run again resuming from it. A run killed with `kill -9` is played here by a journal
 * written as such a run leaves it (sends journalled, their answers not); the kill itself, through the
 * built bin with faults injected, is `e2e/writes/put-records-crash.test.ts`.
 */
import { appendFileSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { LineRanges } from '../src/put-records/line-ranges.ts';
import { ENDPOINT, run, tempDir, useMswServer } from './helpers.ts';

const server = useMswServer();

interface SentEntry {
  data: string;
}

/** Answers each request: written, except the data `refuse` names (refused for good). */
function kinesis(options: { refuse?: (data: string) => boolean; hold?: (n: number) => boolean } = {}) {
  const requests: string[][] = [];
  server.use(
    http.put(`${ENDPOINT}/streams/demo/records`, async ({ request }) => {
      const { records } = (await request.json()) as { records: SentEntry[] };
      requests.push(records.map((r) => r.data));
      if (options.hold?.(requests.length)) return new Promise<Response>(() => undefined);
      const results = records.map((r, i) =>
        options.refuse?.(r.data)
          ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'refused' }
          : { ShardId: 'shardId-000000000000', SequenceNumber: String(i) },
      );
      return HttpResponse.json({
        FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
        Records: results,
      });
    }),
  );
  return { requests, sent: () => requests.flat() };
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `r${i + 1}`);
const entries = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function setUp(lines: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'in.txt'), `${lines.join('\n')}\n`);
  return dir;
}

const ARGS = ['put-records', 'demo', 'in.txt', '--lines', '--checkpoint', 'j', '--batch-size', '10'];

describe('put-records --checkpoint: the journal', () => {
  it('journals each request before it is sent, then the lines acknowledged and written to --failed-out', async () => {
    const { requests } = kinesis({ refuse: (d) => d === 'r5' });
    const dir = setUp([...numbered(4), 'r5', 'r6']);
    const args = ['put-records', 'demo', 'in.txt', '--lines', '--checkpoint', 'j', '--batch-size', '3'];
    const result = await run([...args, '--failed-out', 'f.txt', '--concurrency', '1'], { cwd: dir });
    expect(result.code).toBe(3);
    expect(requests).toEqual([
      ['r1', 'r2', 'r3'],
      ['r4', 'r5', 'r6'],
    ]);
    const [header, runLine, ...rest] = entries(join(dir, 'j'));
    expect(header).toMatchObject({
      journal: 'kproxy put-records',
      version: 1,
      stream: 'demo',
      input: { path: join(dir, 'in.txt'), file: { size: statSync(join(dir, 'in.txt')).size } },
    });
    expect(runLine).toMatchObject({ run: 1, failedOut: join(dir, 'f.txt') });
    expect(rest).toEqual([
      { sent: [[1, 3]] },
      { acked: [[1, 3]], possibleDuplicates: 0 },
      { sent: [[4, 6]] },
      {
        acked: [
          [4, 4],
          [6, 6],
        ],
        failed: [[5, 5]],
        failedOutBytes: 3,
        possibleDuplicates: 0,
      },
    ]);
  });

  it('after a kill -9: skips what is done, sends what was in doubt (counted) and the rest, appends to --failed-out', async () => {
    const dir = setUp([...numbered(8), 'not sent', ...numbered(40).slice(9)]);
    // What a run killed mid-way leaves: lines 1-10 sent and acknowledged (line 9 into F, 3 bytes
    // journalled), 11-30 sent with no answer journalled; F has one more line written after its entry.
    const journal = join(dir, 'j');
    const { dev, ino, size, mtimeMs } = statSync(join(dir, 'in.txt'));
    const header = JSON.stringify({
      journal: 'kproxy put-records',
      version: 1,
      stream: 'demo',
      input: { path: join(dir, 'in.txt'), file: { dev, ino, size, mtimeMs } },
      createdAt: 'x',
    });
    writeFileSync(
      journal,
      [
        header,
        JSON.stringify({ run: 1, startedAt: 'x', failedOut: join(dir, 'f.txt') }),
        JSON.stringify({ sent: [[1, 10]] }),
        JSON.stringify({ sent: [[11, 20]] }),
        JSON.stringify({
          acked: [
            [1, 8],
            [10, 10],
          ],
          failed: [[9, 9]],
          failedOutBytes: 9,
          possibleDuplicates: 0,
        }),
        JSON.stringify({ sent: [[21, 30]] }),
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'f.txt'), 'not sent\nr25\n');
    const { requests, sent } = kinesis();
    const result = await run([...ARGS, '--failed-out', 'f.txt', '--output', 'json'], { cwd: dir });
    expect(result.code, result.stderr).toBe(3);
    // Nothing done twice: 11-40 sent (11-30 again), 1-10 skipped.
    expect(sent().sort()).toEqual(numbered(40).slice(10).sort());
    expect(requests.length).toBeGreaterThan(0);
    // F keeps what the journal covers, loses the line written after it (r25 was redone), and is appended to.
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('not sent\n');
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      succeeded: 30,
      failed: 0,
      skipped: 10,
      possibleDuplicates: 20,
      complete: true,
      resumed: { runs: 1, acknowledged: 9, failedOut: 1, possibleDuplicates: 0, inDoubt: 20 },
    });
    expect(result.stderr).toContain(
      'Resuming from j (1 earlier run): 10 lines done (9 acknowledged, 1 in f.txt) are skipped; 20 lines sent without an answer in the journal are sent again (counted as possible duplicates).',
    );
    expect(result.stderr).toContain('20 records may be stored twice');
    expect(result.stderr).toContain('1 line not written is in f.txt (1 from earlier runs)');
    // A third run has nothing left to do; it still counts the earlier possible duplicates.
    const third = await run([...ARGS, '--failed-out', 'f.txt', '--output', 'json'], { cwd: dir });
    expect(JSON.parse(third.stdout)).toMatchObject({
      succeeded: 0,
      skipped: 40,
      possibleDuplicates: 0,
      resumed: { runs: 2, acknowledged: 39, failedOut: 1, possibleDuplicates: 20, inDoubt: 0 },
    });
  });

  it('Ctrl-C: the records not sent and the input not read are left for the next run, not put in --failed-out', async () => {
    const fed = numbered(100);
    const dir = setUp(fed);
    // The second request is held in flight until the abort.
    const { sent } = kinesis({ hold: (n) => n === 2 });
    const controller = new AbortController();
    const running = run([...ARGS, '--failed-out', 'f.txt', '--concurrency', '1', '--output', 'json'], {
      cwd: dir,
      signal: controller.signal,
    });
    while (sent().length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('Interrupted by SIGINT'));
    const stopped = await running;
    expect(stopped.code).toBe(130);
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('');
    const summary = JSON.parse(stopped.stdout);
    expect(summary).toMatchObject({ succeeded: 10, failed: 0, leftForNextRun: 10, stoppedBy: 'abort' });
    expect(summary.notReadFrom).toBeGreaterThan(20);
    expect(stopped.stderr).toContain(
      'Left for the next run: 10 records read but not sent and the input from line',
    );
    expect(stopped.stderr).toContain('Run the same command again to go on; j has what is done.');

    const { sent: sentAgain } = kinesis();
    const again = await run([...ARGS, '--failed-out', 'f.txt', '--output', 'json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    // Lines 11-20 were in flight at the abort: sent again, counted as possible duplicates.
    expect(sentAgain().sort()).toEqual(fed.slice(10).sort());
    expect(JSON.parse(again.stdout)).toMatchObject({ succeeded: 90, skipped: 10, possibleDuplicates: 10 });
  });

  it('stdin: resumes when the same input is fed again', async () => {
    const fed = numbered(30);
    const dir = tempDir();
    kinesis({ refuse: (d) => d === 'r3' });
    const args = ['put-records', 'demo', '--lines', '--checkpoint', 'j', '--failed-out', 'f.txt'];
    const first = await run(args, { cwd: dir, stdin: fed.slice(0, 12).join('\n') });
    expect(first.code).toBe(3);
    const { sent } = kinesis();
    const stdin = new PassThrough();
    stdin.end(fed.join('\n'));
    const second = await run([...args, '--output', 'json'], { cwd: dir, stdin });
    expect(second.code).toBe(3);
    expect(sent()).toEqual(fed.slice(12));
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe('r3\n');
  });

  it('a power loss tore the last entry: it is ignored, cut off, and the journal goes on', async () => {
    const dir = setUp(numbered(20));
    kinesis();
    await run(ARGS, { cwd: dir });
    const journal = join(dir, 'j');
    const whole = readFileSync(journal, 'utf8');
    appendFileSync(journal, '{"acked":[[1');
    const { sent } = kinesis();
    const again = await run([...ARGS, '--output', 'json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(sent()).toEqual([]);
    const after = readFileSync(journal, 'utf8');
    expect(after.startsWith(whole)).toBe(true);
    expect(after.slice(whole.length)).toMatch(/^\{"run":2,/);
  });
});

describe('put-records --checkpoint: a journal resumes only what it was made for', () => {
  it('refuses another input, a changed input, another stream, or a file that is no journal', async () => {
    kinesis();
    const dir = setUp(numbered(5));
    writeFileSync(join(dir, 'other.txt'), 'x\n');
    expect((await run(ARGS, { cwd: dir })).code).toBe(0);

    const other = await run(['put-records', 'demo', 'other.txt', '--lines', '--checkpoint', 'j'], {
      cwd: dir,
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `error: The journal j belongs to another input: it was made for ${join(dir, 'in.txt')}`,
    );
    expect(other.stderr).toContain('hint: A journal resumes the same command on the same input');

    appendFileSync(join(dir, 'in.txt'), 'r6\n');
    const changed = await run(ARGS, { cwd: dir });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('in.txt has changed since');

    const fromPipe = await run(['put-records', 'demo', '--lines', '--checkpoint', 'j'], {
      cwd: dir,
      stdin: 'a\n',
    });
    expect(fromPipe.stderr).toContain('this input is a pipe on stdin');

    const stream = await run(['put-records', 'other', 'in.txt', '--lines', '--checkpoint', 'j'], {
      cwd: dir,
    });
    expect(stream.stderr).toContain('The journal j is for stream "demo", not "other".');

    writeFileSync(join(dir, 'tail.ckpt'), '{"version":2,"streams":{}}\n');
    const notJournal = await run([...ARGS.slice(0, 4), '--checkpoint', 'tail.ckpt'], { cwd: dir });
    expect(notJournal.stderr).toContain('tail.ckpt is not a put-records journal.');
  });

  it('refuses a journal whose failed lines are in another --failed-out, and non-file or same-file paths', async () => {
    kinesis({ refuse: (d) => d === 'r2' });
    const dir = setUp(numbered(5));
    expect((await run([...ARGS, '--failed-out', 'f.txt'], { cwd: dir })).code).toBe(3);
    const without = await run(ARGS, { cwd: dir });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain(
      `The journal j has 1 failed lines in --failed-out ${join(dir, 'f.txt')}: pass --failed-out ${join(dir, 'f.txt')} again`,
    );
    const device = await run([...ARGS.slice(0, 5), 'k', '--failed-out', '/dev/null'], { cwd: dir });
    expect(device.stderr).toContain(
      '--failed-out /dev/null is not a regular file: with --checkpoint it must be one',
    );
    const onInput = await run([...ARGS.slice(0, 5), 'in.txt'], { cwd: dir });
    expect(onInput.stderr).toContain('--checkpoint in.txt is the input file');
    const onFailedOut = await run([...ARGS.slice(0, 5), 'f.txt', '--failed-out', 'f.txt'], { cwd: dir });
    expect(onFailedOut.stderr).toContain('--checkpoint f.txt is the --failed-out file');
  });

  it('refuses a --failed-out shorter than the journal says (lines reported failed would be lost)', async () => {
    kinesis({ refuse: (d) => d === 'r2' });
    const dir = setUp(numbered(5));
    await run([...ARGS, '--failed-out', 'f.txt'], { cwd: dir });
    writeFileSync(join(dir, 'f.txt'), '');
    const result = await run([...ARGS, '--failed-out', 'f.txt'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--failed-out f.txt holds 0 bytes, fewer than the 3 the journal says');
  });

  it('a touched input (same bytes, new time) is another input: the journal says so', async () => {
    kinesis();
    const dir = setUp(numbered(3));
    await run(ARGS, { cwd: dir });
    utimesSync(join(dir, 'in.txt'), new Date(), new Date(Date.now() + 60_000));
    const result = await run(ARGS, { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('has changed since');
  });
});

describe('LineRanges', () => {
  it('merges, looks up, subtracts and formats', () => {
    const set = LineRanges.of([
      [5, 7],
      [1, 2],
      [10, 10],
      [3, 4],
    ]);
    expect(set.toJSON()).toEqual([
      [1, 7],
      [10, 10],
    ]);
    expect(set.size).toBe(8);
    set.add(8, 12);
    set.add(20);
    expect(set.toJSON()).toEqual([
      [1, 12],
      [20, 20],
    ]);
    expect([0, 1, 12, 13, 20, 21].map((n) => set.has(n))).toEqual([false, true, true, false, true, false]);
    expect(
      set
        .minus(
          LineRanges.of([
            [3, 4],
            [11, 30],
          ]),
        )
        .toJSON(),
    ).toEqual([
      [1, 2],
      [5, 10],
    ]);
    expect(set.countFrom(11)).toBe(3);
    expect(set.format()).toBe('1–12, 20');
    expect(
      LineRanges.of([
        [1, 1],
        [3, 3],
        [5, 9],
      ]).format(2),
    ).toBe('1, 3, … (5 more)');
  });
});
