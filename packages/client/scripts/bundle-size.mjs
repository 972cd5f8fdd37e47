#!/usr/bin/env node
/**
 * Browser bundle size of an app that imports @kproxy/client and calls putRecords with SigV4 and
 * explicit credentials: bundled with esbuild (--bundle --minify --format=esm --platform=browser),
 * then gzipped. Prints the sizes and the heaviest inputs.
 *
 *   node packages/client/scripts/bundle-size.mjs [--metafile out.json]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'kproxy-bundle-'));
const entry = join(work, 'app.mjs');
writeFileSync(
  entry,
  `import { KproxyClient } from '@kproxy/client';
const client = new KproxyClient({
  endpoint: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1',
  auth: { type: 'sigv4', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } },
});
const result = await client.putRecords({
  streamName: 'clicks',
  records: [{ data: { page: location.pathname }, partitionKey: 'visitor-1' }],
});
console.log(result.failedRecordCount);
`,
);

try {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    // Resolve @kproxy/client (and its dependencies) from this package, as an app that installed it would.
    nodePaths: [join(packageDir, 'node_modules')],
    alias: { '@kproxy/client': join(packageDir, 'src/index.ts') },
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const gzipped = gzipSync(code, { level: 9 });
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`minified: ${kb(code.length)} (${code.length} bytes)`);
  console.log(`minified + gzip: ${kb(gzipped.length)} (${gzipped.length} bytes)`);
  const byPackage = new Map();
  const [output] = Object.values(result.metafile.outputs);
  for (const [path, info] of Object.entries(output.inputs)) {
    const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
    let name = match ? match[1] : path;
    if (!match && path.includes('packages/contract/')) name = '@kproxy/contract';
    if (!match && path.includes('packages/client/')) name = '@kproxy/client';
    byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
  }
  console.log('minified bytes by package:');
  for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]))
    console.log(`  ${name.padEnd(32)} ${bytes}`);
  const metafileArg = process.argv.indexOf('--metafile');
  if (metafileArg !== -1) writeFileSync(process.argv[metafileArg + 1], JSON.stringify(result.metafile));
} finally {
  rmSync(work, { recursive: true, force: true });
}
