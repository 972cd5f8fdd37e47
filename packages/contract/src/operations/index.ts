import { getRecords, getShardIterator, putRecord, putRecords } from './records.ts';
import { describeStreamSummary, listShards, updateShardCount } from './shards.ts';
import { createStream, deleteStream, describeStream, listStreams } from './streams.ts';

/** Every method of the API, keyed by the client's method name: the seed's eight, then kproxy's additions. */
export const operations = {
  listStreams,
  createStream,
  describeStream,
  deleteStream,
  putRecord,
  putRecords,
  getShardIterator,
  getRecords,
  listShards,
  updateShardCount,
  describeStreamSummary,
} as const;

export type Operations = typeof operations;
export type OperationId = keyof Operations;

/** The eight routes of the seed API (AWS's tutorial and the CDK seed): what every deployment has. */
export const SEED_OPERATION_IDS = [
  'listStreams',
  'createStream',
  'describeStream',
  'deleteStream',
  'putRecord',
  'putRecords',
  'getShardIterator',
  'getRecords',
] as const satisfies readonly OperationId[];

/**
 * kproxy's additions to the seed API: a deployment made from the seeds answers 403 for these routes.
 * (A literal, not computed from `operations`: a bundle that needs neither list carries neither.)
 */
export const KPROXY_OPERATION_IDS = [
  'listShards',
  'updateShardCount',
  'describeStreamSummary',
] as const satisfies readonly OperationId[];

export { getRecords, getShardIterator, putRecord, putRecords } from './records.ts';
export { describeStreamSummary, listShards, updateShardCount } from './shards.ts';
export { createStream, deleteStream, describeStream, listStreams } from './streams.ts';
