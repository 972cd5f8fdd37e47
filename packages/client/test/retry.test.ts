/** The retry policy: what is retried, how long it waits, and that every attempt is signed afresh. */
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { realClock } from '../src/core/clock.ts';
import { parseRetryAfter, type RetryEvent, retryDelay, withRetries } from '../src/core/retry.ts';
import { ConnectionError, NotFoundError } from '../src/index.ts';
import { BASE, CREDENTIALS, FakeClock, kinesisError, makeClient, useServer } from './helpers.ts';

const server = useServer();

describe('retries', () => {
  it('signs every attempt afresh and honours Retry-After in seconds and as an HTTP date', async () => {
    const { client, clock } = makeClient({ auth: { type: 'sigv4', credentials: CREDENTIALS } });
    const attempts: { date: string | null; authorization: string | null }[] = [];
    server.use(
      http.put(`${BASE}/streams/orders/record`, ({ request }) => {
        attempts.push({
          date: request.headers.get('x-amz-date'),
          authorization: request.headers.get('authorization'),
        });
        if (attempts.length === 1) {
          return HttpResponse.json(
            { message: 'Too Many Requests' },
            { status: 429, headers: { 'Retry-After': '2' } },
          );
        }
        if (attempts.length === 2) {
          const at = new Date(clock.now() + 5000).toUTCString();
          return HttpResponse.json(kinesisError('ProvisionedThroughputExceededException'), {
            status: 429,
            headers: { 'Retry-After': at },
          });
        }
        return HttpResponse.json({ ShardId: 's', SequenceNumber: '1' });
      }),
    );
    await expect(client.putRecord({ streamName: 'orders', data: 'x', partitionKey: 'k' })).resolves.toEqual({
      shardId: 's',
      sequenceNumber: '1',
    });
    expect(clock.sleeps).toEqual([2000, 5000]);
    expect(attempts.map((a) => a.date)).toEqual(['20260115T120000Z', '20260115T120002Z', '20260115T120007Z']);
    expect(new Set(attempts.map((a) => a.authorization)).size).toBe(3);
  });

  it('backs off exponentially with full jitter when there is no Retry-After', async () => {
    const { client, clock } = makeClient({ maxRetries: 3 });
    server.use(http.get(`${BASE}/streams`, () => HttpResponse.json({ message: 'boom' }, { status: 503 })));
    await expect(client.listStreams()).rejects.toMatchObject({ name: 'ServerError', status: 503 });
    expect(clock.sleeps).toHaveLength(3);
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(200 * 2 ** i);
    });
  });

  it('honours a per-call maxRetries', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/streams`, () => {
        calls++;
        return HttpResponse.json({}, { status: 500 });
      }),
    );
    const { client } = makeClient();
    await expect(client.listStreams({}, { maxRetries: 0 })).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(1);
  });

  it.each([
    [400, kinesisError('InvalidArgumentException')],
    [403, { message: 'Forbidden' }],
    [404, kinesisError('ResourceNotFoundException')],
    [400, kinesisError('ExpiredIteratorException')],
  ])('never retries HTTP %i %j', async (status, body) => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/streams`, () => {
        calls++;
        return HttpResponse.json(body, { status });
      }),
    );
    const { client, clock } = makeClient();
    await expect(client.listStreams()).rejects.toBeDefined();
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('recovers after transient failures', async () => {
    let calls = 0;
    server.use(
      http.delete(`${BASE}/streams/s`, () => {
        calls++;
        if (calls === 1) return HttpResponse.error();
        if (calls === 2) return HttpResponse.json(kinesisError('InternalFailure'), { status: 200 });
        return HttpResponse.json({});
      }),
    );
    const { client } = makeClient();
    await client.deleteStream({ streamName: 's' });
    expect(calls).toBe(3);
  });
});

