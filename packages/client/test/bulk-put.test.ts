/** bulkPut: batching, bounded concurrency and memory, retries of failed entries only, failures reported. */
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { BulkPutProgress, PutRecordInput } from '../src/index.ts';
import { BASE, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();

interface Entry {
  data: string;
  'partition-key': string;
  encoding?: string;
}
type Outcome = { SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string };

/** Records the entries of every PutRecords request; `decide` answers per entry. */
function putRecordsServer(decide: (entry: Entry, request: number) => Outcome = () => ok) {
  const requests: { entries: Entry[]; bytes: number }[] = [];
  server.use(
    http.put(`${BASE}/streams/s/records`, async ({ request }) => {
      const text = await request.text();
      const { records } = JSON.parse(text) as { records: Entry[] };
      requests.push({ entries: records, bytes: Buffer.byteLength(text) });
      const n = requests.length;
      const results = records.map((entry) => decide(entry, n));
      return HttpResponse.json({
        FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
        Records: results,
      });
    }),
  );
  return requests;
}
const ok = { SequenceNumber: '1', ShardId: 'shardId-000000000000' };
const throttled = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard',
};

const records = (n: number, data = (i: number) => `record-${i}`) =>
  Array.from({ length: n }, (_, i) => ({ data: data(i), partitionKey: `key-${i}`, line: i + 1 }));

describe('bulkPut batching', () => {
  it('cuts batches of at most 500 records and reports the totals', async () => {
    const requests = putRecordsServer();
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(1203) });
    expect(requests.map((r) => r.entries.length).sort((a, b) => b - a)).toEqual([500, 500, 203]);
    expect(result).toEqual({ succeeded: 1203, failed: 0, batches: 3, retries: 0, failures: [] });
  });

  it('cuts by data plus partition key bytes', async () => {
    const requests = putRecordsServer();
    const { client } = makeClient();
    // Each record: 25 bytes of data + 5 of key = 30 bytes; 100 bytes hold 3.
    const input = Array.from({ length: 10 }, (_, i) => ({ data: 'x'.repeat(25), partitionKey: `key-${i}` }));
    await client.bulkPut({ streamName: 's', records: input, maxBatchBytes: 100, concurrency: 1 });
    expect(requests.map((r) => r.entries.length)).toEqual([3, 3, 3, 1]);
  });

  it("cuts by the exact body size (base64, JSON escapes, UTF-8) under API Gateway's limit", async () => {
    const requests = putRecordsServer();
    const limit = 1000;
    const { client } = makeClient({ limits: { maxRequestBodyBytes: limit } });
    const input = [
      ...Array.from({ length: 20 }, (_, i) => ({ data: new Uint8Array(40).fill(i), partitionKey: 'bin' })),
      ...Array.from({ length: 20 }, () => ({ data: 'quote " back\\ slash\n é 😀', partitionKey: 'ключ' })),
      ...Array.from({ length: 20 }, (_, i) => ({ data: { n: i, s: 'ünï' }, partitionKey: 'json' })),
    ];
    const result = await client.bulkPut({ streamName: 's', records: input, concurrency: 1 });
    expect(result.succeeded).toBe(60);
    for (const r of requests) expect(r.bytes).toBeLessThanOrEqual(limit);
    // Full batches: adding the next record would have crossed the limit, so they are close to it.
    const full = requests.slice(0, -1);
    for (const r of full) expect(r.bytes).toBeGreaterThan(limit - 130);
    expect(requests.flatMap((r) => r.entries).length).toBe(60);
  });
});

describe('bulkPut retries', () => {
  it('re-sends only the entries that failed, then succeeds', async () => {
    const requests = putRecordsServer((entry, n) =>
      n === 1 && /-(3|7)$/.test(entry['partition-key']) ? throttled : ok,
    );
    const { client, clock } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(10), concurrency: 1 });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.entries.map((e) => e['partition-key'])).toEqual(['key-3', 'key-7']);
    expect(result).toEqual({ succeeded: 10, failed: 0, batches: 2, retries: 2, failures: [] });
    expect(clock.sleeps).toHaveLength(1);
  });

  it('gives a record up after maxAttempts and reports it with the caller’s own object', async () => {
    const requests = putRecordsServer((entry) => (entry['partition-key'] === 'key-1' ? throttled : ok));
    const { client } = makeClient();
    const input = records(3);
    const onFailure = vi.fn();
    const result = await client.bulkPut({ streamName: 's', records: input, maxAttempts: 3, onFailure });
    expect(requests).toHaveLength(3);
    expect(onFailure).toHaveBeenCalledTimes(1);
    expect(onFailure.mock.calls[0]![0]).toBe(input[1]);
    expect(onFailure.mock.calls[0]![1]).toEqual({
      errorCode: 'ProvisionedThroughputExceededException',
      errorMessage: 'Rate exceeded for shard',
    });
    expect(result).toEqual({ succeeded: 2, failed: 1, batches: 3, retries: 2 });
  });

  it('does not retry an entry error that cannot succeed', async () => {
    const requests = putRecordsServer((entry) =>
      entry['partition-key'] === 'key-0'
        ? { ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'no key' }
        : ok,
    );
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(2) });
    expect(requests).toHaveLength(1);
    expect(result.failures).toEqual([
      {
        record: expect.objectContaining({ partitionKey: 'key-0', line: 1 }),
        errorCode: 'KMSAccessDeniedException',
        errorMessage: 'no key',
      },
    ]);
  });

  it('retries a whole request that failed with a retryable error, honouring Retry-After', async () => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        calls++;
        const { records: entries } = (await request.json()) as { records: unknown[] };
        if (calls === 1)
          return HttpResponse.json(
            { message: 'Too Many Requests' },
            { status: 429, headers: { 'Retry-After': '3' } },
          );
        return HttpResponse.json({ FailedRecordCount: 0, Records: entries.map(() => ok) });
      }),
    );
    const { client, clock } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(4) });
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([3000]);
    expect(result).toMatchObject({ succeeded: 4, failed: 0, batches: 2, retries: 4 });
  });

  it('fails every record of a request that failed for good, with the reason', async () => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, () => {
        calls++;
        return HttpResponse.json(kinesisError('ResourceNotFoundException', 'Stream s not found'), {
          status: 404,
        });
      }),
    );
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(3) });
    expect(calls).toBe(1);
    expect(result.failed).toBe(3);
    expect(result.failures!.map((f) => f.errorCode)).toEqual([
      'ResourceNotFoundException',
      'ResourceNotFoundException',
      'ResourceNotFoundException',
    ]);
    // The message only: errorCode carries the type, printed as `code: message` it is not repeated.
    expect(result.failures![0]!.errorMessage).toMatch(
      /^Stream s not found \[PUT \/v1\/streams\/s\/records, HTTP 404/,
    );
  });
});

