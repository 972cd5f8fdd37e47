/** Reading a whole input (a file or stdin) as bytes, for single-record commands. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { CliError } from './errors.ts';

export async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function readFileBytes(cwd: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolve(cwd, path)));
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}
