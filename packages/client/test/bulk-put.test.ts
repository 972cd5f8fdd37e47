/**
 * bulkPut: batching, bounded concurrency and memory, retries within a time budget, and the guarantee —
 * every record read ends acknowledged or reported failed, however the run ends (success, fatal error,
 * unusable endpoint, abort, a throwing callback or iterable).
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  type BulkPutError,
  type BulkPutFailureReason,
  type BulkPutProgress,
  type BulkPutResult,
  isBulkPutError,
  type PutRecordInput,
} from '../src/index.ts';
import type { Clock } from '../src/types/options.ts';
import { BASE, FakeClock, kinesisError, makeClient, useServer } from './helpers.ts';

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
const succeeded = (entries: unknown[]) =>
  HttpResponse.json({ FailedRecordCount: 0, Records: entries.map(() => ok) });

type Line = PutRecordInput & { line: number };
const records = (n: number, data = (i: number) => `record-${i}`): Line[] =>
  Array.from({ length: n }, (_, i) => ({ data: data(i), partitionKey: `key-${i}`, line: i + 1 }));

/** Every record read is acknowledged or failed, once: the invariant every test checks. */
function expectAccounted(result: BulkPutResult<unknown>, failures?: number) {
  expect(result.read).toBe(result.succeeded + result.failed);
  if (failures !== undefined) expect(result.failed).toBe(failures);
}

async function stopped<T>(run: Promise<BulkPutResult<T>>): Promise<BulkPutError<T>> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBulkPutError(error)) throw new Error(`expected a BulkPutError, got ${String(error)}`);
  return error as BulkPutError<T>;
}

/** A clock whose sleeps last until their signal aborts: a retry wait can only end by a stop. */
class FrozenClock implements Clock {
  time = Date.UTC(2026, 0, 15);
  readonly waiting: number[] = [];
  now = () => this.time;
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.waiting.push(ms);
    return new Promise((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
}

describe('bulkPut batching', () => {
  it('cuts batches of at most 500 records and reports the totals', async () => {
    const requests = putRecordsServer();
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(1203) });
    expect(requests.map((r) => r.entries.length).sort((a, b) => b - a)).toEqual([500, 500, 203]);
    expect(result).toEqual({
      read: 1203,
      succeeded: 1203,
      failed: 0,
      possibleDuplicates: 0,
      kinesisRecords: 1203,
      batches: 3,
      retries: 0,
      failures: [],
    });
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
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(10), concurrency: 1 });
    // Paced at what the stream took (8 records in a second): one entry per request.
    expect(requests.slice(1).flatMap((r) => r.entries.map((e) => e['partition-key']))).toEqual([
      'key-3',
      'key-7',
    ]);
    expect(result).toMatchObject({ succeeded: 10, failed: 0, retries: 2, possibleDuplicates: 0 });
  });

  it('re-sends entries refused for another reason (InternalFailure) after a backoff', async () => {
    const requests = putRecordsServer((entry, n) =>
      n === 1 && entry['partition-key'] === 'key-3'
        ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' }
        : ok,
    );
    const { client, clock } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(10), concurrency: 1 });
    expect(requests).toHaveLength(2);
    expect(result).toMatchObject({ succeeded: 10, failed: 0, retries: 1 });
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
      errorMessage: 'Rate exceeded for shard (gave up after 3 attempts)',
      possiblyWritten: false,
    });
    expect(result).toEqual({
      read: 3,
      succeeded: 2,
      failed: 1,
      possibleDuplicates: 0,
      kinesisRecords: 2,
      batches: 3,
      retries: 2,
    });
  });

  it('retries a throttled record within its time budget (record TTL), while the others are written', async () => {
    const requests = putRecordsServer((entry) => (entry['partition-key'] === 'key-1' ? throttled : ok));
    const { client, clock } = makeClient();
    const start = clock.now();
    const sentAt: number[] = [];
    server.events.on('request:start', () => sentAt.push(clock.now()));
    const result = await client.bulkPut({ streamName: 's', records: records(3), recordTtlMs: 10_000 });
    server.events.removeAllListeners();
    // Sent again and again, never after its budget; failed once the next try would come too late.
    expect(requests.length).toBeGreaterThan(5);
    expect(Math.max(...sentAt)).toBeLessThan(start + 10_000);
    expect(clock.now()).toBeLessThanOrEqual(start + 10_000);
    expect(result.failures).toEqual([
      expect.objectContaining({
        record: expect.objectContaining({ partitionKey: 'key-1' }),
        errorCode: 'ProvisionedThroughputExceededException',
        errorMessage: expect.stringMatching(/gave up after \d+ attempts in 10 s, the record TTL\)$/),
      }),
    ]);
    expectAccounted(result, 1);
  });

  it('does not retry an entry error that cannot succeed, and goes on with the others', async () => {
    const requests = putRecordsServer((entry) =>
      entry['partition-key'] === 'key-0'
        ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'bad' }
        : ok,
    );
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(600) });
    expect(requests).toHaveLength(2);
    expect(result.failures).toEqual([
      {
        record: expect.objectContaining({ partitionKey: 'key-0', line: 1 }),
        errorCode: 'InvalidArgumentException',
        errorMessage: 'bad',
        possiblyWritten: false,
      },
    ]);
    expectAccounted(result, 1);
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
        return succeeded(entries);
      }),
    );
    const { client, clock } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(4) });
    expect(calls).toBe(2);
    expect(clock.sleeps).toEqual([3000]);
    expect(result).toMatchObject({ succeeded: 4, failed: 0, batches: 2, retries: 4, possibleDuplicates: 0 });
  });

  it('retries a lost connection and counts its records as possible duplicates (ambiguous)', async () => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        calls++;
        const { records: entries } = (await request.json()) as { records: unknown[] };
        // The request arrived; the answer is lost: Kinesis may have stored it.
        if (calls === 1) return HttpResponse.error();
        return succeeded(entries);
      }),
    );
    const { client } = makeClient();
    const result = await client.bulkPut({ streamName: 's', records: records(5) });
    expect(calls).toBe(2);
    expect(result).toMatchObject({ succeeded: 5, failed: 0, possibleDuplicates: 5, retries: 5 });
  });

  it('retries a timed-out request (the timeout covers the body) as a possible duplicate', async () => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        calls++;
        const { records: entries } = (await request.json()) as { records: unknown[] };
        if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
        return succeeded(entries);
      }),
    );
    const { client } = makeClient({ timeout: 20 });
    const result = await client.bulkPut({ streamName: 's', records: records(2) });
    expect(result).toMatchObject({ succeeded: 2, failed: 0, possibleDuplicates: 2 });
  });
});

