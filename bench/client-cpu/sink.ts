/**
 * A canned PutRecords success on 127.0.0.1, in its own process so its CPU is not the client's. Answers
 * every request (kproxy's PUT /v1/streams/NAME/records and the SDK's POST / alike) with the same body:
 * 500 entries with a sequence number and shard id. Prints its URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const RECORDS = 500;
const body = JSON.stringify({
  FailedRecordCount: 0,
  Records: Array.from({ length: RECORDS }, (_, i) => ({
    SequenceNumber: `4963${String(i).padStart(52, '0')}`,
    ShardId: `shardId-00000000000${i % 4}`,
  })),
});
const length = String(Buffer.byteLength(body));

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, {
      // The SDK's JSON 1.1 protocol and kproxy's API both read JSON; each gets its usual type.
      'content-type': request.url === '/' ? 'application/x-amz-json-1.1' : 'application/json',
      'content-length': length,
      'x-amzn-requestid': 'bench',
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () =>
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
