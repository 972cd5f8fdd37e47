/**
 * bench/RESULTS.md holds one section per benchmark between `<!-- bench:NAME -->` markers. A run
 * rewrites only the sections of the benchmarks it ran, so `pnpm bench cpu` refreshes one table and
 * keeps the others.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './paths.ts';

const file = join(benchDir, 'RESULTS.md');

const PREAMBLE = `# Benchmark results

Written by \`pnpm bench\` (see [README.md](README.md)); every section is rewritten by its own benchmark and
says when, where and with which command it was measured. Compare figures only within one section: each
section measures all its contenders in one run on one machine.
`;

export function writeSection(name: string, markdown: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : PREAMBLE;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from !== -1 && to > from) text = text.slice(0, from) + block + text.slice(to + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, text);
}