describe('retryDelay and parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  it('parses delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter(new Date(now + 4000).toUTCString(), now)).toBe(4000);
    expect(parseRetryAfter(new Date(now - 4000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('uses the full jitter range, capped', () => {
    expect(retryDelay(1, undefined, now, () => 0.999)).toBe(199);
    expect(retryDelay(3, undefined, now, () => 0.5)).toBe(400);
    expect(retryDelay(30, undefined, now, () => 0.5)).toBe(10_000);
    expect(retryDelay(1, undefined, now, () => 0)).toBe(0);
  });

  it('prefers Retry-After, capped at 20 s', () => {
    const error = new NotFoundError({
      message: 'x',
      status: 429,
      body: {},
      headers: { 'retry-after': '120' },
      method: 'GET',
      url: BASE,
    });
    expect(retryDelay(1, error, now, () => 0)).toBe(20_000);
  });
});

describe('withRetries', () => {
  const transient = () => new ConnectionError('reset', { method: 'PUT', url: BASE });
  const failing = (failures: number) => {
    let calls = 0;
    const attempt = async (n: number) => {
      calls++;
      expect(n).toBe(calls);
      if (calls <= failures) throw transient();
      return `ok after ${calls}`;
    };
    return { attempt, calls: () => calls };
  };

  it('retries a retryable error forever when given neither maxRetries nor a deadline', async () => {
    const clock = new FakeClock();
    const events: RetryEvent[] = [];
    const { attempt, calls } = failing(40);
    await expect(withRetries(attempt, { clock, onRetry: (e) => events.push(e) })).resolves.toBe(
      'ok after 41',
    );
    expect(calls()).toBe(41);
    expect(events.map((e) => e.retry)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(events.map((e) => e.delayMs)).toEqual(clock.sleeps);
    // Backoff ceilings stop growing at 20 s.
    for (const ms of clock.sleeps) expect(ms).toBeLessThan(20_000);
  });

  it('keeps to a deadline: the last wait is cut to end at it, then the last error is thrown', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const { attempt, calls } = failing(Number.POSITIVE_INFINITY);
    const error = await withRetries(attempt, {
      clock,
      deadline: start + 1000,
      delay: () => 300,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    // Attempts at 0, 300, 600, 900 and 1000 ms; none after the deadline.
    expect(clock.sleeps).toEqual([300, 300, 300, 100]);
    expect(calls()).toBe(5);
    expect(clock.now()).toBe(start + 1000);
  });

  it('stops after maxRetries, and at once on an error that is not retryable', async () => {
    const clock = new FakeClock();
    const limited = failing(10);
    await expect(withRetries(limited.attempt, { clock, maxRetries: 2 })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(limited.calls()).toBe(3);
    let calls = 0;
    const notFound = new NotFoundError({
      message: 'gone',
      status: 404,
      body: {},
      headers: {},
      method: 'GET',
      url: BASE,
    });
    await expect(
      withRetries(
        async () => {
          calls++;
          throw notFound;
        },
        { clock },
      ),
    ).rejects.toBe(notFound);
    expect(calls).toBe(1);
  });

  it('takes the decision from a custom retryable, and stops with the error onRetry throws', async () => {
    const clock = new FakeClock();
    const custom = failing(3);
    await expect(withRetries(custom.attempt, { clock, retryable: () => false })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(custom.calls()).toBe(1);
    const hooked = failing(3);
    const boom = new Error('hook failed');
    await expect(
      withRetries(hooked.attempt, {
        clock,
        onRetry: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    expect(hooked.calls()).toBe(1);
  });

  it('ends a wait at once when the signal aborts, with the signal’s reason', async () => {
    const controller = new AbortController();
    const { attempt, calls } = failing(Number.POSITIVE_INFINITY);
    const loop = withRetries(attempt, {
      clock: realClock,
      signal: controller.signal,
      delay: () => 3_600_000,
      onRetry: () => queueMicrotask(() => controller.abort(new Error('stop'))),
    });
    // An hour-long wait: only the abort can end it within the test's time.
    await expect(loop).rejects.toThrow('stop');
    expect(calls()).toBe(1);
    await expect(withRetries(attempt, { clock: realClock, signal: controller.signal })).rejects.toThrow(
      'stop',
    );
    expect(calls()).toBe(1);
  });
});
