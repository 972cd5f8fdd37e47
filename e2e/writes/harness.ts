/**
 * What the write-invariant tests (and `pnpm bench reliability`) share: `kproxy local` in a process of
 * its own, the fault proxy in front of it, numbered input records, reading a stream back, and the audit
 * that compares the stream and the failures with the input.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeAggregatedRecord, hasKplMagic, KproxyClient } from '@kproxy/client';

/** The built bin (`pnpm --filter @kproxy/cli build`; the e2e global setup builds it). */
const BIN = fileURLToPath(new URL('../../packages/cli/dist/kproxy.js', import.meta.url));

export interface Emulator {
  url: string;
  /** The kproxy bin it runs from; the CLI runs use the same. */
  bin: string;
  client: KproxyClient;
  stop(): Promise<void>;
}

/** `kproxy local --port 0 --in-memory` from the built bin, in its own process (its own core). */
export async function startEmulator(bin = BIN): Promise<Emulator> {
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, 'local', '--port', '0', '--in-memory', '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        KPROXY_CONFIG: '/nonexistent/kproxy-config.json',
      },
    },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n') && line) resolve(line.trim());
    });
    child.on('exit', (code) => reject(new Error(`kproxy local exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    url,
    bin,
    client: new KproxyClient({ endpoint: url, auth: { type: 'none' }, timeout: 60_000 }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Creates a stream and waits until it is ACTIVE. (Written here rather than taken from the client suite:
 * the benchmark runs this outside vitest.)
 */
export async function createStream(
  client: KproxyClient,
  streamName: string,
  shardCount: number,
): Promise<void> {
  await client.createStream({ streamName, shardCount });
  for (let tries = 0; ; tries++) {
    const { streamStatus } = await client.describeStream({ streamName });
    if (streamStatus === 'ACTIVE') return;
    if (tries === 200) throw new Error(`${streamName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `count` records whose data is a unique id (`<prefix>-000042`, padded with `x` to `dataBytes` when
 * given), spread over partition keys.
 */
export function numberedRecords(
  prefix: string,
  count: number,
  from = 0,
  dataBytes = 0,
): Array<{ data: string; partitionKey: string }> {
  return Array.from({ length: count }, (_, i) => {
    const id = `${prefix}-${String(from + i).padStart(6, '0')}`;
    return {
      data: dataBytes > id.length ? `${id} `.padEnd(dataBytes, 'x') : id,
      partitionKey: `k${(from + i) % 211}`,
    };
  });
}

/**
 * The fault proxy's unanswered entries (keyed by the entry's data as sent) per record: an entry that
 * is a KPL aggregated record (base64) stands for each of its records, by their data as text.
 */
export function perRecord(unanswered: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  const add = (data: string, n: number) => out.set(data, (out.get(data) ?? 0) + n);
  for (const [data, n] of unanswered) {
    const bytes = /^[A-Za-z0-9+/]+=*$/.test(data) ? new Uint8Array(Buffer.from(data, 'base64')) : undefined;
    const users = bytes && hasKplMagic(bytes) ? decodeAggregatedRecord(bytes) : undefined;
    if (!users) add(data, n);
    else for (const user of users) add(Buffer.from(user.data).toString(), n);
  }
  return out;
}

/** Every record of a stream (read straight from the emulator, not through the proxy): data → copies. */
export async function readBack(client: KproxyClient, streamName: string): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  for await (const record of client.readStream({ streamName, follow: false })) {
    const data = record.text();
    copies.set(data, (copies.get(data) ?? 0) + 1);
  }
  return copies;
}

export interface Audit {
  /** Records handed to the bulk write. */
  input: number;
  /** Input records stored at least once. */
  written: number;
  /** Input records reported failed (in `--failed-out` / `onFailure`). */
  failed: number;
  /** Input records neither stored nor reported failed: must be 0. */
  lost: number;
  /** Copies beyond one, over the stream and the failures together (stored twice, or stored and failed). */
  duplicates: number;
  /** Records with such copies. */
  duplicatedRecords: number;
  /** Duplicates the fault proxy accounts for: forwarded without the answer reaching the client. */
  explained: number;
  /** Records stored that were never in the input: must be 0. */
  phantoms: number;
  /** Records reported failed more than once: must be 0. */
  failedTwice: number;
  /** A few ids of each problem, for the assertion message. */
  examples: { lost: string[]; unexplained: string[]; phantoms: string[]; failedTwice: string[] };
}

/**
 * Compares the input with the stream and the failures. Each record's copies beyond the first are
 * explained when the proxy forwarded it at least that many times without the answer reaching the
 * client (the only way a record can be stored more than once).
 */
export function audit(options: {
  input: readonly string[];
  stream: ReadonlyMap<string, number>;
  failed: readonly string[];
  unanswered: ReadonlyMap<string, number>;
}): Audit {
  const failedCount = new Map<string, number>();
  for (const id of options.failed) failedCount.set(id, (failedCount.get(id) ?? 0) + 1);
  const inputSet = new Set(options.input);
  const result: Audit = {
    input: options.input.length,
    written: 0,
    failed: 0,
    lost: 0,
    duplicates: 0,
    duplicatedRecords: 0,
    explained: 0,
    phantoms: 0,
    failedTwice: 0,
    examples: { lost: [], unexplained: [], phantoms: [], failedTwice: [] },
  };
  const note = (list: string[], id: string) => {
    if (list.length < 5) list.push(id);
  };
  for (const id of options.input) {
    const stored = options.stream.get(id) ?? 0;
    const failed = failedCount.get(id) ?? 0;
    if (stored > 0) result.written++;
    if (failed > 0) result.failed++;
    if (failed > 1) {
      result.failedTwice++;
      note(result.examples.failedTwice, id);
    }
    if (stored + failed === 0) {
      result.lost++;
      note(result.examples.lost, id);
    }
    const extra = Math.max(0, stored + failed - 1);
    if (extra === 0) continue;
    result.duplicates += extra;
    result.duplicatedRecords++;
    const explained = Math.min(extra, options.unanswered.get(id) ?? 0);
    result.explained += explained;
    if (explained < extra) note(result.examples.unexplained, id);
  }
  for (const id of options.stream.keys()) {
    if (!inputSet.has(id)) {
      result.phantoms++;
      note(result.examples.phantoms, id);
    }
  }
  return result;
}
