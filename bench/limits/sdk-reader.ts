/**
 * The AWS SDK side of the read limits benchmark: a GetRecords loop over every shard at once, as the
 * AWS documentation's examples write it — `Limit` 10,000, the next call as soon as the last answered —
 * against the Kinesis protocol with the per-shard read limits. A ProvisionedThroughputExceededException
 * the SDK's own retries did not get past is waited out with exponential backoff (100 ms doubling to
 * 5 s), as Kinesis's documentation advises. Prints each Kinesis record as a JSON line (data base64, not
 * de-aggregated), stops once `bytes` of data are read; prints `SECONDS=…` and `THROTTLED=…` on stderr.
 *
 *   node --import tsx limits/sdk-reader.ts <kinesisUrl> <stream> <bytes>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { sdkClient } from '../lib/engines.ts';

const [kinesisUrl, stream, bytesArg] = process.argv.slice(2) as [string, string, string];
const client = sdkClient(kinesisUrl);
const total = Number(bytesArg);
let read = 0;
let throttled = 0;

const started = performance.now();
const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
await Promise.all(
  Shards.map(async ({ ShardId }) => {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    let backoff = 100;
    while (iterator && read < total) {
      let result: GetRecordsCommandOutput;
      try {
        result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        backoff = 100;
      } catch (error) {
        if ((error as Error).name !== 'ProvisionedThroughputExceededException') throw error;
        throttled++;
        await sleep(Math.random() * backoff);
        backoff = Math.min(5_000, backoff * 2);
        continue;
      }
      const records = result.Records ?? [];
      let out = '';
      for (const record of records) {
        read += record.Data?.byteLength ?? 0;
        out += `${JSON.stringify({
          stream,
          shardId: ShardId,
          sequenceNumber: record.SequenceNumber,
          partitionKey: record.PartitionKey,
          dataBase64: Buffer.from(record.Data ?? []).toString('base64'),
        })}\n`;
      }
      if (out) process.stdout.write(out);
      if (records.length === 0 && result.MillisBehindLatest === 0) break;
      iterator = result.NextShardIterator;
    }
  }),
);
process.stderr.write(`SECONDS=${(performance.now() - started) / 1000}\nTHROTTLED=${throttled}\n`);
client.destroy();
