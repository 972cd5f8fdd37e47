/**
 * Loads kinesalite with fixes for two bugs that hang or stop readers, and with its LevelDB store in view.
 *
 * kinesalite 3.3.3 (unmaintained, so pinned) answers GetShardIterator AT_TIMESTAMP only when the shard
 * holds a record at or after the timestamp: its scan calls back on the first match and never on an
 * exhausted scan, so the request hangs (e.g. `kproxy tail --from -15m` on a stream with a quiet shard).
 * Kinesis answers with an iterator at the tip. The fix replaces kinesalite's action module in the CommonJS
 * cache before kinesalite loads it: kinesalite itself still validates the request (asked for LATEST, which
 * also yields the tip iterator), and the shard is scanned here for the first record at or after the time.
 *
 * kinesalite's GetRecords reports the end of a closed shard (a null NextShardIterator) only once the
 * iterator's time has passed the shard's closing time, which takes another read after the last record —
 * or never looks like an end to a reader that stops at the first empty read (`tail --no-follow`): the
 * children of the shard are then never read. Kinesis answers a read past the last record of a closed
 * shard with a null NextShardIterator and the shard's `ChildShards`; so does the fix, when the shard is
 * closed and holds no record at or after the iterator's position.
 *
 * kinesalite opens its LevelDB store without reporting the outcome: when another process holds the
 * directory's lock, the store emits an 'error' nobody listens to and the process dies with a LevelDB
 * stack trace. `createKinesalite` wraps kinesalite's `db.create` (looked up on the module at each call)
 * to reach the store and report its opening instead.
 */
import { createDecipheriv } from 'node:crypto';
import { createRequire } from 'node:module';

type Callback = (error: unknown, result?: { ShardIterator: string }) => void;
type Action = (store: KinesaliteStore, data: Record<string, unknown>, cb: Callback) => void;

interface GetRecordsResult {
  Records: unknown[];
  NextShardIterator?: string;
  MillisBehindLatest?: number;
  ChildShards?: unknown[];
}
type RecordsCallback = (error: unknown, result?: GetRecordsResult) => void;
type RecordsAction = (store: KinesaliteStore, data: Record<string, unknown>, cb: RecordsCallback) => void;

interface StoredShard {
  ShardId: string;
  ParentShardId?: string;
  AdjacentParentShardId?: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { EndingSequenceNumber?: string };
}

interface StoredRecord {
  key: string;
  value: { ApproximateArrivalTimestamp: number };
}
interface KinesaliteStore {
  getStreamDb(name: string): {
    createReadStream(range: {
      gt?: string;
      gte?: string;
      lt: string;
      limit?: number;
    }): NodeJS.ReadableStream & { destroy(): void };
  };
  getStream(name: string, cb: (error: unknown, stream?: { Shards: StoredShard[] }) => void): void;
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
  ITERATOR_PWD_KEY: Buffer;
  ITERATOR_PWD_IV: Buffer;
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

/** The stream, shard and position a kinesalite iterator stands for (kinesalite's own decoding). */
function readIterator(
  db: KinesaliteDb,
  iterator: unknown,
): { stream: string; shardId: string; sequence: string } | undefined {
  if (typeof iterator !== 'string') return undefined;
  try {
    const buffer = Buffer.from(iterator, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
    const pieces = Buffer.concat([decipher.update(buffer.subarray(8)), decipher.final()])
      .toString('utf8')
      .split('/');
    if (pieces.length !== 5) return undefined;
    return { stream: pieces[1]!, shardId: pieces[2]!, sequence: pieces[3]! };
  } catch {
    return undefined;
  }
}

function withShardEndFix(original: RecordsAction, db: KinesaliteDb): RecordsAction {
  return function getRecords(store, data, cb) {
    original(store, data, (error, result) => {
      if (error || !result || result.Records.length > 0) return cb(error, result);
      const at = readIterator(db, data.ShardIterator);
      if (!at) return cb(error, result);
      store.getStream(at.stream, (streamError, stream) => {
        const shard = stream?.Shards.find((s) => s.ShardId === at.shardId);
        if (streamError || !stream || !shard?.SequenceNumberRange.EndingSequenceNumber)
          return cb(null, result);
        const { shardIx } = db.resolveShardId(at.shardId);
        // Records kinesalite skipped as expired are deleted after its read: look for any record left.
        const rest = store.getStreamDb(at.stream).createReadStream({
          gte: `${db.shardIxToHex(shardIx)}/${at.sequence}`,
          lt: db.shardIxToHex(shardIx + 1),
          limit: 1,
        });
        let answered = false;
        const answer = (more: boolean) => {
          if (answered) return;
          answered = true;
          rest.destroy();
          if (more) return cb(null, result);
          const children = stream.Shards.filter(
            (s) => s.ParentShardId === at.shardId || s.AdjacentParentShardId === at.shardId,
          ).map((s) => ({
            ShardId: s.ShardId,
            ParentShards: [s.ParentShardId, s.AdjacentParentShardId].filter(
              (p): p is string => p !== undefined,
            ),
            HashKeyRange: s.HashKeyRange,
          }));
          const { NextShardIterator: _next, ...ended } = result;
          cb(null, { ...ended, ChildShards: children });
        };
        rest.on('data', () => answer(true));
        rest.on('error', () => answer(true));
        rest.on('end', () => answer(false));
      });
    });
  };
}

type Server = import('node:http').Server;
let loaded: ((options: object) => Server) | undefined;

/** Replaces one of kinesalite's action modules in the CommonJS cache, before kinesalite loads them. */
function replaceAction<A>(name: string, fix: (original: A) => A): void {
  const actionPath = require.resolve(`kinesalite/actions/${name}`);
  const original = require(actionPath) as A;
  const cached = require.cache[actionPath];
  if (!cached) throw new Error(`kinesalite: cannot install the ${name} fix (module not cached)`);
  cached.exports = fix(original);
}

/** kinesalite's factory, with the fixes above installed (once per process). */
export function loadKinesalite(): (options: object) => Server {
  if (loaded) return loaded;
  const db = require('kinesalite/db') as KinesaliteDb;
  replaceAction<Action>('getShardIterator', (original) => withAtTimestampFix(original, db));
  replaceAction<RecordsAction>('getRecords', (original) => withShardEndFix(original, db));
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
