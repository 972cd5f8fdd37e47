/** Records as GetRecords returns them: bytes, with cheap text and JSON views. */
import type { KinesisRecord } from '@kproxy/contract';
import { base64ToBytes } from '#base64';

export interface ReceivedRecord {
  /** Decimal string of up to 129 digits; never convert it to a number. */
  sequenceNumber: string;
  partitionKey: string;
  /** The record's bytes, exactly as put. */
  data: Uint8Array;
  approximateArrivalTimestamp?: Date;
  encryptionType?: string;
  /** `data` decoded as UTF-8. */
  text(): string;
  /** `data` parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  json<T = unknown>(): T;
}

const decoder = new TextDecoder();

/** Methods live on the prototype, so `JSON.stringify(record)` and spreading show only the fields. */
class RecordView implements ReceivedRecord {
  sequenceNumber!: string;
  partitionKey!: string;
  data!: Uint8Array;
  declare approximateArrivalTimestamp?: Date;
  declare encryptionType?: string;

  text(): string {
    return decoder.decode(this.data);
  }

  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}

export function toReceivedRecord(record: KinesisRecord): ReceivedRecord {
  const out = new RecordView();
  out.sequenceNumber = record.SequenceNumber;
  out.partitionKey = record.PartitionKey;
  out.data = base64ToBytes(record.Data);
  if (record.ApproximateArrivalTimestamp != null) {
    out.approximateArrivalTimestamp = new Date(record.ApproximateArrivalTimestamp * 1000);
  }
  if (record.EncryptionType != null) out.encryptionType = record.EncryptionType;
  return out;
}
