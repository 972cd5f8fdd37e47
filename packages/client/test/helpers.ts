/** Shared test setup: an msw server, a fake clock and a client wired to both. */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type ClientOptions, KproxyClient } from '../src/index.ts';
import type { Clock } from '../src/types/options.ts';

export const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/v1';
export const BASE = ENDPOINT;

export const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** Starts an msw server for the file; unhandled requests fail the test. */
export function useServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/**
 * A clock whose sleeps return at once and advance `now`; every requested sleep is recorded, so tests
 * assert the waits the client asked for instead of measuring time.
 */
export class FakeClock implements Clock {
  time = Date.UTC(2026, 0, 15, 12, 0, 0);
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
    // A macrotask turn, as a real sleep: an idle follower must not starve timers and I/O.
    await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
  }
}

export function makeClient(options: Partial<ClientOptions> = {}): { client: KproxyClient; clock: FakeClock } {
  const clock = new FakeClock();
  const client = new KproxyClient({ endpoint: ENDPOINT, clock, ...options });
  return { client, clock };
}

/** A Kinesis error body as the API passes it through. */
export const kinesisError = (type: string, message = `${type} happened`) => ({ __type: type, message });
