/**
 * 5. Tail: reading a backlog on 4 shards with `kproxy tail --no-follow --count N` (built bin, through
 * the emulator) vs an SDK GetRecords loop straight to the same engine; then put→print latency of a
 * following `kproxy tail --from latest` at default settings.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { LIMITS } from '@kproxy/contract';
import { bundleScript } from '../lib/bundle-script.ts';
import { createStream, type Engines, kproxyEnv, sdkClient, startEngines } from '../lib/engines.ts';
import { header, type RunInfo } from '../lib/machine.ts';
import { benchDir, ensureWorkDir, kproxyBin } from '../lib/paths.ts';
import { expectSuccess, runNode } from '../lib/processes.ts';
import { fixed, int, median, percentile, ratio, table } from '../lib/stats.ts';

const SHARDS = 4;

export async function fillBacklog(engines: Engines, stream: string, records: number): Promise<void> {
  await createStream(engines.engineUrl, stream, SHARDS);
  const client = sdkClient(engines.engineUrl);
  const data = new TextEncoder().encode('x'.repeat(100));
  const size = LIMITS.maxRecordsPerBatch;
  const batches = Array.from({ length: Math.ceil(records / size) }, (_, b) =>
    Array.from({ length: Math.min(size, records - b * size) }, (_, i) => ({
      Data: data,
      PartitionKey: `key-${b * size + i}`,
    })),
  );
  for (let b = 0; b < batches.length; b += 4) {
    await Promise.all(
      batches.slice(b, b + 4).map(async (Records) => {
        const result = await client.send(new PutRecordsCommand({ StreamName: stream, Records }));
        if (result.FailedRecordCount) throw new Error('backlog: some records were not written');
      }),
    );
  }
  client.destroy();
}

async function backlog(engines: Engines, run: RunInfo) {
  const records = run.quick ? 20_000 : 100_000;
  const stream = 'tail-backlog';
  await fillBacklog(engines, stream, records);
  const reader = await bundleScript('tail/sdk-reader.ts');
  const times = {
    kproxy: [] as number[],
    checkpoint: [] as number[],
    outputFile: [] as number[],
    sdk: [] as number[],
    sdkWall: [] as number[],
  };
  const work = ensureWorkDir();
  const checkpoint = join(work, 'tail.ckpt');
  const outputFile = join(work, 'tail.jsonl');
  const tailArgs = [kproxyBin, 'tail', stream, '--no-follow', '--count', String(records), '--format', 'json'];
  for (let round = 0; round < 2; round++) {
    let lines = 0;
    const onLine = () => void lines++;
    const tail = expectSuccess(
      'kproxy tail',
      await runNode(tailArgs, { env: kproxyEnv(engines.emulatorUrl), onLine }),
    );
    if (lines !== records) throw new Error(`kproxy tail printed ${lines} of ${records} records`);
    times.kproxy.push(tail.wallMs / 1000);

    // The same read with a checkpoint: one record per write to the pipe, synced once per batch.
    lines = 0;
    rmSync(checkpoint, { force: true });
    const checkpointed = expectSuccess(
      'kproxy tail --checkpoint',
      await runNode([...tailArgs, '--checkpoint', checkpoint], {
        env: kproxyEnv(engines.emulatorUrl),
        onLine,
      }),
    );
    if (lines !== records) throw new Error(`kproxy tail --checkpoint printed ${lines} of ${records} records`);
    times.checkpoint.push(checkpointed.wallMs / 1000);

    // Into a file: each batch in one write, the file and then the checkpoint synced per batch.
    rmSync(checkpoint, { force: true });
    rmSync(outputFile, { force: true });
    const filed = expectSuccess(
      'kproxy tail --checkpoint --output-file',
      await runNode([...tailArgs, '--checkpoint', checkpoint, '--output-file', outputFile], {
        env: kproxyEnv(engines.emulatorUrl),
      }),
    );
    const written = readFileSync(outputFile, 'utf8').split('\n').length - 1;
    if (written !== records)
      throw new Error(`kproxy tail --output-file wrote ${written} of ${records} records`);
    times.outputFile.push(filed.wallMs / 1000);

    lines = 0;
    const sdk = expectSuccess(
      'sdk reader',
      await runNode([reader, engines.engineUrl, stream, String(records)], {
        onLine,
      }),
    );
    if (lines !== records) throw new Error(`the SDK loop printed ${lines} of ${records} records`);
    times.sdk.push(Number(/SECONDS=([\d.]+)/.exec(sdk.stderr)?.[1]));
    times.sdkWall.push(sdk.wallMs / 1000);
    console.error(
      `  tail round ${round + 1}: kproxy ${fixed(tail.wallMs / 1000)} s, --checkpoint ${fixed(checkpointed.wallMs / 1000)} s, --output-file ${fixed(filed.wallMs / 1000)} s, sdk ${fixed(times.sdk.at(-1)!)} s`,
    );
  }
  rmSync(reader, { force: true });
  rmSync(checkpoint, { force: true });
  rmSync(outputFile, { force: true });
  return { records, times };
}

async function latency(engines: Engines, run: RunInfo) {
  const puts = run.quick ? 20 : 60;
  const intervalMs = 250;
  const stream = 'tail-latency';
  await createStream(engines.engineUrl, stream, SHARDS);
  const tail = spawn(process.execPath, [kproxyBin, 'tail', stream, '--from', 'latest', '--format', 'json'], {
    cwd: benchDir,
    env: { ...process.env, ...kproxyEnv(engines.emulatorUrl) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let warm = false;
  createInterface({ input: tail.stdout }).on('line', (line) => {
    const now = performance.now();
    const id = /"(warm|lat)-(\d+)"/.exec(line);
    if (id?.[1] === 'warm') warm = true;
    const sent = id ? sentAt.get(`${id[1]}-${id[2]}`) : undefined;
    if (id?.[1] === 'lat' && sent !== undefined) latencies.push(now - sent);
  });
  const put = async (data: string) => {
    sentAt.set(data, performance.now());
    const response = await fetch(`${engines.emulatorUrl}/streams/${stream}/record`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Data: data, PartitionKey: data }),
    });
    if (!response.ok) throw new Error(`put-record: ${response.status} ${await response.text()}`);
  };
  try {
    // `--from latest` sees only what is written after it has its iterators: put until one shows.
    for (let i = 0; !warm; i++) {
      if (i > 100) throw new Error('kproxy tail printed nothing in 20 s');
      await put(`warm-${i}`);
      await sleep(200);
    }
    await sleep(1500);
    for (let i = 0; i < puts; i++) {
      await put(`lat-${i}`);
      await sleep(intervalMs);
    }
    for (let waited = 0; latencies.length < puts && waited < 10_000; waited += 100) await sleep(100);
  } finally {
    tail.kill('SIGINT');
    await once(tail, 'exit');
  }
  if (latencies.length < puts) throw new Error(`kproxy tail printed ${latencies.length} of ${puts} records`);
  return { puts, intervalMs, latencies };
}

export async function tail(run: RunInfo): Promise<string> {
  const engines = await startEngines();
  let read: Awaited<ReturnType<typeof backlog>>;
  let follow: Awaited<ReturnType<typeof latency>>;
  try {
    read = await backlog(engines, run);
    follow = await latency(engines, run);
  } finally {
    await engines.stop();
  }
  const { records, times } = read;
  const kproxyRate = records / median(times.kproxy);
  const checkpointRate = records / median(times.checkpoint);
  const outputFileRate = records / median(times.outputFile);
  const sdkRate = records / median(times.sdkWall);
  const rows = [
    [
      '`kproxy tail --no-follow --count N --format json` → emulator → kinesalite',
      fixed(median(times.kproxy)),
      int(kproxyRate),
      'spawn to exit',
    ],
    [
      'the same with `--checkpoint FILE` (a write per record, synced per batch)',
      fixed(median(times.checkpoint)),
      int(checkpointRate),
      'spawn to exit',
    ],
    [
      'the same with `--checkpoint FILE --output-file OUT` (a write per batch, both synced per batch)',
      fixed(median(times.outputFile)),
      int(outputFileRate),
      'spawn to exit',
    ],
    [
      '`@aws-sdk/client-kinesis` GetRecords loop → kinesalite',
      fixed(median(times.sdkWall)),
      int(sdkRate),
      `spawn to exit (of which reading: ${fixed(median(times.sdk))} s)`,
    ],
  ];
  const { latencies } = follow;
  return `## 5. Tail

${header(run)}

Backlog: ${int(records)} records of 100 bytes on ${SHARDS} shards in one kinesalite process, read to the end by
both readers, 2 rounds in turn, median. Both are commands that print every record as a JSON line to a
pipe, timed from spawn to exit: the built \`kproxy\` bin, and the SDK loop bundled the same way
(esbuild, one file). The SDK loop reads every shard in parallel with no pause between GetRecords calls
(\`Limit\` 10,000); kproxy's reader keeps Kinesis's limits (≤ 5 reads/s per shard, a pause after an
empty or > 1 MiB read).

${table(['reader', 'seconds', 'records/s', 'timed'], rows)}

- kproxy vs SDK loop: ${ratio(kproxyRate / sdkRate, { min: 0.8 })}
- \`--checkpoint\` costs ${int((1 - checkpointRate / kproxyRate) * 100)} % of the plain tail's rate (each record waits for its write to
  reach the pipe, so a crash repeats at most one record); \`--output-file\` with it costs ${int((1 - outputFileRate / kproxyRate) * 100)} %.

Put→print latency: \`kproxy tail ${'NAME'} --from latest --format json\` following at default settings, ${follow.puts} records put
one at a time through the emulator (\`PUT /streams/NAME/record\`), one every ${follow.intervalMs} ms; from the start
of the put request to the record's line on tail's stdout.

${table(
  ['p50 ms', 'p95 ms', 'max ms'],
  [[int(percentile(latencies, 50)), int(percentile(latencies, 95)), int(Math.max(...latencies))]],
)}

- p50: ${int(percentile(latencies, 50))} ms (target ≤ 1,000 ms: ${percentile(latencies, 50) <= 1000 ? 'met' : '**missed**'})
`;
}
