/**
 * Every `kproxy` command, in the order `kproxy --help` lists them. Adding a command = one module under
 * `commands/<noun>/` plus one line here.
 */
import { completionCommand } from './commands/completion/completion.ts';
import { configureCommand } from './commands/configure/configure.ts';
import { localCommand } from './commands/local/local.ts';
import { getRecordsCommand } from './commands/records/get-records.ts';
import { getShardIteratorCommand } from './commands/records/get-shard-iterator.ts';
import { putRecordCommand } from './commands/records/put-record.ts';
import { putRecordsCommand } from './commands/records/put-records.ts';
import { createStreamCommand } from './commands/streams/create-stream.ts';
import { deleteStreamCommand } from './commands/streams/delete-stream.ts';
import { describeStreamCommand } from './commands/streams/describe-stream.ts';
import { describeStreamSummaryCommand } from './commands/streams/describe-stream-summary.ts';
import { listShardsCommand } from './commands/streams/list-shards.ts';
import { listStreamsCommand } from './commands/streams/list-streams.ts';
import { updateShardCountCommand } from './commands/streams/update-shard-count.ts';
import { tailCommand } from './commands/tail/tail.ts';
import type { AnyCommand } from './core/define-command.ts';

export const COMMANDS: readonly AnyCommand[] = [
  listStreamsCommand,
  createStreamCommand,
  describeStreamCommand,
  describeStreamSummaryCommand,
  deleteStreamCommand,
  listShardsCommand,
  updateShardCountCommand,
  putRecordCommand,
  putRecordsCommand,
  getShardIteratorCommand,
  getRecordsCommand,
  tailCommand,
  localCommand,
  configureCommand,
  completionCommand,
];
