/**
 * bulkPut's per-record hooks for a durable journal: `onSend` just before each request (with the records
 * it carries) and `onAcknowledged` per record Kinesis accepted. Together with `onFailure`, every record
 * read reaches exactly one of `onAcknowledged` / `onFailure`, and every record that may be stored was
 * passed to `onSend` first.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { type BulkPutError, isBulkPutError } from '../src/index.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();

interface Entry {
  data: string;
  'partition-key': string;
}

const ok = { SequenceNumber: '1', ShardId: 'shardId-000000000000' };
const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ data: `r${i}`, partitionKey: 'k', line: i + 1 }));

/** Answers each request with `answer(entries, n)`; records what each carried. */
function kinesis(answer: (entries: Entry[], n: number) => Response | Promise<Response>) {
  const requests: string[][] = [];
  server.use(
    http.put(`${BASE}/streams/s/records`, async ({ request }) => {
      const { records: entries } = (await request.json()) as { records: Entry[] };
      requests.push(entries.map((e) => e.data));
      return answer(entries, requests.length);
    }),
  );
  return requests;
}

const answered = (entries: Entry[], refuse: (e: Entry) => string | undefined = () => undefined) => {
  const results = entries.map((e) => {
    const code = refuse(e);
    return code ? { ErrorCode: code, ErrorMessage: 'no' } : ok;
  });
  return HttpResponse.json({
    FailedRecordCount: results.filter((r) => 'ErrorCode' in r).length,
    Records: results,
  });
};

describe('bulkPut onSend / onAcknowledged', () => {
  it('each record reaches onAcknowledged or onFailure once; onSend sees every send first, re-sends included', async () => {
    // r1 is throttled once (sent again), r3 refused for good.
    const requests = kinesis((entries, n) =>
      answered(entries, (e) =>
        e.data === 'r3'
          ? 'InvalidArgumentException'
          : e.data === 'r1' && n === 1
            ? 'ProvisionedThroughputExceededException'
            : undefined,
      ),
    );
    const events: string[] = [];
    const { client } = makeClient();
    const result = await client.bulkPut({
      streamName: 's',
      records: records(5),
      onSend: (sent) => events.push(`send ${sent.map((r) => r.line).join(',')}`),
      onAcknowledged: (record) => events.push(`ack ${record.line}`),
      onFailure: (record) => events.push(`fail ${record.line}`),
    });
    expect(result).toMatchObject({ succeeded: 4, failed: 1 });
    expect(requests).toEqual([['r0', 'r1', 'r2', 'r3', 'r4'], ['r1']]);
    expect(events).toEqual(['send 1,2,3,4,5', 'ack 1', 'ack 3', 'fail 4', 'ack 5', 'send 2', 'ack 2']);
  });

  it('an acknowledgement comes with the caller’s own object, after the counts are updated', async () => {
    kinesis((entries) => answered(entries));
    const seen: Array<{ line: number }> = [];
    const input = records(3);
    const { client } = makeClient();
    await client.bulkPut({
      streamName: 's',
      records: input,
      onAcknowledged: (record) => seen.push(record),
    });
    expect(seen).toEqual(input);
    expect(seen[0]).toBe(input[0]);
  });

  it('a throwing onAcknowledged or onSend stops the run without corrupting a count', async () => {
    for (const hook of ['onAcknowledged', 'onSend'] as const) {
      kinesis((entries) => answered(entries));
      const boom = new Error(`${hook}: disk full`);
      const acked: number[] = [];
      const failed: number[] = [];
      const { client } = makeClient();
      const error = (await client
        .bulkPut({
          streamName: 's',
          records: records(50),
          maxBatchRecords: 10,
          concurrency: 1,
          [hook]: () => {
            throw boom;
          },
          ...(hook === 'onSend' ? { onAcknowledged: (r: { line: number }) => acked.push(r.line) } : {}),
          onFailure: (record) => failed.push(record.line),
        })
        .catch((e: unknown) => e)) as BulkPutError;
      expect(isBulkPutError(error), String(error)).toBe(true);
      expect(error.stoppedBy).toBe('callback');
      expect(error.cause).toBe(boom);
      const { result } = error;
      expect(result.read).toBe(result.succeeded + result.failed);
      expect(result.read).toBeLessThan(50);
      // The request whose onSend threw was still answered: its records are acknowledged, not lost.
      if (hook === 'onSend') expect(acked).toHaveLength(result.succeeded);
      expect(failed).toHaveLength(result.failed);
    }
  });

  it('an abort: records in flight were passed to onSend, and are reported failed, possibly written', async () => {
    kinesis((entries, n) => (n === 1 ? answered(entries) : new Promise<Response>(() => undefined)));
    const sent = new Set<number>();
    const acked: number[] = [];
    const aborted: number[] = [];
    const controller = new AbortController();
    const { client } = makeClient();
    const run = client.bulkPut({
      streamName: 's',
      records: records(40),
      maxBatchRecords: 10,
      concurrency: 2,
      signal: controller.signal,
      onSend: (records) => {
        for (const r of records) sent.add(r.line);
        if (sent.size === 30) setTimeout(() => controller.abort(new Error('stop')), 10);
      },
      onAcknowledged: (record) => acked.push(record.line),
      onFailure: (record, reason) => {
        if (reason.errorCode === 'Aborted') {
          expect(reason.possiblyWritten).toBe(true);
          aborted.push(record.line);
        }
      },
    });
    const error = (await run.catch((e: unknown) => e)) as BulkPutError;
    expect(error.stoppedBy).toBe('abort');
    expect(acked).toHaveLength(10);
    expect(aborted).toHaveLength(20);
    // Whatever may be stored without an acknowledgement was announced by onSend.
    for (const line of [...acked, ...aborted]) expect(sent.has(line)).toBe(true);
  });
});
