/**
 * The AWS SDK side of the ingest benchmark: reads the same JSON Lines file as `kproxy put-records`,
 * sends PutRecords of 500 records straight to the engine with the same number of requests in flight,
 * retries the entries that failed. Prints `{ succeeded, failed, seconds }` (timed from opening the file).
 *
 *   node --import tsx ingest/sdk-writer.ts <engineUrl> <stream> <file> <concurrency>
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { LIMITS } from '@kproxy/contract';
import { sdkClient } from '../lib/engines.ts';

const [engineUrl, stream, file, concurrency] = process.argv.slice(2) as [string, string, string, string];
const client = sdkClient(engineUrl);
const encoder = new TextEncoder();
let succeeded = 0;
let failed = 0;

async function put(entries: PutRecordsRequestEntry[]): Promise<void> {
  for (let attempt = 1; entries.length > 0; attempt++) {
    const result = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries }));
    const retry = entries.filter((_, i) => result.Records?.[i]?.ErrorCode);
    succeeded += entries.length - retry.length;
    if (attempt === 5) {
      failed += retry.length;
      return;
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
console.log(JSON.stringify({ succeeded, failed, seconds: (performance.now() - started) / 1000 }));
client.destroy();
