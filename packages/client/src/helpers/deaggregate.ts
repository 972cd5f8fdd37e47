/**
 * De-aggregation on read: a Kinesis record in the KPL aggregated format (`../kpl/format.ts`) becomes its
 * user records, each with its own partition key (and explicit hash key, when it has one), the Kinesis
 * record's sequence number, arrival time and shard, and its index in the aggregate: the sub-sequence
 * number. Any other record passes as it is — also one that starts with the magic bytes but fails the
 * checksum or does not parse: that is ordinary data that merely looks alike.
 *
 * A position inside an aggregated record is (sequence number, sub-sequence number): the user records
 * up to that one are handed out. Once the last user record of an aggregate is handed out the position
 * is the sequence number alone, as for a plain record, so a resumed reader does not read it again.
 */
import { decodeAggregatedRecord, hasKplMagic } from '../kpl/format.ts';
import type { ShardPosition } from './read-position.ts';
import type { StreamRecord } from './stream-reader.ts';

/** The last user record of each aggregate (invisible to JSON and spreading, unlike a field). */
const lastOfAggregate = new WeakSet<StreamRecord>();

/**
 * `records` with every aggregated record replaced by its user records, in order. Returns `records`
 * itself when none is aggregated (the common case costs a look at four bytes per record).
 */
export function deaggregate(records: StreamRecord[]): StreamRecord[] {
  let out: StreamRecord[] | undefined;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const users = hasKplMagic(record.data) ? decodeAggregatedRecord(record.data) : undefined;
    if (users === undefined) {
      out?.push(record);
      continue;
    }
    out ??= records.slice(0, i);
    const prototype = Object.getPrototypeOf(record) as object;
    for (const user of users) {
      // The Kinesis record's fields (sequence number, arrival time, shard, …) with the user record's own.
      const expanded: StreamRecord = Object.assign(Object.create(prototype) as StreamRecord, record, {
        partitionKey: user.partitionKey,
        data: user.data,
        subSequenceNumber: user.subSequenceNumber,
      });
      if (user.explicitHashKey !== undefined) expanded.explicitHashKey = user.explicitHashKey;
      out.push(expanded);
    }
    if (out.length > 0 && users.length > 0) lastOfAggregate.add(out.at(-1)!);
  }
  return out ?? records;
}

/** User records a Kinesis record's data holds: 1 unless it is an aggregated record. */
export function userRecordCount(data: Uint8Array): number {
  return hasKplMagic(data) ? (decodeAggregatedRecord(data)?.length ?? 1) : 1;
}

/** The shard's position once `record` is handed out. */
export function positionAfter(record: StreamRecord): ShardPosition {
  if (record.subSequenceNumber === undefined || lastOfAggregate.has(record)) return record.sequenceNumber;
  return { sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber };
}

/**
 * Drops the user records a resumed position has handed out already: those of the aggregate at
 * `position.sequenceNumber` up to its sub-sequence number. A record without a sub-sequence number (read
 * with de-aggregation off) is kept: raw records cannot be handed out in part.
 */
export function dropHandedOut(
  records: StreamRecord[],
  position: { sequenceNumber: string; subSequenceNumber: number },
): StreamRecord[] {
  return records.filter(
    (r) =>
      r.sequenceNumber !== position.sequenceNumber ||
      r.subSequenceNumber === undefined ||
      r.subSequenceNumber > position.subSequenceNumber,
  );
}
