/**
 * The AWS SDK side of the tail benchmark: a plain GetRecords loop over every shard at once, straight to
 * the engine, as fast as the engine answers (no pause between reads). Prints each record as a JSON line,
 * like `kproxy tail --format json`, and stops after `count` records. Its own time goes to stderr as
 * `SECONDS=…`.
 *
 *   node --import tsx tail/sdk-reader.ts <engineUrl> <stream> <count>
 */
import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { sdkClient } from '../lib/engines.ts';

const [engineUrl, stream, count] = process.argv.slice(2) as [string, string, string];
const client = sdkClient(engineUrl);
const decoder = new TextDecoder();
let printed = 0;

const started = performance.now();
const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
await Promise.all(
  Shards.map(async ({ ShardId }) => {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator && printed < Number(count)) {
      const result = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const records = result.Records ?? [];
      let out = '';
      for (const record of records) {
        if (printed++ >= Number(count)) break;
        out += `${JSON.stringify({
          stream,
          shardId: ShardId,
          sequenceNumber: record.SequenceNumber,
          partitionKey: record.PartitionKey,
          approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.toISOString(),
          data: decoder.decode(record.Data),
        })}\n`;
      }
      process.stdout.write(out);
      // At the tip of the shard: this shard is done (a non-following reader).
      if (records.length === 0 && result.MillisBehindLatest === 0) break;
      iterator = result.NextShardIterator;
    }
  }),
);
process.stderr.write(`SECONDS=${(performance.now() - started) / 1000}\n`);
client.destroy();