describe('bulkPut stops early only when the endpoint is unusable', () => {
  it('stops at a fatal error (unknown stream): reads no further, reports every record read', async () => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, () => {
        calls++;
        return HttpResponse.json(kinesisError('ResourceNotFoundException', 'Stream s not found'), {
          status: 404,
        });
      }),
    );
    let pulled = 0;
    let closed = false;
    function* source() {
      try {
        for (let i = 0; i < 100_000; i++) {
          pulled++;
          yield { data: `r${i}`, partitionKey: 'k' };
        }
      } finally {
        closed = true;
      }
    }
    const { client } = makeClient();
    const failures: BulkPutFailureReason[] = [];
    const error = await stopped(
      client.bulkPut({
        streamName: 's',
        records: source(),
        concurrency: 2,
        maxBatchRecords: 10,
        onFailure: (_, reason) => failures.push(reason),
      }),
    );
    expect(error.stoppedBy).toBe('fatal');
    expect(error.cause).toMatchObject({ name: 'NotFoundError', status: 404 });
    expect(error.reason.errorCode).toBe('ResourceNotFoundException');
    expect(calls).toBeLessThanOrEqual(2);
    expect(pulled).toBeLessThan(100);
    expect(closed).toBe(true);
    expect(error.result.read).toBe(pulled);
    expectAccounted(error.result, pulled);
    expect(failures).toHaveLength(pulled);
    // The requests that were sent fail with the error; records read but never sent say so.
    expect(new Set(failures.map((f) => f.errorCode))).toEqual(
      new Set(calls === 2 ? ['ResourceNotFoundException'] : ['ResourceNotFoundException', 'NotSent']),
    );
    expect(failures[0]!.errorMessage).toMatch(
      /^Stream s not found \[PUT \/v1\/streams\/s\/records, HTTP 404/,
    );
  });

  it.each([
    ['a spent usage-plan quota', 429, { message: 'Limit Exceeded' }, 'QuotaExceededError'],
    [
      'the shard quota (LimitExceededException)',
      400,
      kinesisError('LimitExceededException', 'This request would exceed the shard limit for the account'),
      'QuotaExceededError',
    ],
    [
      'rejected credentials',
      403,
      { message: 'The security token included in the request is invalid.' },
      'AuthError',
    ],
  ])('stops at once, without retrying, on %s', async (_, status, body, errorClass) => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, () => {
        calls++;
        return HttpResponse.json(body, { status });
      }),
    );
    const { client, clock } = makeClient();
    const error = await stopped(client.bulkPut({ streamName: 's', records: records(3) }));
    expect(error.stoppedBy).toBe('fatal');
    expect(error.cause).toMatchObject({ name: errorClass });
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expectAccounted(error.result, 3);
  });

  it('stops when a per-record error code is fatal for the run (a KMS key refused)', async () => {
    putRecordsServer((entry) =>
      entry['partition-key'] === 'key-0'
        ? { ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'no key' }
        : ok,
    );
    const { client } = makeClient();
    const error = await stopped(client.bulkPut({ streamName: 's', records: records(2) }));
    expect(error.stoppedBy).toBe('fatal');
    expect(error.reason).toEqual({ errorCode: 'KMSAccessDeniedException', errorMessage: 'no key' });
    expect(error.result).toMatchObject({ read: 2, succeeded: 1, failed: 1 });
  });

  it('stops as unusable when nothing was accepted for a whole record TTL', async () => {
    server.use(
      http.put(`${BASE}/streams/s/records`, () => HttpResponse.json({ message: 'boom' }, { status: 503 })),
    );
    const { client, clock } = makeClient();
    const start = clock.now();
    const error = await stopped(
      client.bulkPut({ streamName: 's', records: records(5_000), recordTtlMs: 5_000, concurrency: 2 }),
    );
    expect(error.stoppedBy).toBe('unusable');
    expect(error.reason.errorMessage).toMatch(/^no record was accepted for 5 s; the last error: /);
    expect(clock.now() - start).toBeGreaterThanOrEqual(5_000);
    expect(error.result.succeeded).toBe(0);
    expect(error.result.read).toBeLessThan(5_000);
    expectAccounted(error.result, error.result.read);
  });

  it('does not stop while other requests succeed: a failing batch alone only fails its records', async () => {
    let calls = 0;
    server.use(
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        calls++;
        const { records: entries } = (await request.json()) as { records: Entry[] };
        if (entries.some((e) => e.data === 'record-0')) return HttpResponse.json({}, { status: 500 });
        return succeeded(entries);
      }),
    );
    const { client } = makeClient();
    const result = await client.bulkPut({
      streamName: 's',
      records: records(1000),
      maxBatchRecords: 10,
      recordTtlMs: 2_000,
      concurrency: 2,
    });
    expectAccounted(result, 10);
    expect(result.succeeded).toBe(990);
    expect(result.failures!.every((f) => f.errorCode === 'ServerError')).toBe(true);
    expect(calls).toBeGreaterThan(100);
  });
});

