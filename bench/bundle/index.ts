/**
 * 2. Browser bundle of an app that calls putRecords: esbuild (bundle, minify, ESM, platform browser),
 * gzip level 9. For kproxy's bundle, the esbuild metafile says what the bytes are made of.
 */
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { header, type RunInfo } from '../lib/machine.ts';
import { benchDir } from '../lib/paths.ts';
import { kib, table } from '../lib/stats.ts';
import { APPS, type AppName } from './apps.ts';

/** Issue #14's target for an app that calls only putRecords. */
const TARGET_KIB = 24;

async function bundle(source: string): Promise<{ minified: number; gzipped: number; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: source, resolveDir: benchDir, loader: 'js', sourcefile: 'app.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]!.contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, metafile: result.metafile };
}

/** Package of an input path; kproxy's own code split by source folder. */
function owner(path: string): string {
  const dependency = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1]!;
  const own = /packages\/(client|contract)\/src\/(?:([^/]+)\/)?/.exec(path);
  if (own) return `@kproxy/${own[1]}${own[2] ? ` ${own[2]}/` : ' (top level)'}`;
  return path;
}

function breakdown(metafile: Metafile, gzipped: number): string {
  const [output] = Object.values(metafile.outputs);
  const bytes = new Map<string, number>();
  for (const [path, info] of Object.entries(output!.inputs)) {
    bytes.set(owner(path), (bytes.get(owner(path)) ?? 0) + info.bytesInOutput);
  }
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  const rows = [...bytes]
    .sort((a, b) => b[1] - a[1])
    .filter(([, n]) => n >= 200)
    .map(([name, n]) => [
      name,
      kib(n),
      `${((n / total) * 100).toFixed(1)} %`,
      `≈ ${kib((n / total) * gzipped)}`,
    ]);
  return table(['part', 'minified', 'share', 'gzip share (pro rata)'], rows);
}

export async function bundleSize(run: RunInfo): Promise<string> {
  const sizes = {} as Record<AppName, Awaited<ReturnType<typeof bundle>>>;
  for (const name of Object.keys(APPS) as AppName[]) {
    sizes[name] = await bundle(APPS[name].source);
    console.error(`  bundle ${name}: ${kib(sizes[name].gzipped)} gzip`);
  }
  const rows = (Object.keys(APPS) as AppName[]).map((name) => [
    APPS[name].label,
    kib(sizes[name].minified),
    `**${kib(sizes[name].gzipped)}**`,
  ]);
  return `## 2. Browser bundle of an app that calls \`putRecords\`

${header(run)}

Each app (sources in [bundle/apps.ts](bundle/apps.ts)) signs with explicit credentials and sends one
PutRecords; kproxy's calls the standalone \`putRecords\` on a \`KproxyConnection\`, and again the method
of \`KproxyCore\` (every operation, the seed's eight and kproxy's three) and of \`KproxyClient\` (which adds the helpers). esbuild ${'`--bundle --minify --format=esm --platform=browser --target=es2022`'}, then gzip -9.

${table(['app', 'minified', 'minified + gzip'], rows)}

- kproxy: ${kib(sizes.kproxy.gzipped)} gzipped (target ≤ ${TARGET_KIB} KiB: ${sizes.kproxy.gzipped <= TARGET_KIB * 1024 ? 'met' : '**missed**'}); with \`KproxyCore\`: ${kib(sizes.kproxyCore.gzipped)}, with \`KproxyClient\`: ${kib(sizes.kproxyFull.gzipped)}
- kproxy vs SDK: ${(sizes.kproxy.gzipped / sizes.sdk.gzipped).toFixed(2)}×; vs aws4fetch alone: ${(sizes.kproxy.gzipped / sizes.aws4fetch.gzipped).toFixed(2)}×

What kproxy's bundle is made of (esbuild metafile, minified bytes per input; the gzip column splits the
gzipped size in proportion, which is only an estimate since gzip compresses parts unevenly):

${breakdown(sizes.kproxy.metafile, sizes.kproxy.gzipped)}
`;
}
