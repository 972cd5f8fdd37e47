/**
 * 4. Bulk ingest: `kproxy put-records` (the built bin, a JSON Lines file) through the emulator vs the
 * AWS SDK writing PutRecords of 500 straight to the same kinesalite, same concurrency; then the peak
 * memory of `kproxy put-records` on a 1 GiB input (quick mode: 64 MiB).
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleScript } from '../lib/bundle-script.ts';
import { createStream, kproxyEnv, startEngines } from '../lib/engines.ts';
import { header, type RunInfo } from '../lib/machine.ts';
import { ensureWorkDir, kproxyBin } from '../lib/paths.ts';
import { canMeasureRss, expectSuccess, runNode, startServer } from '../lib/processes.ts';
import { int, mib, ratio, table } from '../lib/stats.ts';
import { writeRecords } from './input.ts';

const CONCURRENCY = 4;
const SHARDS = 4;
const RSS_LIMIT = 256 * 2 ** 20;

interface Run {
  /** `journal`: `kproxy put-records --checkpoint` (a fresh journal each round). */
  readonly who: 'kproxy' | 'journal' | 'sdk';
  readonly recordsPerSecond: number;
  /** Including process start. */
  readonly wallRecordsPerSecond: number;
  readonly maxRssBytes: number | undefined;
}

async function throughput(run: RunInfo) {
  const records = run.quick ? 20_000 : 100_000;
  const rounds = 2;
  const file = join(ensureWorkDir(), 'ingest.jsonl');
  await writeRecords(file, { records }, 100);
  const writer = await bundleScript('ingest/sdk-writer.ts');
  const engines = await startEngines();
  const runs: Run[] = [];
  try {
    // Not measured: the emulator's first requests run cold (JIT), which would count against whichever
    // writer goes first.
    await createStream(engines.engineUrl, 'ingest-warm-up', SHARDS);
    expectSuccess(
      'kproxy put-records (warm-up)',
      await runNode([kproxyBin, 'put-records', 'ingest-warm-up', file, '--output', 'json'], {
        env: kproxyEnv(engines.emulatorUrl),
      }),
    );
    for (let round = 0; round < rounds; round++) {
      const kproxyStream = `ingest-kproxy-${round}`;
      const sdkStream = `ingest-sdk-${round}`;
      await createStream(engines.engineUrl, kproxyStream, SHARDS);
      await createStream(engines.engineUrl, sdkStream, SHARDS);

      const putRecords = async (who: 'kproxy' | 'journal', streamName: string) => {
        const journal = join(ensureWorkDir(), `ingest-${round}.journal`);
        rmSync(journal, { force: true });
        const put = expectSuccess(
          `kproxy put-records${who === 'journal' ? ' --checkpoint' : ''}`,
          await runNode(
            [
              kproxyBin,
              'put-records',
              streamName,
              file,
              '--output',
              'json',
              '--concurrency',
              String(CONCURRENCY),
              ...(who === 'journal' ? ['--checkpoint', journal] : []),
            ],
            { env: kproxyEnv(engines.emulatorUrl), measureRss: true },
          ),
        );
        rmSync(journal, { force: true });
        const summary = JSON.parse(put.stdout) as { succeeded: number; recordsPerSecond: number };
        if (summary.succeeded !== records) throw new Error(`${who} wrote ${summary.succeeded} of ${records}`);
        runs.push({
          who,
          recordsPerSecond: summary.recordsPerSecond,
          wallRecordsPerSecond: records / (put.wallMs / 1000),
          maxRssBytes: put.maxRssBytes,
        });
        return summary;
      };
      const summary = await putRecords('kproxy', kproxyStream);
      const journalStream = `ingest-journal-${round}`;
      await createStream(engines.engineUrl, journalStream, SHARDS);
      const journalled = await putRecords('journal', journalStream);

      const sdk = expectSuccess(
        'sdk writer',
        await runNode(
          [
            '--import',
            'tsx',
            'ingest/sdk-writer.ts',
            engines.engineUrl,
            sdkStream,
            file,
            String(CONCURRENCY),
          ],
          { measureRss: true },
        ),
      );
      const result = JSON.parse(sdk.stdout) as { succeeded: number; seconds: number };
      if (result.succeeded !== records) throw new Error(`the SDK wrote ${result.succeeded} of ${records}`);
      runs.push({
        who: 'sdk',
        recordsPerSecond: records / result.seconds,
        wallRecordsPerSecond: records / (sdk.wallMs / 1000),
        maxRssBytes: sdk.maxRssBytes,
      });
      console.error(
        `  ingest round ${round + 1}: kproxy ${int(summary.recordsPerSecond)}/s, --checkpoint ${int(journalled.recordsPerSecond)}/s, sdk ${int(records / result.seconds)}/s`,
      );
    }
  } finally {
    await engines.stop();
    rmSync(file, { force: true });
    rmSync(writer, { force: true });
  }
  return { records, rounds, runs };
}