describe('bulkPut abort accounting', () => {
  it('on abort, fails in-flight records as possibly written, batched ones as NotSent, and reads no more', async () => {
    const arrived: Entry[][] = [];
    server.use(
      http.put(`${BASE}/streams/s/records`, async ({ request }) => {
        const { records: entries } = (await request.json()) as { records: Entry[] };
        arrived.push(entries);
        if (arrived.length === 1) return succeeded(entries);
        await new Promise(() => undefined); // in flight forever
        return succeeded(entries);
      }),
    );
    let pulled = 0;
    let closed = false;
    function* source() {
      try {
        for (let i = 0; ; i++) {
          pulled++;
          yield { data: `r${i}`, partitionKey: 'k', i };
        }
      } finally {
        closed = true;
      }
    }
    const controller = new AbortController();
    const failed: Array<[{ i: number }, BulkPutFailureReason]> = [];
    const { client } = makeClient();
    const run = client.bulkPut({
      streamName: 's',
      records: source(),
      concurrency: 3,
      maxBatchRecords: 10,
      signal: controller.signal,
      onFailure: (record, reason) => failed.push([record, reason]),
    });
    await vi.waitFor(() => expect(arrived).toHaveLength(4));
    const reason = new Error('Interrupted by SIGINT');
    controller.abort(reason);
    const error = await stopped(run);
    expect(error.stoppedBy).toBe('abort');
    expect(error.cause).toBe(reason);
    expect(closed).toBe(true);
    const { result } = error;
    expect(result.read).toBe(pulled);
    expect(result.succeeded).toBe(10);
    expectAccounted(result, pulled - 10);
    // Three requests were in flight: their 30 records may have been written.
    const inFlight = failed.filter(([, r]) => r.errorCode === 'Aborted');
    expect(inFlight).toHaveLength(30);
    expect(inFlight.every(([, r]) => r.possiblyWritten)).toBe(true);
    expect(result.possibleDuplicates).toBe(30);
    // The next batch is cut only when a request slot is free: nothing else was read.
    expect(pulled).toBe(40);
    // Each record exactly once.
    expect(new Set(failed.map(([record]) => record.i)).size).toBe(failed.length);
  });

  it('an abort ends a retry wait at once; the waiting records fail with their last reason', async () => {
    putRecordsServer(() => throttled);
    const clock = new FrozenClock();
    const controller = new AbortController();
    const { client } = makeClient({ clock });
    const run = client.bulkPut({ streamName: 's', records: records(3), signal: controller.signal });
    await vi.waitFor(() => expect(clock.waiting).toHaveLength(1));
    controller.abort(new Error('stop'));
    const error = await stopped(run);
    expect(error.result.failures!.map((f) => f.errorMessage)).toEqual([
      'Rate exceeded for shard (not retried: the run stopped (Aborted))',
      'Rate exceeded for shard (not retried: the run stopped (Aborted))',
      'Rate exceeded for shard (not retried: the run stopped (Aborted))',
    ]);
    expect(error.result.possibleDuplicates).toBe(0);
    expectAccounted(error.result, 3);
  });

  it('does not wait for an async iterable blocked in next(); a record it yields later is still reported', async () => {
    const requests = putRecordsServer();
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    async function* source() {
      yield { data: 'first', partitionKey: 'k' };
      await blocked; // a tail with nothing new: only the stop can end the wait
      yield { data: 'late', partitionKey: 'k' };
    }
    const controller = new AbortController();
    const failed: string[] = [];
    const { client } = makeClient();
    const run = client.bulkPut({
      streamName: 's',
      records: source(),
      lingerMs: 0,
      signal: controller.signal,
      onFailure: (record, reason) => failed.push(`${String(record.data)} ${reason.errorCode}`),
    });
    // The first record goes on its own once the linger is over; then the source blocks.
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    controller.abort(new Error('stop'));
    const error = await stopped(run);
    expect(error.result).toMatchObject({ read: 1, succeeded: 1, failed: 0 });
    release();
    await vi.waitFor(() => expect(failed).toEqual(['late NotSent']));
    expect(error.result).toMatchObject({ read: 2, succeeded: 1, failed: 1 });
  });
});

