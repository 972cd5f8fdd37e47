/**
 * Questions on a terminal (stdin and stderr both TTYs), through `node:readline/promises`: kproxy asks
 * at most a yes/no or a line of text, which needs no prompt library.
 *
 * Ctrl-C at a question ends the command with exit code 130, as an interrupted command does; the end
 * of the input (Ctrl-D) is a usage error (the question has no answer).
 */
import { createInterface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import { CliError, UsageError } from './errors.ts';
import { ExitCode } from './exit-codes.ts';
import type { Io } from './io.ts';

export function canPrompt(io: Io): boolean {
  return Boolean(io.stdin.isTTY && io.stderr.isTTY);
}

/** Checks an answer; returns why it is not acceptable (the question is asked again), or undefined. */
export type Check = (answer: string) => string | undefined;

export interface Prompt {
  /**
   * Asks a question on stderr; resolves to the trimmed answer, or `fallback` for an empty one. With
   * `check`, an answer it refuses is followed by its reason and the same question, until one passes.
   */
  ask(question: string, fallback?: string, check?: Check): Promise<string>;
  close(): void;
}

export const interrupted = () => new CliError('Interrupted.', undefined, ExitCode.Interrupted);

/**
 * Several questions on one readline, reading its lines through the async iterator, which buffers them:
 * answers typed ahead or pasted at once are kept for the questions that follow (one interface per
 * question, or `rl.question`, would drop every line that arrives before its question is asked).
 */
export function openPrompt(io: Io): Prompt {
  const rl = createInterface({ input: io.stdin, output: io.stderr as unknown as Writable, terminal: true });
  const lines = rl[Symbol.asyncIterator]();
  let cancelled = false;
  // Ctrl-C on a terminal in raw mode reaches readline as a key, not as a signal to the process.
  const cancel = () => {
    cancelled = true;
    io.stderr.write('\n');
    rl.close();
  };
  rl.on('SIGINT', cancel);
  io.signal?.addEventListener('abort', cancel, { once: true });
  const next = async (question: string): Promise<string> => {
    const line = await lines.next();
    if (cancelled || io.signal?.aborted) throw interrupted();
    if (line.done) throw new UsageError(`No answer to "${question}": the input ended.`);
    return line.value as string;
  };
  return {
    async ask(question, fallback = '', check) {
      for (;;) {
        rl.setPrompt(`${question}${fallback ? ` [${fallback}]` : ''}: `);
        rl.prompt();
        const answer = (await next(question)).trim() || fallback;
        const problem = check?.(answer);
        if (problem === undefined) return answer;
        io.stderr.write(`  ${problem}\n`);
      }
    },
    close() {
      io.signal?.removeEventListener('abort', cancel);
      rl.close();
    },
  };
}

/** One question on its own. */
export async function ask(io: Io, question: string, fallback = '', check?: Check): Promise<string> {
  const prompt = openPrompt(io);
  try {
    return await prompt.ask(question, fallback, check);
  } finally {
    prompt.close();
  }
}

/** A yes/no question; anything but y/yes (an empty answer included) is no. */
export async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await ask(io, `${question} (y/N)`, '', (a) =>
    /^(y(es)?|n(o)?)?$/i.test(a) ? undefined : 'Answer y or n.',
  );
  return /^y(es)?$/i.test(answer);
}
