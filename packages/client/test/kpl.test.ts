/**
 * The KPL codec against a reference it did not write: aws-kinesis-agg (AWS Labs' Node.js
 * implementation, a dev dependency only) de-aggregates what we encode, and we decode what it encodes,
 * over random and edge-case inputs; plus corrupt input, the size limit, and shard-aware aggregation.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Aggregator, aggregate, ShardAggregator } from '../src/kpl/aggregator.ts';
import {
  type DeaggregatedRecord,
  decodeAggregatedRecord,
  encodeAggregatedRecord,
  hasKplMagic,
  KPL_MAGIC,
  type UserRecord,
} from '../src/kpl/format.ts';
import { md5 as browserMd5 } from '../src/kpl/md5/browser.ts';
import { md5 as nodeMd5 } from '../src/kpl/md5/node.ts';
import { hashKeyOf, partitionKeyHash, ShardMap } from '../src/kpl/shards.ts';

// aws-kinesis-agg is CommonJS with types that import aws-sdk v2: typed here by what the tests use.
interface AggUserRecord {
  partitionKey: string;
  explicitPartitionKey?: string;
  subSequenceNumber?: number;
  data: string;
}
interface AwsKinesisAgg {
  deaggregateSync(
    record: { data: string; partitionKey: string; sequenceNumber: string },
    computeChecksums: boolean,
    done: (error: Error | null, records?: AggUserRecord[]) => void,
  ): void;
  RecordAggregator: new () => {
    addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Buffer }): void;
    build(): { partitionKey: string; data: Buffer; ExplicitHashKey?: string };
  };
}
const require = createRequire(import.meta.url);
const agg = require('aws-kinesis-agg') as AwsKinesisAgg;
const aggProto = require('aws-kinesis-agg/lib/common.js').AggregatedRecord as {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
};

const bytes = (text: string) => new TextEncoder().encode(text);
const md5 = (data: Uint8Array) => new Uint8Array(createHash('md5').update(data).digest());

/** Theirs: de-aggregates one Kinesis record's data with checksums verified. */
function theirDeaggregate(data: Uint8Array): AggUserRecord[] {
  let result: AggUserRecord[] | undefined;
  agg.deaggregateSync(
    { data: Buffer.from(data).toString('base64'), partitionKey: 'outer', sequenceNumber: '1' },
    true,
    (error, records) => {
      if (error) throw error;
      result = records;
    },
  );
  return result!;
}

/** Theirs: aggregates user records into one Kinesis record. */
function theirAggregate(records: readonly UserRecord[]): Uint8Array {
  const aggregator = new agg.RecordAggregator();
  for (const r of records) {
    aggregator.addUserRecord({
      partitionKey: r.partitionKey,
      ...(r.explicitHashKey !== undefined ? { explicitHashKey: r.explicitHashKey } : {}),
      data: Buffer.from(r.data),
    });
  }
  return new Uint8Array(aggregator.build().data);
}

/**
 * aws-kinesis-agg reads our aggregate as the records we put in. It reads an absent
 * explicit_hash_key_index as 0 (protobufjs's default; it does not check presence, unlike the KCL), so
 * for records without an explicit hash key it reports the table's first entry: their explicit hash
 * keys are compared where the record has one, and presence is checked on protobufjs's own decoding.
 */
function expectTheyRead(data: Uint8Array, records: readonly UserRecord[]): void {
  const theirs = theirDeaggregate(data);
  expect(theirs.map((r) => [r.partitionKey, r.data, r.subSequenceNumber])).toEqual(
    records.map((r, i) => [r.partitionKey, Buffer.from(r.data).toString('base64'), i]),
  );
  records.forEach((r, i) => {
    if (r.explicitHashKey !== undefined) expect(theirs[i]!.explicitPartitionKey).toBe(r.explicitHashKey);
  });
  const message = aggProto.decode(data.subarray(4, -16)) as { records: object[] };
  expect(message.records.map((r) => Object.hasOwn(r, 'explicit_hash_key_index'))).toEqual(
    records.map((r) => r.explicitHashKey !== undefined),
  );
}

const plain = (records: readonly DeaggregatedRecord[]) =>
  records.map((r) => ({
    partitionKey: r.partitionKey,
    explicitHashKey: r.explicitHashKey,
    data: Buffer.from(r.data).toString('base64'),
    subSequenceNumber: r.subSequenceNumber,
  }));
