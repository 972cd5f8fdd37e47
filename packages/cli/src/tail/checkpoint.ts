/**
 * `tail --checkpoint FILE`: where a tail has got to, saved after every record it prints, so a restarted
 * tail resumes right after the last record printed.
 *
 * Each save writes a temporary file and renames it over the checkpoint: a crash leaves either the old
 * or the new checkpoint, never a torn one. The record is printed before the checkpoint that covers it
 * is saved, so a crash between the two prints that one record again on resume: at-least-once, never a
 * lost record, at most one duplicate per crash.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ReadPosition } from '@kproxy/client';
import { CliError } from '../core/errors.ts';

export interface CheckpointFile {
  version: 1;
  stream: string;
  position: ReadPosition;
  updatedAt: string;
}

export class Checkpoint {
  readonly #temp: string;

  constructor(
    readonly path: string,
    readonly stream: string,
  ) {
    this.#temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  }

  /** The saved position, or undefined when there is no checkpoint yet. */
  load(): ReadPosition | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CliError(`Cannot read the checkpoint ${this.path}: ${(error as Error).message}`);
    }
    let saved: Partial<CheckpointFile>;
    try {
      saved = JSON.parse(text) as Partial<CheckpointFile>;
    } catch {
      throw new CliError(`The checkpoint ${this.path} is not valid JSON.`, 'Delete it to start over.');
    }
    if (saved.version !== 1 || typeof saved.position !== 'object' || saved.position === null) {
      throw new CliError(`${this.path} is not a kproxy tail checkpoint.`, 'Delete it, or pass another file.');
    }
    if (saved.stream !== this.stream) {
      throw new CliError(
        `The checkpoint ${this.path} belongs to stream "${saved.stream}", not "${this.stream}".`,
        'Use one checkpoint file per stream.',
      );
    }
    return saved.position;
  }

  /** Synchronous on purpose: the checkpoint is on disk before the next record is printed. */
  save(position: ReadPosition): void {
    const file: CheckpointFile = {
      version: 1,
      stream: this.stream,
      position,
      updatedAt: new Date().toISOString(),
    };
    writeFileSync(this.#temp, JSON.stringify(file));
    renameSync(this.#temp, this.path);
  }
}
