/**
 * A fault-injecting HTTP proxy for the kproxy API, to put between a client (the CLI, `@kproxy/client`)
 * and `kproxy local` (or any deployment of the API). Each request draws its fate from a seeded PRNG and
 * the configured rates, and the proxy counts what it did, so a test or a benchmark can explain every
 * duplicate and every failure it sees. See README.md.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GATEWAY_ERRORS, type OperationId, operations } from '@kproxy/contract';
import { mulberry32 } from './prng.ts';

/** What can happen to a request, besides being forwarded untouched. */
export const FAULT_KINDS = [
  /** 429 "Too Many Requests", as API Gateway's throttle answers; not forwarded. */
  'throttle',
  /** 500 "Internal server error" (API Gateway) or 503 ServiceUnavailableException (Kinesis); not forwarded. */
  'serverError',
  /** The connection is reset before anything is forwarded. */
  'resetBeforeForward',
  /** Forwarded and carried out; then the connection is reset instead of answering (the ambiguous case). */
  'resetAfterForward',
  /** Forwarded and carried out; the answer is held back `slowResponseMs` (longer than the client waits). */
  'slowResponse',
  /**
   * PutRecords only: some entries are taken out before forwarding and answered as failed
   * (ProvisionedThroughputExceededException or InternalFailure) at their places; the rest is forwarded.
   * Entries answered as failed were never written.
   */
  'partialFailure',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** The probability of each fault per request (their sum at most 1); absent kinds are 0. */
export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultProxyOptions {
  /** Stage URL of the API behind the proxy, e.g. `http://127.0.0.1:4600/v1`. */
  target: string;
  /** PRNG seed: the same seed and request order draw the same faults. @default 1 */
  seed?: number;
  rates?: FaultRates;
  /** The operations faults apply to (the client's method names). @default all eight */
  operations?: readonly OperationId[];
  /** How long a slow response is held back; make it longer than the client's timeout. @default 2000 */
  slowResponseMs?: number;
  /** In a partial failure, the chance of each entry to fail (at least one does). @default 0.3 */
  partialFailureRatio?: number;
  /**
   * Keep, for each PutRecords entry, how often it was forwarded without its answer reaching the client
   * (`unansweredEntries()`): memory grows with the number of such entries. @default false
   */
  trackEntries?: boolean;
  /** See `FaultCounters.hungUpAfterAnswer`. @default 1000 */
  hangUpWindowMs?: number;
  /** @default 0 (a free port) */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
}

export interface FaultCounters {
  /** Requests received. */
  requests: number;
  /** Requests forwarded to the target, whole or in part. */
  forwarded: number;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Requests and faults per operation. */
  byOperation: Partial<
    Record<OperationId | 'unknown', { requests: number; faults: Partial<Record<FaultKind, number>> }>
  >;
  /** PutRecords entries answered as failed by partial failures (never written). */
  failedEntries: number;
  /**
   * Forwarded requests whose answer never reached the client: a reset after forwarding, a slow answer
   * the client gave up on, a client that hung up while the target worked. What they did is done; a
   * client that sends them again may do it twice. `entries` counts their PutRecords/PutRecord entries.
   */
  unanswered: { requests: number; entries: number };
  /**
   * Forwarded requests answered, after which the client closed the connection within
   * `hangUpWindowMs` without sending another request on it: a client that timed out just as the answer
   * arrived (a stalled process) closes like this, without reading it. Also counts the last answers
   * before a client exits, which are harmless.
   */
  hungUpAfterAnswer: { requests: number; entries: number };
}

export interface FaultProxy {
  /** The proxy's stage URL (the target's path on the proxy's port): give it to the client. */
  readonly url: string;
  /** A snapshot of the counters. */
  counters(): FaultCounters;
  resetCounters(): void;
  /** New rates from now on (e.g. `{ resetBeforeForward: 1 }` for an outage, `{}` to end it). */
  setRates(rates: FaultRates): void;
  /**
   * With `trackEntries`: each PutRecords/PutRecord entry's `data` (as sent) → how often it was
   * forwarded without the answer reaching the client, or answered just before the client hung up
   * (`hungUpAfterAnswer`). Every duplicate in the stream should be here.
   */
  unansweredEntries(): ReadonlyMap<string, number>;
  /**
   * Resolves once no request is being handled (a slow answer held back is still being handled): then
   * the counters and `unansweredEntries()` account for every request received so far.
   */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Route {
  id: OperationId;
  method: string;
  pattern: RegExp;
}

/** The API's routes, from the contract (never re-declared here). */
function routes(stagePath: string): Route[] {
  return Object.values(operations).map((op) => ({
    id: op.id as OperationId,
    method: op.method,
    pattern: new RegExp(
      `^${escapeRegExp(stagePath)}${op.path
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join('[^/]+')}$`,
    ),
  }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const stagePath = target.pathname.replace(/\/+$/, '');
  const table = routes(stagePath);
  const random = mulberry32(options.seed ?? 1);
  const slowMs = options.slowResponseMs ?? 2000;
  const ratio = options.partialFailureRatio ?? 0.3;
  const eligible = new Set<string>(options.operations ?? (Object.keys(operations) as OperationId[]));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let rates = checkRates(options.rates ?? {});
  let counters = emptyCounters();
  const unansweredEntries = new Map<string, number>();

  const count = (op: OperationId | 'unknown', kind: FaultKind | undefined) => {
    counters.byOperation[op] ??= { requests: 0, faults: {} };
    const slot = counters.byOperation[op];
    slot.requests++;
    if (kind) {
      counters.faults[kind]++;
      slot.faults[kind] = (slot.faults[kind] ?? 0) + 1;
    }
  };

  /** The fault for one request (undefined: forward untouched). */
  const draw = (op: OperationId | undefined): FaultKind | undefined => {
    const u = random();
    if (op === undefined || !eligible.has(op)) return undefined;
    let sum = 0;
    for (const kind of FAULT_KINDS) {
      sum += rates[kind] ?? 0;
      if (u < sum) return kind === 'partialFailure' && op !== 'putRecords' ? undefined : kind;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> => {
    counters.forwarded++;
    const headers: Record<string, string | string[] | undefined> = { ...req.headers };
    delete headers.host;
    delete headers.connection;
    headers['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
          agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  };

  /** Passes the target's answer on. */
  const answer = (res: ServerResponse, upstream: Upstream) => {
    const headers = { ...upstream.headers };
    delete headers['transfer-encoding'];
    delete headers.connection;
    headers['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  };

  const hangUpWindowMs = options.hangUpWindowMs ?? 1000;
  /** Per connection: the last request answered on it, until the next request arrives. */
  const lastAnswered = new WeakMap<Socket, { data: readonly string[]; at: number }>();

  const unanswered = (forwardedData: readonly string[], counter = counters.unanswered) => {
    counter.requests++;
    counter.entries += forwardedData.length;
    if (options.trackEntries) {
      for (const data of forwardedData) unansweredEntries.set(data, (unansweredEntries.get(data) ?? 0) + 1);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Watched from the start: a client that gives up early (its timeout) may close before we forward.
    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    lastAnswered.delete(req.socket);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks);
    counters.requests++;
    const path = (req.url ?? '/').split('?')[0]!;
    const op = table.find((r) => r.method === req.method && r.pattern.test(path))?.id;
    const fault = draw(op);
    count(op ?? 'unknown', fault);

    switch (fault) {
      case 'throttle':
        return reply(res, 429, GATEWAY_ERRORS.throttled);
      case 'serverError':
        if (random() < 0.5) return reply(res, 500, GATEWAY_ERRORS.internalError);
        return json(res, 503, {
          __type: 'ServiceUnavailableException',
          message: 'The service is unavailable (injected).',
        });
      case 'resetBeforeForward':
        return req.socket.resetAndDestroy();
    }

    // Every other path forwards: from here on, the target does the work.
    const entries = op === 'putRecords' || op === 'putRecord' ? parseEntries(op, body) : undefined;
    let failedAt: number[] = [];
    if (fault === 'partialFailure' && entries?.kind === 'records') {
      failedAt = entries.list.map((_, i) => i).filter(() => random() < ratio);
      if (failedAt.length === 0) failedAt = [Math.floor(random() * entries.list.length)];
      counters.failedEntries += failedAt.length;
      const keep = entries.list.filter((_, i) => !failedAt.includes(i));
      if (keep.length === 0) {
        return json(res, 200, {
          FailedRecordCount: entries.list.length,
          Records: failedAt.map(() => failure(random)),
        });
      }
      body = Buffer.from(JSON.stringify({ ...entries.body, records: keep }));
    }
    const forwardedData = (entries?.list ?? []).filter((_, i) => !failedAt.includes(i)).map((e) => dataOf(e));

    let upstream: Upstream;
    try {
      upstream = await forward(req, body);
    } catch (error) {
      return json(res, 502, { message: `fault proxy: the target failed: ${(error as Error).message}` });
    }
    if (failedAt.length > 0) upstream = splice(upstream, failedAt, random);

    if (fault === 'resetAfterForward') {
      unanswered(forwardedData);
      return req.socket.resetAndDestroy();
    }
    if (fault === 'slowResponse') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, slowMs);
        timers.add(timer);
      });
    }
    // Let pending I/O run first: a client that gave up in this same turn of the event loop (its timeout
    // fired late, with ours) has closed its end by now.
    await new Promise((resolve) => setImmediate(resolve));
    const socket = res.socket;
    if (clientGone || !socket || socket.destroyed || socket.readableEnded) return unanswered(forwardedData);
    answer(res, upstream);
    if (forwardedData.length > 0) lastAnswered.set(socket, { data: forwardedData, at: Date.now() });
  };

  let handling = 0;
  const server = createServer((req, res) => {
    handling++;
    handle(req, res)
      .catch((error: unknown) => {
        if (!res.headersSent) json(res, 502, { message: `fault proxy: ${(error as Error).message}` });
      })
      .finally(() => handling--);
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      const last = lastAnswered.get(socket);
      if (last && Date.now() - last.at <= hangUpWindowMs) unanswered(last.data, counters.hungUpAfterAnswer);
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}${stagePath}`,
    counters: () => structuredClone(counters),
    resetCounters: () => {
      counters = emptyCounters();
      unansweredEntries.clear();
    },
    setRates: (next) => {
      rates = checkRates(next);
    },
    unansweredEntries: () => unansweredEntries,
    idle: async () => {
      while (handling > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

function emptyCounters(): FaultCounters {
  return {
    requests: 0,
    forwarded: 0,
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    byOperation: {},
    failedEntries: 0,
    unanswered: { requests: 0, entries: 0 },
    hungUpAfterAnswer: { requests: 0, entries: 0 },
  };
}

function checkRates(rates: FaultRates): FaultRates {
  let sum = 0;
  for (const [kind, rate] of Object.entries(rates)) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind))
      throw new TypeError(`unknown fault kind "${kind}"`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))
      throw new TypeError(`rate of ${kind} must be in [0, 1]`);
    sum += rate;
  }
  if (sum > 1 + 1e-9) throw new TypeError(`the fault rates add up to ${sum}, more than 1`);
  return { ...rates };
}

function reply(res: ServerResponse, status: number, spec: { errorType: string; message: string }): void {
  const body = Buffer.from(JSON.stringify({ message: spec.message }));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'x-amzn-errortype': spec.errorType,
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(body.length) });
  res.end(body);
}

type Entry = Record<string, unknown>;
type Entries =
  | { kind: 'records'; body: Record<string, unknown>; list: Entry[] }
  | { kind: 'record'; list: Entry[] };

/** The entries of a PutRecords body (`{"records": [...]}`) or the one of a PutRecord body. */
function parseEntries(op: 'putRecords' | 'putRecord', body: Buffer): Entries | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (op === 'putRecord') return { kind: 'record', list: [parsed] };
    return Array.isArray(parsed.records)
      ? { kind: 'records', body: parsed, list: parsed.records as Entry[] }
      : undefined;
  } catch {
    return undefined;
  }
}

/** An entry's data as sent: `data` of PutRecords entries, `Data` of a PutRecord body. */
function dataOf(entry: Entry): string {
  const data = entry.data ?? entry.Data;
  return typeof data === 'string' ? data : JSON.stringify(data);
}

function failure(random: () => number) {
  return random() < 0.8
    ? {
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream (injected).',
      }
    : { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure (injected).' };
}

/** Puts failed results back at the places of the entries taken out, and counts them as failed. */
function splice(upstream: Upstream, failedAt: number[], random: () => number): Upstream {
  let parsed: { FailedRecordCount?: number; Records?: unknown[]; __type?: unknown };
  try {
    parsed = JSON.parse(upstream.body.toString('utf8'));
  } catch {
    return upstream;
  }
  // An error for the whole (remaining) request: nothing was written; the client sees that error.
  if (upstream.status !== 200 || parsed.__type !== undefined || !Array.isArray(parsed.Records))
    return upstream;
  const written = parsed.Records;
  const total = written.length + failedAt.length;
  const records: unknown[] = [];
  for (let i = 0, w = 0; i < total; i++) records.push(failedAt.includes(i) ? failure(random) : written[w++]);
  const body = Buffer.from(
    JSON.stringify({
      ...parsed,
      FailedRecordCount: (parsed.FailedRecordCount ?? 0) + failedAt.length,
      Records: records,
    }),
  );
  return { ...upstream, body };
}