const expected = (records: readonly UserRecord[]) =>
  records.map((r, i) => ({
    partitionKey: r.partitionKey,
    explicitHashKey: r.explicitHashKey,
    data: Buffer.from(r.data).toString('base64'),
    subSequenceNumber: i,
  }));

const randomKey = () => {
  // Letters, digits, and non-ASCII of 2, 3 and 4 UTF-8 bytes. Never all digits: see the note on
  // aws-kinesis-agg's key tables below.
  const alphabet = ['a', 'Z', '7', '-', 'é', 'ж', '€', '鍵', '😀', ' '];
  return `k${Array.from({ length: randomInt(0, 40) }, () => alphabet[randomInt(alphabet.length)]).join('')}`;
};
// Kept above 2^32: aws-kinesis-agg also reorders integer-like explicit hash keys below that (JavaScript
// array-index keys; see the note on its key tables below), which real hash keys hardly ever are.
const randomHashKey = () =>
  ((BigInt(`0x${randomBytes(16).toString('hex')}`) >> BigInt(randomInt(1, 96))) + 2n ** 32n).toString();

function randomRecords(n: number, keys: number): UserRecord[] {
  const keyPool = Array.from({ length: keys }, randomKey);
  return Array.from({ length: n }, () => ({
    partitionKey: keyPool[randomInt(keyPool.length)]!,
    ...(randomInt(3) === 0 ? { explicitHashKey: randomHashKey() } : {}),
    data: new Uint8Array(randomBytes(randomInt(0, 300))),
  }));
}

const EDGE_CASES: Record<string, UserRecord[]> = {
  'one record': [{ partitionKey: 'k', data: bytes('hello') }],
  'empty data': [
    { partitionKey: 'a', data: new Uint8Array() },
    { partitionKey: 'b', data: new Uint8Array() },
  ],
  'binary data with every byte value': [
    { partitionKey: 'bin', data: Uint8Array.from({ length: 256 }, (_, i) => i) },
  ],
  'data that itself looks aggregated': [{ partitionKey: 'k', data: Uint8Array.of(...KPL_MAGIC, 1, 2, 3) }],
  'unicode partition keys': [
    { partitionKey: 'ключ', data: bytes('1') },
    { partitionKey: '鍵🔑', data: bytes('2') },
    { partitionKey: 'é'.repeat(256), data: bytes('3') },
  ],
  'explicit hash keys, repeated and mixed with none': [
    { partitionKey: 'a', explicitHashKey: '0', data: bytes('1') },
    { partitionKey: 'a', data: bytes('2') },
    { partitionKey: 'b', explicitHashKey: String(2n ** 128n - 1n), data: bytes('3') },
    { partitionKey: 'b', explicitHashKey: '0', data: bytes('4') },
  ],
  'the same key for every record': Array.from({ length: 50 }, (_, i) => ({
    partitionKey: 'same',
    data: bytes(`r${i}`),
  })),
  'more than 127 keys (two-byte indices)': Array.from({ length: 300 }, (_, i) => ({
    partitionKey: `key-${i}`,
    explicitHashKey: `${i + 1}0`,
    data: bytes(`r${i}`),
  })),
  'a large record (multi-byte lengths)': [
    { partitionKey: 'big', data: new Uint8Array(randomBytes(200_000)) },
    { partitionKey: 'small', data: bytes('x') },
  ],
};

