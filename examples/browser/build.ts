/**
 * Bundles main.ts and @kproxy/client for browsers into dist/main.js with esbuild.
 *
 *   node --import tsx browser/build.ts        # from examples/
 *
 * `platform: 'browser'` makes the client pick its browser modules (pure-JS SHA-256, no AWS default
 * credential chain, atob/btoa base64) instead of the Node ones.
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Builds the bundle; returns its path and size in bytes (minified, before compression). */
export async function buildBrowserExample(): Promise<{ file: string; bytes: number }> {
  const file = here('./dist/main.js');
  await esbuild.build({
    entryPoints: [here('./main.ts')],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  return { file, bytes: statSync(file).size };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { file, bytes } = await buildBrowserExample();
  console.log(`built ${file} (${(bytes / 1024).toFixed(1)} KiB minified)`);
}
