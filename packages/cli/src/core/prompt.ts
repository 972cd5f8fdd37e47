/**
 * Questions on a terminal (stdin and stderr both TTYs), through `node:readline/promises`: kproxy asks
 * at most a yes/no or a line of text, which needs no prompt library.
 */
import { createInterface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

export function canPrompt(io: Io): boolean {
  return Boolean(io.stdin.isTTY && io.stderr.isTTY);
}

export interface Prompt {
  /** Asks a question on stderr; resolves to the trimmed answer, or `fallback` for an empty one. */
  ask(question: string, fallback?: string): Promise<string>;
  close(): void;
}

/**
 * Several questions on one readline, reading its lines through the async iterator, which buffers them:
 * answers typed ahead or pasted at once are kept for the questions that follow (one interface per
 * question, or `rl.question`, would drop every line that arrives before its question is asked).
 */
export function openPrompt(io: Io): Prompt {
  const rl = createInterface({ input: io.stdin, output: io.stderr as unknown as Writable, terminal: true });
  const lines = rl[Symbol.asyncIterator]();
  const stop = () => rl.close();
  io.signal?.addEventListener('abort', stop, { once: true });
  return {
    async ask(question, fallback = '') {
      rl.setPrompt(`${question}${fallback ? ` [${fallback}]` : ''}: `);
      rl.prompt();
      const next = await lines.next();
      if (next.done) throw new UsageError(`No answer to "${question}": the input ended.`);
      return (next.value as string).trim() || fallback;
    },
    close() {
      io.signal?.removeEventListener('abort', stop);
      rl.close();
    },
  };
}

/** One question on its own. */
export async function ask(io: Io, question: string, fallback = ''): Promise<string> {
  const prompt = openPrompt(io);
  try {
    return await prompt.ask(question, fallback);
  } finally {
    prompt.close();
  }
}

export async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await ask(io, `${question} (y/N)`);
  return /^y(es)?$/i.test(answer);
}
