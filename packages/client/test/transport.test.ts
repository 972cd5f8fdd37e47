/**
 * The transport: a timeout that covers the response body, and a per-request abort controller so a
 * long-lived caller signal gains nothing per request.
 */
import { getEventListeners } from 'node:events';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { linkedController, raceSignal } from '../src/core/clock.ts';
import { TimeoutError } from '../src/index.ts';
import { BASE, makeClient, useServer } from './helpers.ts';

const server = useServer();
afterEach(() => vi.restoreAllMocks());

/** The set Node 20's `AbortSignal.any` adds every combined signal to, on each of its sources. */
function dependants(signal: AbortSignal): number {
  const symbol = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const set = symbol ? (signal as unknown as Record<symbol, Set<unknown> | undefined>)[symbol] : undefined;
  return set?.size ?? 0;
}

describe('transport', () => {
  it('times out while the response body is still arriving (the timeout covers the body)', async () => {
    server.use(
      http.get(`${BASE}/streams`, () => {
        // Headers and the first bytes at once, then nothing: a body that never ends.
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"StreamNames": ['));
          },
        });
        return new HttpResponse(body, { headers: { 'content-type': 'application/json' } });
      }),
    );
    const { client } = makeClient({ timeout: 50, maxRetries: 0 });
    const error = await client.listStreams().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/GET .*\/streams timed out after 50 ms/);
  });

  it('adds no listener and no AbortSignal.any dependant to a long-lived caller signal', async () => {
    server.use(
      http.get(`${BASE}/streams`, () => HttpResponse.json({ StreamNames: [], HasMoreStreams: false })),
    );
    const any = vi.spyOn(AbortSignal, 'any');
    const longLived = new AbortController();
    const { client } = makeClient();
    for (let i = 0; i < 50; i++) await client.listStreams({}, { signal: longLived.signal });
    expect(getEventListeners(longLived.signal, 'abort')).toHaveLength(0);
    expect(dependants(longLived.signal)).toBe(0);
    // Whatever combines signals with AbortSignal.any (fetch implementations may): never the caller's own.
    for (const [signals] of any.mock.calls) expect([...signals]).not.toContain(longLived.signal);
  });

  it('aborts a request in flight with the caller’s reason, and unlinks afterwards', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    server.use(
      http.delete(`${BASE}/streams/s`, async () => {
        arrived();
        await new Promise(() => undefined);
        return HttpResponse.json({});
      }),
    );
    const controller = new AbortController();
    const { client } = makeClient();
    const call = client.deleteStream({ streamName: 's' }, { signal: controller.signal });
    await requestArrived;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('signal helpers', () => {
  it('raceSignal settles with the promise or the abort, and removes its listener either way', async () => {
    const controller = new AbortController();
    await expect(raceSignal(Promise.resolve(1), controller.signal)).resolves.toBe(1);
    await expect(raceSignal(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow('no');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const never = raceSignal(new Promise(() => undefined), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort(new Error('stopped'));
    await expect(never).rejects.toThrow('stopped');
    await expect(raceSignal(Promise.resolve(2), controller.signal)).rejects.toThrow('stopped');
  });

  it('linkedController follows its parent until disposed', () => {
    const parent = new AbortController();
    const first = linkedController(parent.signal);
    first.dispose();
    const second = linkedController(parent.signal);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(1);
    parent.abort(new Error('bye'));
    expect(first.controller.signal.aborted).toBe(false);
    expect(second.controller.signal.reason).toEqual(new Error('bye'));
    expect(linkedController(parent.signal).controller.signal.aborted).toBe(true);
  });
});
