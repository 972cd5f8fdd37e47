import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
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