describe('the KPL format, both directions against aws-kinesis-agg', () => {
  it.each(Object.entries(EDGE_CASES))('%s: ours → theirs and theirs → ours', (_, records) => {
    const ours = encodeAggregatedRecord(records);
    expectTheyRead(ours, records);
    expect(plain(decodeAggregatedRecord(theirAggregate(records))!)).toEqual(expected(records));
    expect(plain(decodeAggregatedRecord(ours)!)).toEqual(expected(records));
  });

  it('random inputs (200 aggregates of up to 200 records): ours → theirs and theirs → ours', () => {
    for (let round = 0; round < 200; round++) {
      const records = randomRecords(randomInt(1, 200), randomInt(1, 30));
      const ours = encodeAggregatedRecord(records);
      expectTheyRead(ours, records);
      expect(plain(decodeAggregatedRecord(theirAggregate(records))!)).toEqual(expected(records));
    }
  });

  it('writes byte for byte what protobufjs writes for the same message (with key tables in first-use order)', () => {
    const records = randomRecords(100, 10);
    const keys = [...new Set(records.map((r) => r.partitionKey))];
    const hashKeys = [...new Set(records.flatMap((r) => (r.explicitHashKey ? [r.explicitHashKey] : [])))];
    const message = aggProto
      .encode({
        partition_key_table: keys,
        explicit_hash_key_table: hashKeys,
        records: records.map((r) => ({
          partition_key_index: keys.indexOf(r.partitionKey),
          ...(r.explicitHashKey ? { explicit_hash_key_index: hashKeys.indexOf(r.explicitHashKey) } : {}),
          data: r.data,
        })),
      })
      .finish();
    expect(Buffer.from(encodeAggregatedRecord(records))).toEqual(
      Buffer.concat([KPL_MAGIC, message, md5(message)]),
    );
  });

  it('reads what protobufjs writes beyond what the KPL writes: tags, tables after records, unknown fields', () => {
    const message = aggProto
      .encode({
        records: [
          { partition_key_index: 1, data: bytes('a'), tags: [{ key: 't', value: 'v' }, { key: 'only-key' }] },
          { partition_key_index: 0, explicit_hash_key_index: 0, data: bytes('b') },
        ],
        partition_key_table: ['p0', 'p1'],
        explicit_hash_key_table: ['12345'],
      })
      .finish();
    // An unknown field (number 9, varint) at the end, as a newer writer could add.
    const withUnknown = Uint8Array.of(...message, (9 << 3) | 0, 0x96, 0x01);
    const data = Uint8Array.of(...KPL_MAGIC, ...withUnknown, ...md5(withUnknown));
    expect(plain(decodeAggregatedRecord(data)!)).toEqual([
      { partitionKey: 'p1', explicitHashKey: undefined, data: 'YQ==', subSequenceNumber: 0 },
      { partitionKey: 'p0', explicitHashKey: '12345', data: 'Yg==', subSequenceNumber: 1 },
    ]);
  });

  /*
   * Found while cross-checking: aws-kinesis-agg writes its key tables with Object.keys(), which lists
   * integer-like keys first in numeric order, so partition keys such as "10" and "2" get swapped indices
   * and its aggregates point user records at the wrong partition keys. Our tables keep first-use order.
   */
  it('keeps first-use order for integer-like partition keys (where aws-kinesis-agg mislabels records)', () => {
    const records = [
      { partitionKey: '10', data: bytes('ten') },
      { partitionKey: '2', data: bytes('two') },
    ];
    expect(
      plain(decodeAggregatedRecord(encodeAggregatedRecord(records))!).map((r) => r.partitionKey),
    ).toEqual(['10', '2']);
    expect(theirDeaggregate(encodeAggregatedRecord(records)).map((r) => r.partitionKey)).toEqual(['10', '2']);
    expect(plain(decodeAggregatedRecord(theirAggregate(records))!).map((r) => r.partitionKey)).toEqual([
      '2',
      '10',
    ]);
  });
});

describe('input that is not an aggregated record is left alone (undefined)', () => {
  const good = encodeAggregatedRecord([
    { partitionKey: 'a', data: bytes('one') },
    { partitionKey: 'b', explicitHashKey: '7', data: bytes('two') },
  ]);
  /** A well-formed frame (magic, message, right checksum) around any message bytes. */
  const frame = (message: number[]) => {
    const body = Uint8Array.from(message);
    return Uint8Array.of(...KPL_MAGIC, ...body, ...md5(body));
  };

  it.each([
    ['plain data', bytes('just some text that is long enough')],
    ['empty data', new Uint8Array()],
    ['the magic alone', KPL_MAGIC],
    ['wrong magic', Uint8Array.of(0xf3, 0x89, 0x9a, 0xc3, ...good.subarray(4))],
    ['a bad checksum', Uint8Array.of(...good.subarray(0, -1), good.at(-1)! ^ 1)],
    ['a changed message byte', Uint8Array.of(...good.subarray(0, 8), good[8]! ^ 0x20, ...good.subarray(9))],
    ['truncated', good.subarray(0, good.length - 5)],
    [
      'a varint that never ends',
      frame([0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ],
    ['a length past the end', frame([0x0a, 0x05, 0x61])],
    ['a record field with the wrong wire type', frame([0x0a, 0x01, 0x61, 0x18, 0x01])],
    [
      'a partition key index out of the table',
      frame([0x0a, 0x01, 0x61, 0x1a, 0x05, 0x08, 0x01, 0x1a, 0x01, 0x78]),
    ],
    [
      'a hash key index out of the table',
      frame([0x0a, 0x01, 0x61, 0x1a, 0x07, 0x08, 0x00, 0x10, 0x00, 0x1a, 0x01, 0x78]),
    ],
    ['a record without data', frame([0x0a, 0x01, 0x61, 0x1a, 0x02, 0x08, 0x00])],
    ['a record without partition key index', frame([0x0a, 0x01, 0x61, 0x1a, 0x03, 0x1a, 0x01, 0x78])],
    ['a group wire type', frame([0x0b, 0x0c])],
    ['field number 0', frame([0x02, 0x00])],
  ])('%s', (_, data) => {
    expect(decodeAggregatedRecord(data)).toBeUndefined();
  });

  it('hasKplMagic says only that the magic number is there', () => {
    expect(hasKplMagic(good)).toBe(true);
    expect(hasKplMagic(Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2, ...new Uint8Array(16)))).toBe(true);
    expect(
      decodeAggregatedRecord(Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2, ...new Uint8Array(16))),
    ).toBeUndefined();
    expect(hasKplMagic(bytes('plain'))).toBe(false);
  });

  it('an aggregate of no user records is valid and holds none', () => {
    expect(decodeAggregatedRecord(frame([]))).toEqual([]);
  });
});

