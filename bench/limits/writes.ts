/**
 * Writes at the per-shard write limits (1,000 records/s and 1 MiB/s): `kproxy put-records` through the
 * emulator with `--shard-limits`, plainly and with `--aggregate`, and the AWS SDK's PutRecords loop
 * through `startShardLimitedKinesis` (the very same limiter in front of the same engine).
 */
import { kproxyEnv } from '../lib/engines.ts';
import { kproxyBin } from '../lib/paths.ts';
import { expectSuccess, runNode } from '../lib/processes.ts';

export const CONCURRENCY = 4;
/** Enough attempts that every record gets in at the limit: a figure for a partial run would mean nothing. */
export const MAX_ATTEMPTS = 1000;

export interface WriteMeasure {
  readonly recordsPerSecond: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Records (entries, for the SDK loop) sent again after a refusal. */
  readonly resent: number;
  /** Kinesis records stored (fewer than `succeeded` when aggregating). */
  readonly kinesisRecords: number;
}

export async function putWithKproxy(
  emulatorUrl: string,
  stream: string,
  file: string,
  aggregate: boolean,
): Promise<WriteMeasure> {
  const args = [
    kproxyBin,
    'put-records',
    stream,
    file,
    '--output',
    'json',
    '--concurrency',
    String(CONCURRENCY),
    '--max-attempts',
    String(MAX_ATTEMPTS),
    ...(aggregate ? ['--aggregate'] : []),
  ];
  const put = expectSuccess('kproxy put-records', await runNode(args, { env: kproxyEnv(emulatorUrl) }));
  const summary = JSON.parse(put.stdout) as {
    succeeded: number;
    failed: number;
    retries: number;
    seconds: number;
    kinesisRecords: number;
  };
  return {
    recordsPerSecond: summary.succeeded / summary.seconds,
    succeeded: summary.succeeded,
    failed: summary.failed,
    resent: summary.retries,
    kinesisRecords: summary.kinesisRecords,
  };
}

export async function putWithSdk(kinesisUrl: string, stream: string, file: string): Promise<WriteMeasure> {
  const sdk = expectSuccess(
    'sdk writer',
    await runNode([
      '--import',
      'tsx',
      'ingest/sdk-writer.ts',
      kinesisUrl,
      stream,
      file,
      String(CONCURRENCY),
      String(MAX_ATTEMPTS),
    ]),
  );
  const result = JSON.parse(sdk.stdout) as {
    succeeded: number;
    failed: number;
    resent: number;
    seconds: number;
  };
  return {
    recordsPerSecond: result.succeeded / result.seconds,
    succeeded: result.succeeded,
    failed: result.failed,
    resent: result.resent,
    kinesisRecords: result.succeeded,
  };
}
