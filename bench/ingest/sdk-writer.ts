/**
 * The AWS SDK side of the ingest and limits benchmarks: reads the same JSON Lines file as
 * `kproxy put-records`, sends PutRecords of 500 records to a Kinesis endpoint with the same number of
 * requests in flight, re-sends the entries that failed after a jittered exponential backoff (50 ms
 * doubling to 2 s, as a careful SDK producer does) up to `maxAttempts` sends (default 5). Prints
 * `{ succeeded, failed, requests, resent, seconds }` (timed from opening the file).
 *
 *   node --import tsx ingest/sdk-writer.ts <kinesisUrl> <stream> <file> <concurrency> [maxAttempts]
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { LIMITS } from '@kproxy/contract';
import { sdkClient } from '../lib/engines.ts';

const [engineUrl, stream, file, concurrency, maxAttempts = '5'] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
const client = sdkClient(engineUrl);
const encoder = new TextEncoder();
let succeeded = 0;
let failed = 0;
let requests = 0;
let resent = 0;

async function put(entries: PutRecordsRequestEntry[]): Promise<void> {
  for (let attempt = 1; entries.length > 0; attempt++) {
    requests++;
    const result = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries }));
    const retry = entries.filter((_, i) => result.Records?.[i]?.ErrorCode);
    succeeded += entries.length - retry.length;
    if (attempt === Number(maxAttempts)) {
      failed += retry.length;
      return;
    }
    if (retry.length > 0) {
      resent += retry.length;
      await sleep(Math.random() * Math.min(2000, 50 * 2 ** Math.min(attempt - 1, 6)));
    }
    entries = retry;
  }
}

const started = performance.now();
const inFlight = new Set<Promise<void>>();
let batch: PutRecordsRequestEntry[] = [];
const send = async (entries: PutRecordsRequestEntry[]) => {
  const request = put(entries).finally(() => inFlight.delete(request));
  inFlight.add(request);
  if (inFlight.size >= Number(concurrency)) await Promise.race(inFlight);
};
for await (const line of createInterface({
  input: createReadStream(file),
  crlfDelay: Number.POSITIVE_INFINITY,
})) {
  if (!line) continue;
  const record = JSON.parse(line) as { data: string; partitionKey: string };
  batch.push({ Data: encoder.encode(record.data), PartitionKey: record.partitionKey });
  if (batch.length === LIMITS.maxRecordsPerBatch) {
    await send(batch);
    batch = [];
  }
}
if (batch.length) await send(batch);
await Promise.all(inFlight);
console.log(
  JSON.stringify({ succeeded, failed, requests, resent, seconds: (performance.now() - started) / 1000 }),
);
client.destroy();