describe('aggregation within the record size limit', () => {
  const recordBytes = (r: { partitionKey: string; data: Uint8Array }) =>
    r.data.length + bytes(r.partitionKey).length;

  it('cuts aggregates so that each counts at most maxRecordBytes, and loses nothing', () => {
    for (const maxRecordBytes of [200, 1000, 25_000]) {
      const records = randomRecords(2000, 50);
      const out = aggregate(records, { maxRecordBytes });
      expect(out.flatMap((r) => r.records)).toEqual(records);
      for (const record of out) {
        if (record.aggregated) {
          expect(recordBytes(record)).toBeLessThanOrEqual(maxRecordBytes);
          expect(theirDeaggregate(record.data)).toHaveLength(record.records.length);
          expect(plain(decodeAggregatedRecord(record.data)!)).toEqual(expected(record.records));
        } else {
          expect(record.records).toHaveLength(1);
          expect(record.data).toBe(record.records[0]!.data);
        }
      }
      // Each aggregate was cut only because the next record would not fit.
      for (const [i, record] of out.slice(0, -1).entries()) {
        const next = out[i + 1]!.records[0]!;
        expect(
          encodeAggregatedRecord([...record.records, next]).length + bytes(record.partitionKey).length,
        ).toBeGreaterThan(maxRecordBytes);
      }
    }
  });

  it('fills a 1 MiB record exactly up to the limit, never over', () => {
    const records = Array.from({ length: 20_000 }, (_, i) => ({
      partitionKey: `pk-${i % 100}`,
      data: new Uint8Array(100),
    }));
    const out = aggregate(records);
    expect(out.length).toBeGreaterThan(1);
    for (const record of out.slice(0, -1)) {
      expect(recordBytes(record)).toBeLessThanOrEqual(1024 * 1024);
      expect(recordBytes(record)).toBeGreaterThan(1024 * 1024 - 120);
    }
    // At the maximum size too, each side reads the other's.
    const full = out[0]!;
    expectTheyRead(full.data, full.records);
    expect(plain(decodeAggregatedRecord(theirAggregate(full.records))!)).toEqual(expected(full.records));
  });

  it('puts a record too large to share alone and plain; its partition key counts', () => {
    const big = { partitionKey: 'big', data: new Uint8Array(990) };
    const out = aggregate(
      [{ partitionKey: 'a', data: bytes('x') }, big, { partitionKey: 'b', data: bytes('y') }],
      {
        maxRecordBytes: 1000,
      },
    );
    expect(out.map((r) => [r.aggregated, r.records.length])).toEqual([
      [false, 1],
      [false, 1],
      [false, 1],
    ]);
    expect(out[1]).toMatchObject({ partitionKey: 'big', explicitHashKey: undefined, data: big.data });
  });

  it('names the aggregate after its first user record: partition key, and its hash key as explicit hash key', () => {
    const aggregator = new Aggregator();
    aggregator.add({ partitionKey: 'first', data: bytes('1') });
    aggregator.add({ partitionKey: 'second', data: bytes('2') });
    expect(aggregator.count).toBe(2);
    const out = aggregator.flush()!;
    expect(out.partitionKey).toBe('first');
    expect(out.explicitHashKey).toBe(partitionKeyHash('first').toString());
    expect(aggregator.flush()).toBeUndefined();
    const withHashKey = aggregate([
      { partitionKey: 'a', explicitHashKey: '99', data: bytes('1') },
      { partitionKey: 'b', data: bytes('2') },
    ]);
    expect(withHashKey[0]!.explicitHashKey).toBe('99');
  });

  it('reports the bytes a pending aggregate counts', () => {
    const aggregator = new Aggregator();
    expect(aggregator.recordBytes).toBe(0);
    aggregator.add({ partitionKey: 'pk', data: bytes('abc') });
    aggregator.add({ partitionKey: 'pk', data: bytes('de') });
    const pending = aggregator.recordBytes;
    const out = aggregator.flush()!;
    expect(pending).toBe(out.data.length + 2);
  });
});

