/**
 * The tail loop: each stream's reader hands out batches; one writer prints them in turn and saves the
 * checkpoint only for what the operating system has taken.
 *
 * How records are handed out depends on what must survive a crash:
 * - stdout with `--checkpoint`: one record per write, a checkpoint line for each once its write is
 *   done, the checkpoint synced after each batch. `kill -9` repeats at most the one record in flight.
 * - `--output-file` with `--checkpoint`: each batch in one write, the file synced, then the checkpoint
 *   (with the file's length) synced. A restart cuts off whatever came after that length and reads it
 *   again: nothing lost, nothing written twice, even if the machine crashed.
 * - no checkpoint: each batch in one write.
 * Either way the next batch is read only once the last write is done.
 */
import type { ReadPosition, StreamBatch, StreamReader } from '@kproxy/client';
import type { Output } from '../core/output.ts';
import type { RecordFormatter } from '../records/format.ts';
import type { Checkpoint, TailState } from './checkpoint.ts';
import type { RecordFilter } from './filters.ts';
import type { TailOutput } from './output.ts';

export interface TailStream {
  name: string;
  reader: StreamReader;
  format: RecordFormatter;
}

export interface TailPlan {
  streams: readonly TailStream[];
  output: TailOutput;
  checkpoint: Checkpoint | undefined;
  filter: RecordFilter | undefined;
  /** Stop after printing this many records (all streams together). */
  count: number | undefined;
}

/** Runs until every reader ends, `count` records are printed, or a reader fails (its error is thrown). */
export async function runTail(plan: TailPlan): Promise<void> {
  const writer = new Writer(plan);
  const closeAll = () => {
    for (const { reader } of plan.streams) reader.close();
  };
  try {
    await Promise.all(plan.streams.map(({ reader }) => reader.start()));
    await writer.begin();
  } catch (error) {
    // Another stream's reader may be retrying its start: it must not keep the process alive.
    closeAll();
    throw error;
  }
  const results = await Promise.allSettled(
    plan.streams.map(async ({ name, reader }) => {
      try {
        for await (const batch of reader.batches()) {
          if (!(await writer.deliver(name, batch))) break;
        }
      } catch (error) {
        closeAll();
        throw error;
      }
    }),
  );
  closeAll();
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

class Writer {
  readonly #plan: TailPlan;
  readonly #formats: Map<string, RecordFormatter>;
  /** Per stream, the position of the last record handed to the operating system. */
  readonly #committed = new Map<string, ReadPosition>();
  #queue: Promise<unknown> = Promise.resolve();
  #printed = 0;
  #done = false;

  constructor(plan: TailPlan) {
    this.#plan = plan;
    this.#formats = new Map(plan.streams.map((s) => [s.name, s.format]));
  }

  /** Saves where every reader starts, before anything is printed: a crash then resumes from there. */
  async begin(): Promise<void> {
    for (const { name, reader } of this.#plan.streams) this.#committed.set(name, reader.position());
    await this.#plan.checkpoint?.save(this.#state(), { sync: true });
  }

  /** Prints a batch after those already given; false once `count` records are printed. */
  deliver(stream: string, batch: StreamBatch): Promise<boolean> {
    const delivered = this.#queue.then(() => this.#deliver(stream, batch));
    this.#queue = delivered.catch(() => undefined);
    return delivered;
  }

  async #deliver(stream: string, batch: StreamBatch): Promise<boolean> {
    if (this.#done) return false;
    const { output, checkpoint, filter, count } = this.#plan;
    const format = this.#formats.get(stream)!;
    const oneByOne = checkpoint !== undefined && output.file === undefined;
    let handled = 0;
    let chunk = '';
    for (const record of batch.records) {
      if (count !== undefined && this.#printed >= count) break;
      handled++;
      if (filter && !filter(record)) continue;
      this.#printed++;
      if (oneByOne) {
        await output.write(format(record));
        // The shard's position after this record: inside an aggregated record, with its sub-sequence.
        checkpoint.handedOut(stream, record.shardId, batch.position(handled).shards[record.shardId]!);
      } else {
        chunk += format(record);
      }
    }
    if (chunk !== '') await output.write(chunk);
    if (handled > 0) {
      this.#committed.set(stream, batch.position(handled));
      if (checkpoint) {
        await output.sync();
        await checkpoint.save(this.#state(), { sync: true });
      }
    }
    if (count !== undefined && this.#printed >= count) {
      this.#done = true;
      return false;
    }
    return true;
  }

  #state(): TailState {
    return {
      streams: Object.fromEntries(this.#committed),
      ...(this.#plan.output.file ? { output: this.#plan.output.file } : {}),
    };
  }
}

/**
 * Tells the user once when reading starts failing (whatever the number of streams and shards) and
 * once when it works again; each retry only under `--debug`.
 */
export class OutageReporter {
  readonly #down = new Set<string>();
  #since = 0;

  constructor(readonly out: Output) {}

  failed(stream: string, error: unknown, retryInMs: number): void {
    const message = error instanceof Error ? error.message : String(error);
    if (this.#down.size === 0) {
      this.#since = Date.now();
      this.out.warn(`reading ${stream} failed: ${message}. Retrying until it works (Ctrl-C to stop).`);
    } else {
      this.out.debug(`reading ${stream} failed again: ${message}; next try in ${retryInMs} ms`);
    }
    this.#down.add(stream);
  }

  recovered(stream: string): void {
    if (!this.#down.delete(stream) || this.#down.size > 0) return;
    const seconds = Math.round((Date.now() - this.#since) / 1000);
    this.out.success(`reading again after ${seconds} s`);
  }
}