describe('bulkPut callbacks and sources that throw', () => {
  it('a throwing onFailure corrupts no count: every failure is still reported, then bulkPut rejects with it', async () => {
    putRecordsServer((entry) =>
      Number(entry['partition-key'].slice(4)) % 2
        ? { ErrorCode: 'InvalidArgumentException', ErrorMessage: 'bad' }
        : ok,
    );
    const boom = new Error('disk full');
    const seen: number[] = [];
    const { client } = makeClient();
    const error = await stopped(
      client.bulkPut({
        streamName: 's',
        records: records(20),
        onFailure: (record) => {
          seen.push(record.line);
          throw boom;
        },
      }),
    );
    expect(error.stoppedBy).toBe('callback');
    expect(error.cause).toBe(boom);
    expect(error.result).toMatchObject({ read: 20, succeeded: 10, failed: 10 });
    expect(seen).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  });

  it('a throwing onProgress stops the run after the records read are accounted for', async () => {
    putRecordsServer();
    const { client } = makeClient();
    const onFailure = vi.fn();
    const error = await stopped(
      client.bulkPut({
        streamName: 's',
        records: records(5_000),
        maxBatchRecords: 100,
        onFailure,
        onProgress: () => {
          throw new TypeError('progress bar broke');
        },
      }),
    );
    expect(error.stoppedBy).toBe('callback');
    expect(error.message).toContain('TypeError: progress bar broke');
    expect(error.result.read).toBeLessThan(5_000);
    expectAccounted(error.result);
    expect(onFailure).toHaveBeenCalledTimes(error.result.failed);
  });

  it('a records iterable that throws stops the run; what it yielded before is accounted for', async () => {
    putRecordsServer();
    function* source() {
      for (let i = 0; i < 7; i++) yield { data: `r${i}`, partitionKey: 'k' };
      throw new RangeError('bad input file');
    }
    const { client } = makeClient();
    const error = await stopped(client.bulkPut({ streamName: 's', records: source(), maxBatchRecords: 5 }));
    expect(error.stoppedBy).toBe('source');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(error.result.read).toBe(7);
    expectAccounted(error.result);
    expect(error.result.succeeded).toBe(5);
    expect(error.result.failures!.map((f) => [f.errorCode, f.errorMessage])).toEqual([
      ['NotSent', 'not sent: the run stopped (RangeError: bad input file)'],
      ['NotSent', 'not sent: the run stopped (RangeError: bad input file)'],
    ]);
  });
});

