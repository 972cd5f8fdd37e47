/**
 * Kinesis PUT payload units (billed per 25 KB chunk of each record's data plus partition key) for a
 * million user records, plain and KPL-aggregated by @kproxy/client's codec: computed from the sizes
 * the codec produces, nothing sent.
 */
import { ShardAggregator, ShardMap } from '@kproxy/client';

/** A PUT payload unit: "25 KB", taken as 25 KiB. */
export const PAYLOAD_UNIT_BYTES = 25 * 1024;
/** Kinesis's per-shard write limit in bytes per second. */
const SHARD_BYTES_PER_SECOND = 1024 * 1024;

const MAX_HASH_KEY = 2n ** 128n - 1n;
const units = (bytes: number) => Math.ceil(bytes / PAYLOAD_UNIT_BYTES);

/** Shards splitting the hash-key space evenly, as CreateStream makes them. */
export function evenShards(count: number): ShardMap {
  const width = (MAX_HASH_KEY + 1n) / BigInt(count);
  return new ShardMap(
    Array.from({ length: count }, (_, i) => ({
      shardId: `shardId-${String(i).padStart(12, '0')}`,
      hashKeyRange: {
        startingHashKey: String(BigInt(i) * width),
        endingHashKey: String(i === count - 1 ? MAX_HASH_KEY : BigInt(i + 1) * width - 1n),
      },
    })),
  );
}

export interface UnitsRow {
  readonly label: string;
  /** Kinesis records put for the user records. */
  readonly kinesisRecords: number;
  readonly units: number;
  /** Mean bytes (data + partition key) per user record, as Kinesis counts them. */
  readonly bytesPerUserRecord: number;
  /** User records per second one shard can take at 1 MiB/s and 1,000 Kinesis records/s. */
  readonly shardBound: number;
}

/** The benchmark's records: `<n> xxx…` of `dataBytes` bytes, partition key `key-<n>` (as ingest/input.ts writes). */
export function* userRecords(count: number, dataBytes: number, from = 0) {
  const encoder = new TextEncoder();
  for (let n = from; n < from + count; n++) {
    const prefix = `${n} `;
    yield {
      partitionKey: `key-${n}`,
      data: encoder.encode(prefix + 'x'.repeat(Math.max(0, dataBytes - prefix.length))),
    };
  }
}

/**
 * Units for `count` user records of `dataBytes`, scaled to a million: plain, and aggregated per shard
 * into records of at most `maxRecordBytes`.
 */
export function payloadUnits(
  count: number,
  dataBytes: number,
  shards: number,
  maxRecordBytes: number[],
): UnitsRow[] {
  const scale = 1_000_000 / count;
  let plainBytes = 0;
  let plainUnits = 0;
  for (const r of userRecords(count, dataBytes)) {
    const bytes = r.data.length + Buffer.byteLength(r.partitionKey);
    plainBytes += bytes;
    plainUnits += units(bytes);
  }
  const rows: UnitsRow[] = [
    {
      label: 'plain (one Kinesis record per user record)',
      kinesisRecords: count * scale,
      units: plainUnits * scale,
      bytesPerUserRecord: plainBytes / count,
      shardBound: Math.min(1000, SHARD_BYTES_PER_SECOND / (plainBytes / count)),
    },
  ];
  for (const max of maxRecordBytes) {
    const aggregator = new ShardAggregator(evenShards(shards), { maxRecordBytes: max });
    const out = [];
    for (const r of userRecords(count, dataBytes)) {
      const completed = aggregator.add(r);
      if (completed) out.push(completed);
    }
    out.push(...aggregator.flush());
    let bytes = 0;
    let aggregatedUnits = 0;
    for (const record of out) {
      const recordBytes = record.data.length + Buffer.byteLength(record.partitionKey);
      bytes += recordBytes;
      aggregatedUnits += units(recordBytes);
    }
    const perUser = bytes / count;
    const usersPerRecord = count / out.length;
    rows.push({
      label: `aggregated per shard, records ≤ ${max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max.toLocaleString('en-US')} bytes`}`,
      kinesisRecords: out.length * scale,
      units: aggregatedUnits * scale,
      bytesPerUserRecord: perUser,
      shardBound: Math.min(1000 * usersPerRecord, SHARD_BYTES_PER_SECOND / perUser),
    });
  }
  return rows;
}