describe('hash keys and shards', () => {
  it('hashes partition keys as Kinesis does: MD5 of the UTF-8 bytes, big-endian 128-bit', () => {
    for (const key of ['a', 'é', '鍵🔑', randomKey()]) {
      expect(partitionKeyHash(key)).toBe(BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`));
    }
    expect(hashKeyOf({ partitionKey: 'x', explicitHashKey: '123' })).toBe(123n);
  });

  it('md5: the browser (@noble/hashes) and Node variants agree', () => {
    for (const size of [0, 1, 55, 56, 64, 1000, 100_000]) {
      const data = new Uint8Array(randomBytes(size));
      expect(browserMd5(data)).toEqual(nodeMd5(data));
    }
    expect(browserMd5('ключ')).toEqual(nodeMd5('ключ'));
  });

  const MAX = 2n ** 128n - 1n;
  const quarter = 2n ** 126n;
  const shard = (id: number, start: bigint, end: bigint, closed = false) => ({
    shardId: `shardId-${String(id).padStart(12, '0')}`,
    hashKeyRange: { startingHashKey: String(start), endingHashKey: String(end) },
    sequenceNumberRange: closed ? { endingSequenceNumber: '99' } : {},
  });
  const fourShards = [
    shard(3, 3n * quarter, MAX),
    shard(0, 0n, quarter - 1n),
    shard(1, quarter, 2n * quarter - 1n),
    shard(2, 2n * quarter, 3n * quarter - 1n),
    shard(9, 0n, MAX, true),
  ];

  it('finds the open shard of a hash key, at every range boundary; leaves closed shards out', () => {
    const map = new ShardMap(fourShards);
    expect(map.shards.map((s) => s.shardId)).toEqual([0, 1, 2, 3].map((i) => `shardId-00000000000${i}`));
    for (let i = 0n; i < 4n; i++) {
      expect(map.shardFor(i * quarter)?.shardId).toBe(`shardId-00000000000${i}`);
      expect(map.shardFor((i + 1n) * quarter - 1n)?.shardId).toBe(`shardId-00000000000${i}`);
    }
    expect(map.shardFor(MAX)?.shardId).toBe('shardId-000000000003');
    expect(new ShardMap([shard(0, 0n, quarter)]).shardFor(quarter + 1n)).toBeUndefined();
  });

  it('aggregates per shard: every aggregate holds user records of one shard, and lands on it', () => {
    const map = new ShardMap(fourShards);
    const aggregator = new ShardAggregator(map, { maxRecordBytes: 5000 });
    const records = randomRecords(3000, 200);
    const out = records.flatMap((r) => aggregator.add(r) ?? []);
    expect(aggregator.count).toBeGreaterThan(0);
    out.push(...aggregator.flush());
    expect(aggregator.count).toBe(0);
    expect(out.flatMap((r) => r.records).sort(byData)).toEqual([...records].sort(byData));
    const shardsHit = new Set<string>();
    for (const record of out) {
      const destination = map.shardFor(hashKeyOf(record))!.shardId;
      shardsHit.add(destination);
      for (const user of record.records) expect(map.shardOf(user)!.shardId).toBe(destination);
    }
    expect(shardsHit.size).toBe(4);
  });

  it('refuses a record no open shard covers (an out-of-date map)', () => {
    const aggregator = new ShardAggregator(new ShardMap([shard(0, 0n, 10n)]));
    expect(() => aggregator.add({ partitionKey: 'k', explicitHashKey: '11', data: bytes('x') })).toThrow(
      'no open shard covers hash key 11',
    );
  });
});

function byData(a: UserRecord, b: UserRecord): number {
  return (
    Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) || a.partitionKey.localeCompare(b.partitionKey)
  );
}