describe('bulkPut validation', () => {
  it('reports invalid records through onFailure and sends the others', async () => {
    const requests = putRecordsServer();
    const { client } = makeClient({ limits: { maxRecordBytes: 50 } });
    const input: Line[] = [
      { data: 'fine', partitionKey: 'a', line: 1 },
      { data: 'no key', partitionKey: '', line: 2 },
      { data: 'x'.repeat(60), partitionKey: 'b', line: 3 },
      { data: 'fine too', partitionKey: 'c', line: 4 },
    ];
    const failed: Array<[Line, BulkPutFailureReason]> = [];
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
    expect(result).toEqual({
      read: 4,
      succeeded: 2,
      failed: 2,
      possibleDuplicates: 0,
      kinesisRecords: 2,
      batches: 1,
      retries: 0,
    });
  });

  it('rejects bad options before reading any record, with ranges that make sense', async () => {
    const { client } = makeClient();
    const pulled = vi.fn();
    function* never() {
      pulled();
      yield { data: 'x', partitionKey: 'k' };
    }
    const fails = (params: object) =>
      client.bulkPut({ streamName: 's', records: never(), ...params }).then(
        () => new Error('resolved'),
        (e: unknown) => e as Error,
      );
    expect(await fails({ concurrency: 0 })).toMatchObject({
      name: 'InputError',
      field: 'concurrency',
      message: 'concurrency must be a positive integer (got 0)',
    });
    expect((await fails({ maxBatchRecords: 501 })).message).toBe(
      'maxBatchRecords must be an integer from 1 to 500 (got 501)',
    );
    expect((await fails({ recordTtlMs: -1 })).message).toContain('recordTtlMs must be a positive integer');
    for (const params of [{ concurrency: 1.5 }, { maxAttempts: 0 }, { lingerMs: -1 }]) {
      expect((await fails(params)).message).not.toContain('Infinity');
    }
    expect(pulled).not.toHaveBeenCalled();
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
        return succeeded(entries);
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
    // Three batches of 10 are in flight and the next one is cut, waiting for a free slot.
    expect(pulled).toBeLessThanOrEqual(41);
    while (
      (await Promise.race([done.then(() => 'done'), new Promise((r) => setTimeout(r, 1, 'tick'))])) !== 'done'
    ) {
      for (const open of gates.splice(0)) open();
    }
    const result = await done;
    expect(result).toMatchObject({ succeeded: 200, batches: 20 });
    expect(maxInFlight).toBe(3);
    expect(Math.max(...progress.map((p) => p.inFlight))).toBeLessThanOrEqual(3);
    expect(progress.at(-1)).toEqual({
      read: 200,
      sent: 200,
      succeeded: 200,
      failed: 0,
      retried: 0,
      inFlight: 0,
      possibleDuplicates: 0,
    });
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
    const { client } = makeClient({ clock: new FakeClock() });
    const done = client.bulkPut({ streamName: 's', records: slow(), lingerMs: 1, signal: controller.signal });
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]!.entries.map((e) => e.data)).toEqual(['a', 'b']);
    controller.abort(new Error('stop'));
    const error = await stopped(done);
    expect(error.cause).toEqual(new Error('stop'));
    expect(error.result).toMatchObject({ read: 2, succeeded: 2, failed: 0 });
    await vi.waitFor(() => expect(closed).toBe(true));
  });
});
