/**
 * The KPL aggregated record format (amazon-kinesis-producer's aggregation-format.md): many user records
 * in the data of one Kinesis record.
 *
 *   F3 89 9A C2 | protobuf AggregatedRecord | MD5 of the protobuf bytes (16)
 *
 *   message AggregatedRecord {
 *     repeated string partition_key_table     = 1;
 *     repeated string explicit_hash_key_table = 2;
 *     repeated Record records                 = 3;
 *   }
 *   message Record {
 *     required uint64 partition_key_index     = 1;
 *     optional uint64 explicit_hash_key_index = 2;
 *     required bytes  data                    = 3;
 *     repeated Tag    tags                    = 4;   // { required string key = 1; optional string value = 2; }
 *   }
 *
 * Consumers (the KCL, Lambda's de-aggregation libraries, Firehose) address a user record by the Kinesis
 * record's sequence number and its index in `records`, the sub-sequence number.
 */
import { md5 } from '#md5';
import {
  lengthDelimitedSize,
  ProtobufError,
  ProtobufReader,
  ProtobufWriter,
  varintSize,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from './protobuf.ts';

export const KPL_MAGIC: Uint8Array = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);
export const KPL_CHECKSUM_BYTES = 16;
/** Magic number and checksum around the protobuf message. */
export const KPL_OVERHEAD_BYTES = KPL_MAGIC.length + KPL_CHECKSUM_BYTES;

const TABLE_PARTITION_KEYS = 1;
const TABLE_EXPLICIT_HASH_KEYS = 2;
const RECORDS = 3;
const RECORD_PARTITION_KEY_INDEX = 1;
const RECORD_EXPLICIT_HASH_KEY_INDEX = 2;
const RECORD_DATA = 3;

/** A user record to aggregate. */
export interface UserRecord {
  readonly partitionKey: string;
  /** Decimal 128-bit hash key; overrides the partition key's hash for routing. */
  readonly explicitHashKey?: string | undefined;
  readonly data: Uint8Array;
}

/** A user record read out of an aggregated record. */
export interface DeaggregatedRecord {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  /** A view into the aggregated record's bytes (copy it to keep it beyond them). */
  readonly data: Uint8Array;
  /** Its index in the aggregated record: with the Kinesis sequence number, the user record's address. */
  readonly subSequenceNumber: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What adding a user record to an aggregate adds: bytes, key-table entries, its `Record` size. */
interface Growth {
  readonly bytes: number;
  readonly partitionKeyIndex: number;
  readonly newPartitionKey: Uint8Array | undefined;
  readonly explicitHashKeyIndex: number | undefined;
  readonly newExplicitHashKey: Uint8Array | undefined;
  readonly recordSize: number;
}

/** An index into a key table, with the protobuf bytes of `Record` it implies. */
interface EncodedUserRecord {
  readonly partitionKeyIndex: number;
  readonly explicitHashKeyIndex: number | undefined;
  readonly data: Uint8Array;
  /** Bytes of the `Record` message body. */
  readonly size: number;
}

function recordMessageSize(
  partitionKeyIndex: number,
  explicitHashKeyIndex: number | undefined,
  dataLength: number,
) {
  return (
    1 +
    varintSize(partitionKeyIndex) +
    (explicitHashKeyIndex === undefined ? 0 : 1 + varintSize(explicitHashKeyIndex)) +
    lengthDelimitedSize(dataLength)
  );
}

/**
 * Builds one aggregated record incrementally, knowing its exact size at every step (so a size limit
 * can be honoured without encoding twice). Keys repeated across user records are stored once.
 */
export class AggregateBuilder {
  readonly #partitionKeys = new Map<string, number>();
  readonly #partitionKeyBytes: Uint8Array[] = [];
  readonly #explicitHashKeys = new Map<string, number>();
  readonly #explicitHashKeyBytes: Uint8Array[] = [];
  readonly #records: EncodedUserRecord[] = [];
  #messageBytes = 0;
  /** The growth `dataBytesWith` computed last, for the record it was computed for. */
  #computed: { record: UserRecord; growth: Growth } | undefined;

  /** User records added. */
  get count(): number {
    return this.#records.length;
  }