describe('bulkPut validation', () => {
  it('reports invalid records through onFailure and sends the others', async () => {
    const requests = putRecordsServer();
    const { client } = makeClient({ limits: { maxRecordBytes: 50 } });
    const input: Array<PutRecordInput & { line: number }> = [
      { data: 'fine', partitionKey: 'a', line: 1 },
      { data: 'no key', partitionKey: '', line: 2 },
      { data: 'x'.repeat(60), partitionKey: 'b', line: 3 },
      { data: 'fine too', partitionKey: 'c', line: 4 },
    ];
    const failed: Array<[PutRecordInput & { line: number }, { errorCode: string; errorMessage: string }]> =
      [];
    const result = await client.bulkPut({
      streamName: 's',
      records: input,
      onFailure: (record, reason) => failed.push([record, reason]),
    });
    expect(requests.flatMap((r) => r.entries.map((e) => e.data))).toEqual(['fine', 'fine too']);
    expect(failed.map(([record]) => record)).toEqual([input[1], input[2]]);
    expect(failed[0]![0]).toBe(input[1]);
    expect(failed[0]![1].errorCode).toBe('InputError');
    expect(failed[0]![1].errorMessage).toMatch(/^records\[1\]\.partitionKey must be 1–256 characters/);
    expect(failed[1]![1].errorMessage).toMatch(/^records\[2\]\.data is too large: 61 bytes/);
    expect(result).toEqual({ succeeded: 2, failed: 2, batches: 1, retries: 0 });
  });

  it('rejects bad options before reading any record', async () => {
    const { client } = makeClient();
    await expect(client.bulkPut({ streamName: 's', records: [], concurrency: 0 })).rejects.toMatchObject({
      name: 'InputError',
      field: 'concurrency',
    });
    await expect(
      client.bulkPut({ streamName: 's', records: [], maxBatchRecords: 501 }),
    ).rejects.toMatchObject({
      field: 'maxBatchRecords',
    });
  });
});

describe('bulkPut flow control', () => {
  it('keeps at most `concurrency` requests in flight and pulls no more than it can send', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const gates: Array<() => void> = [];
    server.use(
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        const { records: entries } = (await request.json()) as { records: unknown[] };
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => gates.push(resolve));
        inFlight--;
        return HttpResponse.json({ FailedRecordCount: 0, Records: entries.map(() => ok) });
      }),
    );
    let pulled = 0;
    function* source() {
      for (let i = 0; i < 200; i++) {
        pulled++;
        yield { data: `r${i}`, partitionKey: 'k' };
      }
    }
    const progress: BulkPutProgress[] = [];
    const { client } = makeClient();
    const done = client.bulkPut({
      streamName: 's',
      records: source(),
      concurrency: 3,
      maxBatchRecords: 10,
      onProgress: (p) => progress.push(p),
    });
    await vi.waitFor(() => expect(gates).toHaveLength(3));
    // Three batches of 10 are in flight; nothing more was read from the source.
    expect(pulled).toBe(30);
    while (
      (await Promise.race([done.then(() => 'done'), new Promise((r) => setTimeout(r, 1, 'tick'))])) !== 'done'
    ) {
      for (const open of gates.splice(0)) open();
    }
    const result = await done;
    expect(result).toMatchObject({ succeeded: 200, batches: 20 });
    expect(maxInFlight).toBe(3);
    expect(Math.max(...progress.map((p) => p.inFlight))).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toEqual({ sent: 200, succeeded: 200, failed: 0, retried: 0, inFlight: 0 });
  });

  it('sends a partly filled batch from a slow async source after lingerMs', async () => {
    const requests = putRecordsServer();
    const controller = new AbortController();
    let closed = false;
    async function* slow() {
      try {
        yield { data: 'a', partitionKey: 'k' };
        yield { data: 'b', partitionKey: 'k' };
        await new Promise((resolve) => controller.signal.addEventListener('abort', resolve));
      } finally {
        closed = true;
      }
    }
    const { client } = makeClient();
    const done = client.bulkPut({ streamName: 's', records: slow(), lingerMs: 1, signal: controller.signal });
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.entries.map((e) => e.data)).toEqual(['a', 'b']);
    controller.abort(new Error('stop'));
    await expect(done).rejects.toThrow('stop');
    expect(closed).toBe(true);
  });
});
