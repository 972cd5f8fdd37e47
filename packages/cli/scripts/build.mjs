#!/usr/bin/env node
/**
 * Bundles the `kproxy` bin into `dist/` with esbuild, so `kproxy --help` loads one small file instead
 * of resolving hundreds of modules (start time is part of the product).
 *
 * - ESM, platform node, code splitting: `@kproxy/local` (the emulator and its engines) is imported
 *   lazily by `kproxy local` only, so it lands in its own chunk and never slows down other commands.
 * - kinesalite (the emulator's embedded Kinesis engine) stays external: it loads its actions with
 *   dynamic `require`s and LevelDB through a native addon, which a bundle cannot hold. It is a
 *   dependency of this package so that it resolves from node_modules at run time.
 * - The banner adds the shebang and a `require` for bundled CommonJS code that calls it.
 */
import { chmod, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist');

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { kproxy: 'src/bin.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  // Maps give stack traces their lines (node --enable-source-maps); the sources themselves stay out of the package.
  sourcesContent: false,
  // Keep the license notices of bundled packages that carry them.
  legalComments: 'eof',
  logLevel: 'warning',
  external: ['kinesalite'],
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __kproxyCreateRequire } from 'node:module';",
      'const require = __kproxyCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
await chmod(join(outdir, 'kproxy.js'), 0o755);
