/**
 * PutRecords throughput in 500-record batches: through the emulator (HTTP → validation → template →
 * signed Kinesis call → integration response) versus straight to the embedded engine (a raw JSON 1.1
 * POST to kinesalite), measured in one run on the same machine.
 *
 *   pnpm --filter @kproxy/bench emulator            # defaults: 40 batches × 500 records, 100-byte data
 *   BATCHES=100 CONCURRENCY=4 pnpm --filter @kproxy/bench emulator
 */
import type { AddressInfo } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { KINESIS_CONTENT_TYPE, KINESIS_TARGET_PREFIX, LIMITS } from '@kproxy/contract';
import { startLocalProxy } from '@kproxy/local';
import kinesalite from 'kinesalite';

const BATCHES = Number(process.env.BATCHES ?? 40);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 1);
const RECORDS = LIMITS.maxRecordsPerBatch;
const DATA_BYTES = Number(process.env.DATA_BYTES ?? 100);
const SHARDS = 4;

const records = Array.from({ length: RECORDS }, (_, i) => ({
  data: `${'x'.repeat(DATA_BYTES - 8)}${String(i).padStart(8, '0')}`,
  'partition-key': `key-${i}`,
}));

/** Sends `BATCHES` batches with `CONCURRENCY` in flight; returns records per second. */
async function measure(send: () => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < BATCHES) await send();
    }),
  );
  return (BATCHES * RECORDS) / ((performance.now() - started) / 1000);
}

async function expectOk(response: Response): Promise<void> {
  const body = (await response.json()) as { FailedRecordCount?: number };
  if (!response.ok || body.FailedRecordCount) throw new Error(`PutRecords failed: ${JSON.stringify(body)}`);
}

// The engine on its own: what an AWS SDK client would send to it.
const engine = kinesalite({ createStreamMs: 0, shardLimit: 100 });
await new Promise<void>((resolve) => engine.listen(0, '127.0.0.1', resolve));
const engineUrl = `http://127.0.0.1:${(engine.address() as AddressInfo).port}/`;
const engineHeaders = (action: string) => ({
  'content-type': KINESIS_CONTENT_TYPE,
  'x-amz-target': `${KINESIS_TARGET_PREFIX}.${action}`,
  // kinesalite checks that a signature is present, not that it is right.
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20240101T000000Z',
});
await fetch(engineUrl, {
  method: 'POST',
  headers: engineHeaders('CreateStream'),
  body: JSON.stringify({ StreamName: 'bench', ShardCount: SHARDS }),
});
const engineBody = JSON.stringify({
  StreamName: 'bench',
  Records: records.map((r) => ({
    Data: Buffer.from(r.data).toString('base64'),
    PartitionKey: r['partition-key'],
  })),
});
const toEngine = async () =>
  expectOk(
    await fetch(engineUrl, { method: 'POST', headers: engineHeaders('PutRecords'), body: engineBody }),
  );

// The emulator, with its own embedded engine, as a user's HTTP client sees it.
const proxy = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
await fetch(`${proxy.url}/streams/bench`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ShardCount: SHARDS }),
});
const proxyBody = JSON.stringify({ records });
const toEmulator = async () =>
  expectOk(
    await fetch(`${proxy.url}/streams/bench/records`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: proxyBody,
    }),
  );

// Warm up both paths (JIT, template and JSONPath caches), then alternate two rounds each.
for (let i = 0; i < 5; i++) {
  await toEngine();
  await toEmulator();
}
const results = { engine: [] as number[], emulator: [] as number[] };
for (let round = 0; round < 2; round++) {
  results.engine.push(await measure(toEngine));
  results.emulator.push(await measure(toEmulator));
}
await proxy.close();
await new Promise((resolve) => engine.close(resolve));

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const engineRate = mean(results.engine);
const emulatorRate = mean(results.emulator);
console.log(
  `PutRecords, ${RECORDS}-record batches of ${DATA_BYTES}-byte records, ${BATCHES} batches × 2 rounds, ` +
    `${CONCURRENCY} in flight, ${SHARDS} shards, in-memory kinesalite`,
);
console.log(
  `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
);
console.table({
  'kinesalite direct (JSON 1.1)': {
    'records/s': Math.round(engineRate),
    'ms/batch': +((RECORDS / engineRate) * 1000).toFixed(1),
  },
  'emulator (PUT /records)': {
    'records/s': Math.round(emulatorRate),
    'ms/batch': +((RECORDS / emulatorRate) * 1000).toFixed(1),
  },
});
console.log(`emulator / engine: ${((emulatorRate / engineRate) * 100).toFixed(0)}%`);
