/**
 * Put a few records and read them back.
 *
 * Shows: creating a stream when it is missing (and waiting until it is ACTIVE), `putRecord` and
 * `putRecords` with the three kinds of data (text, a JSON value, raw bytes), and reading them back with
 * the low-level pair `getShardIterator` + `getRecords`, starting at the first record this run wrote.
 *
 * Usage: put-and-read.ts [stream-name]   (default stream: examples)
 *
 * Run it from examples/ while the quick-start emulator runs (`pnpm start` at the repository root):
 *
 *   node --import tsx put-and-read.ts              # creates the stream "examples" if missing
 *   node --import tsx put-and-read.ts examples     # again: reads back only this run's records
 *
 * Environment: KPROXY_ENDPOINT (default http://127.0.0.1:4600/v1); KPROXY_AUTH=iam signs requests
 * with SigV4 using the AWS default credential chain (for a deployed API with IAM auth).
 */
import { isNotFoundError, KproxyClient } from '@kproxy/client';

const streamName = process.argv[2] ?? 'examples';

const client = new KproxyClient({
  endpoint: process.env.KPROXY_ENDPOINT || 'http://127.0.0.1:4600/v1',
  auth: process.env.KPROXY_AUTH === 'iam' ? { type: 'sigv4' } : { type: 'none' },
});

/** Creates the stream unless it exists, then waits until it accepts records. */
async function ensureStream(name: string): Promise<void> {
  try {
    await client.describeStream({ streamName: name });
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
    await client.createStream({ streamName: name, shardCount: 1 });
    console.log(`created stream ${name}`);
  }
  // A new stream is CREATING for a while (seconds on AWS, moments on the emulator).
  for (;;) {
    const { streamStatus } = await client.describeStream({ streamName: name });
    if (streamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

await ensureStream(streamName);

// One partition key for this run: records of one key go to one shard, in the order they were put.
const partitionKey = `put-and-read-${Date.now()}`;

// Text is stored as its UTF-8 bytes, exactly (no added quotes).
const first = await client.putRecord({ streamName, partitionKey, data: 'hello, kproxy ✓' });
// Any other JSON value is stored as its JSON text.
await client.putRecord({ streamName, partitionKey, data: { event: 'signup', user: 42 } });
// Bytes (Uint8Array, Buffer, ArrayBuffer) are sent base64 and stored as these bytes.
const batch = await client.putRecords({
  streamName,
  records: [
    { partitionKey, data: new Uint8Array([0x00, 0x01, 0xfe, 0xff]) },
    { partitionKey, data: 'the last one' },
  ],
});
// putRecords can partly fail (throttling): a failed entry has an errorCode. bulkPut retries those.
for (const entry of batch.records) {
  if (entry.errorCode !== undefined) throw new Error(`a record was refused: ${entry.errorCode}`);
}
console.log(`put 4 records in ${first.shardId}, first sequence number ${first.sequenceNumber}`);

// Read that shard from the first record of this run. An iterator is valid for 5 minutes; every
// getRecords answer carries the next one. (client.readStream() does all of this for every shard.)
let { shardIterator } = await client.getShardIterator({
  streamName,
  shardId: first.shardId,
  type: 'AT_SEQUENCE_NUMBER',
  startingSequenceNumber: first.sequenceNumber,
});
const utf8 = new TextDecoder('utf-8', { fatal: true });
let read = 0;
while (read < 4) {
  const page = await client.getRecords({ streamName, shardIterator });
  for (const record of page.records) {
    if (record.partitionKey !== partitionKey) continue; // another producer's record in this shard
    read++;
    // `data` holds the bytes as put; record.text() decodes them as UTF-8, record.json() parses them.
    let shown: string;
    try {
      shown = utf8.decode(record.data);
    } catch {
      shown = `0x${Buffer.from(record.data).toString('hex')}`; // not text
    }
    console.log(`read ${record.sequenceNumber} ${shown}`);
  }
  // null: the shard was closed (resharded) and read to its end.
  if (page.nextShardIterator === null) break;
  shardIterator = page.nextShardIterator;
  // Kinesis may answer empty before the records show up; a shard takes at most 5 reads a second.
  if (page.records.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
}
console.log(`read back ${read} records`);
