import { expect, it } from 'vitest';
import { readAll, runExample, useEmulator } from './support.ts';

const emulator = useEmulator();

it('creates the stream, puts text, JSON and bytes, and reads them back', async () => {
  const run = await runExample('put-and-read.ts', ['demo'], emulator.proxy.url);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines[0]).toBe('created stream demo');
  expect(lines.filter((l) => /^read \d+ /.test(l)).map((l) => l.replace(/^read \d+ /, ''))).toEqual([
    'hello, kproxy ✓',
    '{"event":"signup","user":42}',
    '0x0001feff',
    'the last one',
  ]);
  expect(lines.at(-1)).toBe('read back 4 records');

  // The records are really in the stream, with exactly the bytes that were meant.
  const stored = await readAll(emulator.client, 'demo');
  expect(stored.map((r) => Buffer.from(r.data).toString('hex'))).toEqual([
    Buffer.from('hello, kproxy ✓').toString('hex'),
    Buffer.from('{"event":"signup","user":42}').toString('hex'),
    '0001feff',
    Buffer.from('the last one').toString('hex'),
  ]);
});

it('uses the existing stream on a second run and reads back only its own records', async () => {
  const run = await runExample('put-and-read.ts', ['demo'], emulator.proxy.url);
  expect(run.code).toBe(0);
  expect(run.stdout).not.toContain('created stream');
  expect(run.stdout.trim().split('\n').at(-1)).toBe('read back 4 records');
  expect(await readAll(emulator.client, 'demo')).toHaveLength(8);
});
