/**
 * The embedded engine: kinesalite, in this process, on a loopback port of its own.
 *
 * Why kinesalite rather than kinesis-local (kinesis-mock): it runs inside the emulator's own process
 * (no child process to start, wait for and clean up), persists every write to LevelDB at once (kinesis-
 * local writes a JSON snapshot every few seconds, so a crash loses data), and is an order of magnitude
 * faster for PutRecords with flat latency. Its gaps (no ON_DEMAND streams, old and unmaintained) are
 * covered by running the same suite against kinesis-local, which `kinesisEndpoint` can point at.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { type KinesisBackend, LOCAL_ENGINE_CREDENTIALS } from './backend.ts';
import { createKinesalite } from './kinesalite-fixes.ts';

/** The data directory's LevelDB lock is held: another emulator (or program) uses it. */
export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  /** Lets callers (the CLI) recognise it without importing the class. */
  readonly code = 'EDATADIRINUSE';

  constructor(
    readonly directory: string,
    cause: unknown,
  ) {
    super(
      `The data directory ${directory} is in use by another emulator (its LevelDB lock is held): stop that one, or give this one another dataDir, or inMemory: true`,
      { cause },
    );
  }
}

/** LevelDB's message when another process holds the lock (`…/LOCK: Resource temporarily unavailable`). */
const LOCK_HELD = /\bIO error: lock\b/;

export interface EmbeddedEngineOptions {
  /** LevelDB directory; in memory when undefined. */
  readonly dataDir: string | undefined;
  readonly region: string;
  /**
   * Milliseconds a stream stays CREATING / DELETING / UPDATING. 0 makes a new stream usable by the very
   * next request, which is what local development and tests want.
   * @default 0
   */
  readonly transitionMs?: number;
  /**
   * Open shards allowed across all streams (the account's shard quota).
   * @default EMBEDDED_SHARD_LIMIT (500)
   */
  readonly shardLimit?: number;
}

/** The embedded engine's account shard limit (open shards across all streams), unless told otherwise. */
export const EMBEDDED_SHARD_LIMIT = 500;

export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<KinesisBackend> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const transitionMs = options.transitionMs ?? 0;
  const { server, opened } = createKinesalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createStreamMs: transitionMs,
    deleteStreamMs: transitionMs,
    updateStreamMs: transitionMs,
    shardLimit: options.shardLimit ?? EMBEDDED_SHARD_LIMIT,
  });
  try {
    await opened;
  } catch (error) {
    if (options.dataDir && LOCK_HELD.test((error as Error).message)) {
      throw new DataDirInUseError(options.dataDir, error);
    }
    throw error;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    description: `embedded kinesalite (${options.dataDir ? `data in ${options.dataDir}` : 'in memory'})`,
    endpoint: new URL(`http://127.0.0.1:${port}`),
    region: options.region,
    credentials: async () => LOCAL_ENGINE_CREDENTIALS,
    // kinesalite's close() also closes the LevelDB store, releasing its lock for the next start.
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