export async function peakMemory(run: RunInfo) {
  const bytes = run.quick ? 64 * 2 ** 20 : 2 ** 30;
  const file = join(ensureWorkDir(), 'ingest-large.jsonl');
  const sink = await startServer(['--import', 'tsx', 'ingest/slow-sink.ts', '25']);
  try {
    const records = await writeRecords(file, { bytes }, 1000);
    const size = statSync(file).size;
    const put = expectSuccess(
      'kproxy put-records (large)',
      await runNode([kproxyBin, 'put-records', 'large', file, '--output', 'json'], {
        env: kproxyEnv(sink.url),
        measureRss: true,
      }),
    );
    const summary = JSON.parse(put.stdout) as { succeeded: number; recordsPerSecond: number };
    if (summary.succeeded !== records) throw new Error(`kproxy wrote ${summary.succeeded} of ${records}`);
    return { size, records, maxRssBytes: put.maxRssBytes, seconds: put.wallMs / 1000 };
  } finally {
    await sink.stop();
    rmSync(file, { force: true });
  }
}

export async function bulkIngest(run: RunInfo): Promise<string> {
  const { records, rounds, runs } = await throughput(run);
  const memory = await peakMemory(run);
  const mean = (who: Run['who'], key: 'recordsPerSecond' | 'wallRecordsPerSecond') => {
    const mine = runs.filter((r) => r.who === who);
    return mine.reduce((a, r) => a + r[key], 0) / mine.length;
  };
  const peak = (who: Run['who']) =>
    Math.max(...runs.filter((r) => r.who === who).map((r) => r.maxRssBytes ?? 0));
  const rows = (['kproxy', 'journal', 'sdk'] as const).map((who) => [
    {
      kproxy: '`kproxy put-records FILE` → emulator (`kproxy local`) → kinesalite',
      journal: '`kproxy put-records FILE --checkpoint J` (journal), same path',
      sdk: '`@aws-sdk/client-kinesis` PutRecords → kinesalite',
    }[who],
    int(mean(who, 'recordsPerSecond')),
    int(mean(who, 'wallRecordsPerSecond')),
    canMeasureRss ? mib(peak(who)) : 'n/a',
  ]);
  const rss = memory.maxRssBytes;
  return `## 4. Bulk ingest

${header(run)}

${int(records)} records of 100 bytes of data (JSON Lines, ${SHARDS} shards, PutRecords of 500, ${CONCURRENCY} requests in
flight), ${rounds} rounds in turn, mean. Both end in the same kinesalite process (in memory); kproxy goes through
the emulator process, the SDK straight to the engine. "records/s" is each side's own timing (from opening
the file to the last answer); "incl. start" divides by the process's whole life (spawn to exit), so it
also counts Node's start and module loading (both sides are one bundled file: the \`kproxy\` bin, and the
SDK script bundled with esbuild).

${table(['writer', 'records/s', 'records/s incl. start', 'peak RSS'], rows)}

- kproxy vs SDK (records/s): ${ratio(mean('kproxy', 'recordsPerSecond') / mean('sdk', 'recordsPerSecond'), { min: 0.6 })}
- the journal's cost (\`--checkpoint\`: a line per request before it is sent and per answer, synced every 0.2 s): ${(mean('journal', 'recordsPerSecond') / mean('kproxy', 'recordsPerSecond')).toFixed(2)}× plain \`put-records\`'s records/s

Peak memory of \`kproxy put-records\` (default concurrency) on a ${mib(memory.size)} JSON Lines file
(${int(memory.records)} records of 1,000 bytes of data) sent to a sink that answers after 25 ms (slower than
the reader, so any unbounded read-ahead would show)${run.quick ? ' — **quick mode: not the 1 GiB of the full run**' : ''}:
${rss === undefined ? 'not measured (no /usr/bin/time)' : `**${mib(rss)}** max resident set size (GNU time), in ${memory.seconds.toFixed(1)} s (target ≤ 256 MiB: ${rss <= RSS_LIMIT ? 'met' : '**missed**'})`}.
`;
}
