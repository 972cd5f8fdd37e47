/**
 * The attempt's timeout reaches Node's fetch even when the Request the transport built has been
 * garbage collected mid-request: fetch copies a Request into one of its own that follows the original's
 * signal only while the original is alive (nodejs/undici#4068), so the abort must also be passed to
 * fetch directly. A real HTTP server that never answers, and forced collections while it waits.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KproxyConnection, putRecords, TimeoutError } from '../src/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: Server;
let endpoint: string;
beforeAll(async () => {
  server = createServer(() => undefined); // never answers
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

it('times out a request whose Request object was collected while it was in flight', async () => {
  const connection = new KproxyConnection({ endpoint, timeout: 1_000, maxRetries: 0 });
  const records = [{ data: 'x', partitionKey: 'k' }];
  const call = putRecords(connection, { streamName: 's', records }).then(
    () => 'answered',
    (error: unknown) => error,
  );
  for (let i = 0; i < 4; i++) {
    await sleep(100);
    gc();
  }
  const outcome = await Promise.race([call, sleep(5_000, 'no timeout 4 s after it was due')]);
  expect(outcome).toBeInstanceOf(TimeoutError);
});