  /** Bytes of the aggregated record's data: magic, protobuf message, checksum. */
  get dataBytes(): number {
    return KPL_OVERHEAD_BYTES + this.#messageBytes;
  }

  /** What `dataBytes` would be with `record` added (computed, nothing added). */
  dataBytesWith(record: UserRecord): number {
    const growth = this.#growth(record);
    // `add` of the same record usually follows: it takes this computation instead of redoing it.
    this.#computed = { record, growth };
    return KPL_OVERHEAD_BYTES + this.#messageBytes + growth.bytes;
  }

  add(record: UserRecord): void {
    const computed = this.#computed;
    this.#computed = undefined;
    const growth = computed?.record === record ? computed.growth : this.#growth(record);
    if (growth.newPartitionKey) {
      this.#partitionKeys.set(record.partitionKey, this.#partitionKeyBytes.length);
      this.#partitionKeyBytes.push(growth.newPartitionKey);
    }
    if (growth.newExplicitHashKey) {
      this.#explicitHashKeys.set(record.explicitHashKey!, this.#explicitHashKeyBytes.length);
      this.#explicitHashKeyBytes.push(growth.newExplicitHashKey);
    }
    this.#records.push({
      partitionKeyIndex: growth.partitionKeyIndex,
      explicitHashKeyIndex: growth.explicitHashKeyIndex,
      data: record.data,
      size: growth.recordSize,
    });
    this.#messageBytes += growth.bytes;
  }

  #growth(record: UserRecord): Growth {
    let bytes = 0;
    let partitionKeyIndex = this.#partitionKeys.get(record.partitionKey);
    let newPartitionKey: Uint8Array | undefined;
    if (partitionKeyIndex === undefined) {
      partitionKeyIndex = this.#partitionKeyBytes.length;
      newPartitionKey = encoder.encode(record.partitionKey);
      bytes += lengthDelimitedSize(newPartitionKey.length);
    }
    let explicitHashKeyIndex: number | undefined;
    let newExplicitHashKey: Uint8Array | undefined;
    if (record.explicitHashKey !== undefined) {
      explicitHashKeyIndex = this.#explicitHashKeys.get(record.explicitHashKey);
      if (explicitHashKeyIndex === undefined) {
        explicitHashKeyIndex = this.#explicitHashKeyBytes.length;
        newExplicitHashKey = encoder.encode(record.explicitHashKey);
        bytes += lengthDelimitedSize(newExplicitHashKey.length);
      }
    }
    const recordSize = recordMessageSize(partitionKeyIndex, explicitHashKeyIndex, record.data.length);
    bytes += lengthDelimitedSize(recordSize);
    return {
      bytes,
      partitionKeyIndex,
      newPartitionKey,
      explicitHashKeyIndex,
      newExplicitHashKey,
      recordSize,
    };
  }

  /** The aggregated record's data: magic, message, MD5 of the message. */
  build(): Uint8Array {
    const writer = new ProtobufWriter(this.dataBytes);
    writer.raw(KPL_MAGIC);
    for (const key of this.#partitionKeyBytes) writer.lengthDelimited(TABLE_PARTITION_KEYS, key);
    for (const key of this.#explicitHashKeyBytes) writer.lengthDelimited(TABLE_EXPLICIT_HASH_KEYS, key);
    for (const record of this.#records) {
      writer.key(RECORDS, WIRE_LENGTH_DELIMITED);
      writer.varint(record.size);
      writer.key(RECORD_PARTITION_KEY_INDEX, WIRE_VARINT);
      writer.varint(record.partitionKeyIndex);
      if (record.explicitHashKeyIndex !== undefined) {
        writer.key(RECORD_EXPLICIT_HASH_KEY_INDEX, WIRE_VARINT);
        writer.varint(record.explicitHashKeyIndex);
      }
      writer.lengthDelimited(RECORD_DATA, record.data);
    }
    const message = writer.bytes.subarray(KPL_MAGIC.length, writer.offset);
    writer.raw(md5(message));
    return writer.bytes;
  }
}

/** Encodes user records into the data of one aggregated record (no size limit: see `Aggregator`). */
export function encodeAggregatedRecord(records: Iterable<UserRecord>): Uint8Array {
  const builder = new AggregateBuilder();
  for (const record of records) builder.add(record);
  return builder.build();
}

/** Starts with the KPL magic number (not proof of the format: see `decodeAggregatedRecord`). */
export function hasKplMagic(data: Uint8Array): boolean {
  return (
    data.length >= KPL_OVERHEAD_BYTES &&
    data[0] === KPL_MAGIC[0] &&
    data[1] === KPL_MAGIC[1] &&
    data[2] === KPL_MAGIC[2] &&
    data[3] === KPL_MAGIC[3]
  );
}

function checksumMatches(data: Uint8Array): boolean {
  const end = data.length - KPL_CHECKSUM_BYTES;
  const expected = md5(data.subarray(KPL_MAGIC.length, end));
  for (let i = 0; i < KPL_CHECKSUM_BYTES; i++) if (expected[i] !== data[end + i]) return false;
  return true;
}

interface RawRecord {
  partitionKeyIndex: number | undefined;
  explicitHashKeyIndex: number | undefined;
  data: { start: number; end: number } | undefined;
}

function readRecord(reader: ProtobufReader): RawRecord {
  const record: RawRecord = {
    partitionKeyIndex: undefined,
    explicitHashKeyIndex: undefined,
    data: undefined,
  };
  while (!reader.done) {
    const { field, wireType } = reader.key();
    const expected =
      field === RECORD_PARTITION_KEY_INDEX || field === RECORD_EXPLICIT_HASH_KEY_INDEX
        ? WIRE_VARINT
        : field === RECORD_DATA
          ? WIRE_LENGTH_DELIMITED
          : undefined;
    if (expected === undefined) reader.skip(wireType);
    else if (wireType !== expected) throw new ProtobufError(`field ${field} has wire type ${wireType}`);
    else if (field === RECORD_PARTITION_KEY_INDEX) record.partitionKeyIndex = reader.varint();
    else if (field === RECORD_EXPLICIT_HASH_KEY_INDEX) record.explicitHashKeyIndex = reader.varint();
    else record.data = reader.lengthDelimited();
  }
  return record;
}

/**
 * The user records of a KPL aggregated record, or undefined when `data` is not one: no magic number,
 * a checksum that does not match, or a message that does not parse as `AggregatedRecord` (missing
 * required fields, key indices out of their tables). Such records are ordinary data that merely look
 * alike; callers pass them on as they are.
 */
export function decodeAggregatedRecord(data: Uint8Array): DeaggregatedRecord[] | undefined {
  if (!hasKplMagic(data) || !checksumMatches(data)) return undefined;
  const end = data.length - KPL_CHECKSUM_BYTES;
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const raw: RawRecord[] = [];
  try {
    const reader = new ProtobufReader(data, KPL_MAGIC.length, end);
    while (!reader.done) {
      const { field, wireType } = reader.key();
      if (field !== TABLE_PARTITION_KEYS && field !== TABLE_EXPLICIT_HASH_KEYS && field !== RECORDS) {
        reader.skip(wireType);
        continue;
      }
      if (wireType !== WIRE_LENGTH_DELIMITED)
        throw new ProtobufError(`field ${field} has wire type ${wireType}`);
      const { start, end: stop } = reader.lengthDelimited();
      if (field === RECORDS) raw.push(readRecord(new ProtobufReader(data, start, stop)));
      else
        (field === TABLE_PARTITION_KEYS ? partitionKeys : explicitHashKeys).push(
          decoder.decode(data.subarray(start, stop)),
        );
    }
  } catch (error) {
    if (error instanceof ProtobufError) return undefined;
    throw error;
  }
  const records: DeaggregatedRecord[] = [];
  for (const [i, record] of raw.entries()) {
    // Tables may follow the records in the message, so indices are resolved only now.
    const partitionKey =
      record.partitionKeyIndex === undefined ? undefined : partitionKeys[record.partitionKeyIndex];
    if (partitionKey === undefined || record.data === undefined) return undefined;
    let explicitHashKey: string | undefined;
    if (record.explicitHashKeyIndex !== undefined) {
      explicitHashKey = explicitHashKeys[record.explicitHashKeyIndex];
      if (explicitHashKey === undefined) return undefined;
    }
    records.push({
      partitionKey,
      explicitHashKey,
      data: data.subarray(record.data.start, record.data.end),
      subSequenceNumber: i,
    });
  }
  return records;
}
