/**
 * Loads kinesalite with a fix for one bug that hangs readers, and with its LevelDB store in view.
 *
 * kinesalite 3.3.3 (unmaintained, so pinned) answers GetShardIterator AT_TIMESTAMP only when the shard
 * holds a record at or after the timestamp: its scan calls back on the first match and never on an
 * exhausted scan, so the request hangs (e.g. `kproxy tail --from -15m` on a stream with a quiet shard).
 * Kinesis answers with an iterator at the tip. The fix replaces kinesalite's action module in the CommonJS
 * cache before kinesalite loads it: kinesalite itself still validates the request (asked for LATEST, which
 * also yields the tip iterator), and the shard is scanned here for the first record at or after the time.
 *
 * kinesalite opens its LevelDB store without reporting the outcome: when another process holds the
 * directory's lock, the store emits an 'error' nobody listens to and the process dies with a LevelDB
 * stack trace. `createKinesalite` wraps kinesalite's `db.create` (looked up on the module at each call)
 * to reach the store and report its opening instead.
 */
import { createRequire } from 'node:module';

type Callback = (error: unknown, result?: { ShardIterator: string }) => void;
type Action = (store: KinesaliteStore, data: Record<string, unknown>, cb: Callback) => void;

interface StoredRecord {
  key: string;
  value: { ApproximateArrivalTimestamp: number };
}
interface KinesaliteStore {
  getStreamDb(name: string): {
    createReadStream(range: { gt: string; lt: string }): NodeJS.ReadableStream & { destroy(): void };
  };
}
/** The part of levelup's API used to learn whether the store opened. */
interface LevelDb {
  isOpen(): boolean;
  once(event: 'open', listener: () => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
}
interface KinesaliteDb {
  create(options: object): { db: LevelDb };
  resolveShardId(id: string): { shardId: string; shardIx: number };
  shardIxToHex(index: number): string;
  createShardIterator(stream: string, shardId: string, sequence: string): string;
}

const require = createRequire(import.meta.url);

function withAtTimestampFix(original: Action, db: KinesaliteDb): Action {
  return function getShardIterator(store, data, cb) {
    const timestamp = data.Timestamp;
    // Anything but a valid past AT_TIMESTAMP request: kinesalite's own answer (or error) is right.
    if (
      data.ShardIteratorType !== 'AT_TIMESTAMP' ||
      typeof timestamp !== 'number' ||
      timestamp * 1000 > Date.now()
    ) {
      original(store, data, cb);
      return;
    }
    original(store, { ...data, ShardIteratorType: 'LATEST', Timestamp: undefined }, (error, tip) => {
      if (error) return cb(error);
      const { shardId, shardIx } = db.resolveShardId(data.ShardId as string);
      const streamName = data.StreamName as string;
      const records = store
        .getStreamDb(streamName)
        .createReadStream({ gt: db.shardIxToHex(shardIx), lt: db.shardIxToHex(shardIx + 1) });
      let answered = false;
      const answer = (err: unknown, result?: { ShardIterator: string }) => {
        if (answered) return;
        answered = true;
        records.destroy();
        cb(err, result);
      };
      records.on('data', (record: StoredRecord) => {
        if (record.value.ApproximateArrivalTimestamp < timestamp) return;
        const sequence = record.key.split('/')[1]!;
        answer(null, { ShardIterator: db.createShardIterator(streamName, shardId, sequence) });
      });
      records.on('error', (err) => answer(err));
      records.on('end', () => answer(null, tip));
    });
  };
}

type Server = import('node:http').Server;
let loaded: ((options: object) => Server) | undefined;

/** kinesalite's factory, with the fix above installed (once per process). */
export function loadKinesalite(): (options: object) => Server {
  if (loaded) return loaded;
  const actionPath = require.resolve('kinesalite/actions/getShardIterator');
  const db = require('kinesalite/db') as KinesaliteDb;
  const original = require(actionPath) as Action;
  const cached = require.cache[actionPath];
  if (!cached) throw new Error('kinesalite: cannot install the AT_TIMESTAMP fix (module not cached)');
  cached.exports = withAtTimestampFix(original, db);
  loaded = require('kinesalite') as (options: object) => Server;
  return loaded;
}

/**
 * A kinesalite server (not yet listening) and the opening of its store: resolves once the store is open,
 * rejects with LevelDB's error (e.g. `IO error: lock …/LOCK: …` when another process holds the directory).
 */
export function createKinesalite(options: object): { server: Server; opened: Promise<void> } {
  const kinesalite = loadKinesalite();
  const dbModule = require('kinesalite/db') as KinesaliteDb;
  const create = dbModule.create;
  let store: { db: LevelDb } | undefined;
  dbModule.create = (storeOptions) => {
    store = create(storeOptions);
    return store;
  };
  let server: Server;
  try {
    server = kinesalite(options);
  } finally {
    dbModule.create = create;
  }
  const db = store?.db;
  if (!db) throw new Error('kinesalite: its store was not created through db.create');
  const opened = new Promise<void>((resolve, reject) => {
    if (db.isOpen()) resolve();
    db.once('open', () => resolve());
    db.once('error', reject);
  });
  return { server, opened };
}
