/** Records as GetRecords returns them: bytes, with cheap text and JSON views. */
import { KinesisRecord } from '@kproxy/contract';
import { type CamelCase, camelCaseInto } from '../resources/kinesis-shape.ts';

/**
 * A record read: the contract's `KinesisRecord` in the client's shape (`sequenceNumber`, a decimal string
 * of up to 129 digits, never a number; `partitionKey`; `data`, the record's bytes exactly as put;
 * `approximateArrivalTimestamp`, a `Date`; …), with text and JSON views of `data`.
 */
export interface ReceivedRecord extends CamelCase<KinesisRecord> {
  /** `data` decoded as UTF-8. */
  text(): string;
  /** `data` parsed as JSON; throws a `SyntaxError` when it is not JSON. */
  json<T = unknown>(): T;
}

const decoder = new TextDecoder();

/** Methods live on the prototype, so `JSON.stringify(record)` and spreading show only the fields. */
class RecordView {
  text(this: ReceivedRecord): string {
    return decoder.decode(this.data);
  }

  json<T = unknown>(this: ReceivedRecord): T {
    return JSON.parse(this.text()) as T;
  }
}

export function toReceivedRecord(record: KinesisRecord): ReceivedRecord {
  return camelCaseInto(KinesisRecord, new RecordView(), record);
}
