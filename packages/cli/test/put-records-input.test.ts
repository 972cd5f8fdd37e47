/** put-records' input: lines with bounded memory, a stop that never waits for input, and the rest copied. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineInput, openInput } from '../src/put-records/input.ts';
import { tempDir } from './helpers.ts';

async function take(input: LineInput, n: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of input.lines()) {
    lines.push(line.text);
    if (lines.length === n) break;
  }
  return lines;
}

const collect = () => {
  const chunks: Buffer[] = [];
  return { write: (chunk: Buffer) => chunks.push(chunk), text: () => Buffer.concat(chunks).toString() };
};

describe('put-records input', () => {
  it('numbers lines, skips blank ones, strips CR, keeps a last line without a line break', async () => {
    const pipe = new PassThrough();
    pipe.end('a\r\n\n  \nb\nc');
    const input = new LineInput(pipe, 'stdin', undefined, false);
    const lines: Array<[number, string]> = [];
    for await (const line of input.lines()) lines.push([line.lineNumber, line.text]);
    expect(lines).toEqual([
      [1, 'a'],
      [4, 'b'],
      [5, 'c'],
    ]);
    expect(input.bytesRead).toBe(10);
  });

  it('stop() ends lines() at once on a pipe that stays open, even before the first line', async () => {
    const pipe = new PassThrough(); // never ended, nothing written
    const idle = new LineInput(pipe, 'stdin', undefined, false);
    const reading = take(idle, 10);
    idle.stop();
    await expect(reading).resolves.toEqual([]);
    const early = new LineInput(new PassThrough(), 'stdin', undefined, false);
    early.stop();
    await expect(take(early, 10)).resolves.toEqual([]);
  });

  it('copies what a stopped pipe holds, verbatim, and returns when it goes quiet', async () => {
    const pipe = new PassThrough();
    pipe.write('one\ntwo\nthree\nfour');
    const input = new LineInput(pipe, 'stdin', undefined, false);
    expect(await take(input, 1)).toEqual(['one']);
    input.stop();
    pipe.write(' still four\n\nfive\n');
    const out = collect();
    const copied = await input.copyRest(out.write);
    expect(out.text()).toBe('two\nthree\nfour still four\n\nfive\n');
    expect(copied).toEqual({ bytes: out.text().length, lines: 4 });
  });

  it('copies the rest of a file to its end, adding the missing last line break', async () => {
    const file = join(tempDir(), 'in.txt');
    const lines = Array.from({ length: 50_000 }, (_, i) => `line-${i}`);
    writeFileSync(file, lines.join('\n'));
    const input = await openInput(file, '/', new PassThrough());
    expect(await take(input, 3)).toEqual(['line-0', 'line-1', 'line-2']);
    input.stop();
    const out = collect();
    const copied = await input.copyRest(out.write);
    expect(out.text()).toBe(`${lines.slice(3).join('\n')}\n`);
    expect(copied.lines).toBe(49_997);
  });

  it('copies synchronously too (a process that exits now), continuing where it stands', async () => {
    const file = join(tempDir(), 'in.txt');
    writeFileSync(file, Array.from({ length: 20_000 }, (_, i) => `l${i}`).join('\n'));
    const input = await openInput(file, '/', new PassThrough());
    await take(input, 2);
    input.stop();
    const out = collect();
    const copied = input.copyRestSync(out.write);
    expect(copied.lines).toBe(19_998);
    expect(out.text().split('\n').filter(Boolean)).toEqual(
      Array.from({ length: 19_998 }, (_, i) => `l${i + 2}`),
    );
  });
});
