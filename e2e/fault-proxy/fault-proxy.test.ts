/**
 * The fault proxy does what it says: each kind of fault is checked against what really reached the
 * emulator (the stream is read back around the proxy), and its counters match.
 */
import {
  ConnectionError,
  isServerError,
  isThrottledError,
  KproxyClient,
  type PutRecordsResult,
  TimeoutError,
} from '@kproxy/client';
import { type LocalProxy, startLocalProxy } from '@kproxy/local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createStream, numberedRecords, readBack } from '../writes/harness.ts';
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from './index.ts';

let emulator: LocalProxy;
let direct: KproxyClient;
const proxies: FaultProxy[] = [];

beforeAll(async () => {
  emulator = await startLocalProxy({ port: 0, inMemory: true, quiet: true });
  direct = new KproxyClient({ endpoint: emulator.url });
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await emulator?.close();
});

async function through(options: Omit<FaultProxyOptions, 'target'>, client: { timeout?: number } = {}) {
  const proxy = await startFaultProxy({ target: emulator.url, trackEntries: true, ...options });
  proxies.push(proxy);
  return { proxy, client: new KproxyClient({ endpoint: proxy.url, maxRetries: 0, ...client }) };
}

let streams = 0;
async function freshStream(): Promise<string> {
  const name = `fp-${++streams}`;
  await createStream(direct, name, 2);
  return name;
}

describe('fault proxy', () => {
  it('partial failures are real: failed entries were never forwarded, the others are stored', async () => {
    const { proxy, client } = await through({ rates: { partialFailure: 1 }, seed: 7 });
    const streamName = await freshStream();
    const records = numberedRecords('pf', 200);
    const result: PutRecordsResult = await client.putRecords({ streamName, records });
    const failed = records.filter((_, i) => result.records[i]!.errorCode !== undefined).map((r) => r.data);
    expect(result.failedRecordCount).toBe(failed.length);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(200);
    for (const entry of result.records) {
      if (entry.errorCode !== undefined)
        expect(['ProvisionedThroughputExceededException', 'InternalFailure']).toContain(entry.errorCode);
    }
    const stored = await readBack(direct, streamName);
    expect(new Set(stored.keys())).toEqual(
      new Set(records.map((r) => r.data).filter((d) => !failed.includes(d))),
    );
    expect(proxy.counters()).toMatchObject({ requests: 1, forwarded: 1, failedEntries: failed.length });
    expect(proxy.counters().faults.partialFailure).toBe(1);
  });

  it('a reset after forwarding: the client sees a lost connection, the records are stored, counted as unanswered', async () => {
    const { proxy, client } = await through({ rates: { resetAfterForward: 1 } });
    const streamName = await freshStream();
    const records = numberedRecords('ra', 20);
    await expect(client.putRecords({ streamName, records })).rejects.toBeInstanceOf(ConnectionError);
    expect((await readBack(direct, streamName)).size).toBe(20);
    expect(proxy.counters().unanswered).toEqual({ requests: 1, entries: 20 });
    expect(proxy.unansweredEntries().get(records[7]!.data)).toBe(1);
  });

  it('a reset before forwarding: the client sees a lost connection, nothing is stored', async () => {
    const { proxy, client } = await through({ rates: { resetBeforeForward: 1 } });
    const streamName = await freshStream();
    await expect(client.putRecords({ streamName, records: numberedRecords('rb', 5) })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect((await readBack(direct, streamName)).size).toBe(0);
    expect(proxy.counters()).toMatchObject({ forwarded: 0, unanswered: { requests: 0, entries: 0 } });
  });

  it('a slow response: the client times out, the records are stored, counted as unanswered', async () => {
    const { proxy, client } = await through(
      { rates: { slowResponse: 1 }, slowResponseMs: 1_000 },
      { timeout: 100 },
    );
    const streamName = await freshStream();
    await expect(client.putRecords({ streamName, records: numberedRecords('sr', 3) })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect((await readBack(direct, streamName)).size).toBe(3);
    await vi.waitFor(() => expect(proxy.counters().unanswered).toEqual({ requests: 1, entries: 3 }), {
      timeout: 5_000,
    });
  });

  it('counts an answer after which the client hung up at once (it may not have read it)', async () => {
    const { proxy } = await through({});
    const streamName = await freshStream();
    // A one-shot connection: the client closes right after the answer, as one that gave up would.
    const response = await fetch(`${proxy.url}/streams/${streamName}/records`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({ records: [{ data: 'hang-1', 'partition-key': 'k' }] }),
    });
    expect(response.status).toBe(200);
    await response.text();
    await vi.waitFor(() => expect(proxy.counters().hungUpAfterAnswer).toEqual({ requests: 1, entries: 1 }));
    expect(proxy.counters().unanswered).toEqual({ requests: 0, entries: 0 });
    expect(proxy.unansweredEntries().get('hang-1')).toBe(1);
  });

  it('throttles and server errors are answered by the proxy, in API Gateway’s and Kinesis’s words', async () => {
    const { proxy, client } = await through({ rates: { throttle: 0.5, serverError: 0.5 }, seed: 3 });
    const streamName = await freshStream();
    const errors = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.putRecord({ streamName, data: 'x', partitionKey: 'k' }).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    expect(errors.every((e) => isThrottledError(e) || isServerError(e))).toBe(true);
    const { faults, forwarded } = proxy.counters();
    expect(faults.throttle + faults.serverError).toBe(20);
    expect(faults.throttle).toBe(errors.filter(isThrottledError).length);
    expect(forwarded).toBe(0);
    expect((await readBack(direct, streamName)).size).toBe(0);
  });

  it('draws the same faults for the same seed, only on the operations asked for; rates change at run time', async () => {
    const schedule = async (seed: number) => {
      const { proxy, client } = await through({ rates: { throttle: 0.5 }, seed, operations: ['putRecord'] });
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i++) {
        await client.describeStream({ streamName: 'fp-1' });
        const ok = await client.putRecord({ streamName: 'fp-1', data: 'x', partitionKey: 'k' }).then(
          () => 'ok',
          () => 'throttled',
        );
        outcomes.push(ok);
      }
      return { outcomes, proxy, client };
    };
    const first = await schedule(42);
    const again = await schedule(42);
    expect(again.outcomes).toEqual(first.outcomes);
    expect(first.outcomes).toContain('ok');
    expect(first.outcomes).toContain('throttled');
    expect(first.proxy.counters().byOperation.describeStream).toEqual({ requests: 30, faults: {} });
    first.proxy.setRates({ resetBeforeForward: 1 });
    await expect(
      first.client.putRecord({ streamName: 'fp-1', data: 'x', partitionKey: 'k' }),
    ).rejects.toBeInstanceOf(ConnectionError);
    first.proxy.setRates({});
    await expect(
      first.client.putRecord({ streamName: 'fp-1', data: 'x', partitionKey: 'k' }),
    ).resolves.toBeDefined();
    expect(() => first.proxy.setRates({ throttle: 0.7, serverError: 0.7 })).toThrow(/add up to 1.4/);
  });
});
