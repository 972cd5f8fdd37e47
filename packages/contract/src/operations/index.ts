import { getRecords, getShardIterator, putRecord, putRecords } from './records.ts';
import { createStream, deleteStream, describeStream, listStreams } from './streams.ts';

/** The eight methods of the API, keyed by the client's method name. */
export const operations = {
  listStreams,
  createStream,
  describeStream,
  deleteStream,
  putRecord,
  putRecords,
  getShardIterator,
  getRecords,
} as const;

export type Operations = typeof operations;
export type OperationId = keyof Operations;

export { getRecords, getShardIterator, putRecord, putRecords } from './records.ts';
export { createStream, deleteStream, describeStream, listStreams } from './streams.ts';
