/**
 * A PutRecords sink for the memory test: parses each request, waits `delayMs` (a server that is slower
 * than the reader, so unbounded read-ahead would show up in memory), answers success for every record.
 * Prints its URL.   node --import tsx ingest/slow-sink.ts [delayMs]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const delayMs = Number(process.argv[2] ?? 25);
let sequence = 0;

const server = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { records } = JSON.parse(Buffer.concat(chunks).toString()) as { records: unknown[] };
  await sleep(delayMs);
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      FailedRecordCount: 0,
      Records: records.map(() => ({ SequenceNumber: String(++sequence), ShardId: 'shardId-000000000000' })),
    }),
  );
});
server.listen(0, '127.0.0.1', () =>
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`),
);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
