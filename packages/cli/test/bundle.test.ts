/**
 * Start time is part of the product: `kproxy --help` must not load the client, the contract's schemas
 * (zod) or the emulator. They are imported lazily by the commands that use them; this test fails when a
 * static import chain from the bin reaches one of them again, and prints that chain.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_DEFAULTS } from '@kproxy/contract';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { localCommand } from '../src/commands/local/local.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

it('the bin reaches no client, contract, zod or emulator module through static imports', async () => {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: ['src/bin.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    external: ['kinesalite'],
    logLevel: 'silent',
  });
  const from = new Map<string, string | null>([['src/bin.ts', null]]);
  const queue = ['src/bin.ts'];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const imported of metafile.inputs[current]?.imports ?? []) {
      if (imported.kind !== 'import-statement' || imported.external || from.has(imported.path)) continue;
      from.set(imported.path, current);
      queue.push(imported.path);
    }
  }
  const heavy = [...from.keys()].find((path) => /(^|\/)(client|contract|local)\/src\/|\/zod\//.test(path));
  const chain: string[] = [];
  for (let p: string | null | undefined = heavy; p; p = from.get(p)) chain.unshift(p);
  expect(chain.join(' -> ')).toBe('');
});

it('the defaults `kproxy local --help` states are the contract’s', () => {
  const options = localCommand.options!;
  expect(options.port.describe).toContain(`default ${LOCAL_DEFAULTS.port}`);
  expect(options.host.describe).toContain(`default ${LOCAL_DEFAULTS.host}`);
  expect(options.stage.describe).toContain(`default ${LOCAL_DEFAULTS.stage}`);
});
