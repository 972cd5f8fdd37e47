/**
 * Questions on a terminal (stdin and stderr both TTYs), through `node:readline/promises`: kproxy asks
 * at most a yes/no or a line of text, which needs no prompt library.
 */
import { createInterface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import type { Io } from './io.ts';

export function canPrompt(io: Io): boolean {
  return Boolean(io.stdin.isTTY && io.stderr.isTTY);
}

/** Asks a question on stderr; resolves to the trimmed answer, or `fallback` for an empty one. */
export async function ask(io: Io, question: string, fallback = ''): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr as unknown as Writable, terminal: true });
  try {
    const suffix = fallback ? ` [${fallback}]` : '';
    const answer = (
      await rl.question(`${question}${suffix}: `, { signal: io.signal ?? new AbortController().signal })
    ).trim();
    return answer || fallback;
  } finally {
    rl.close();
  }
}

export async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await ask(io, `${question} (y/N)`);
  return /^y(es)?$/i.test(answer);
}
