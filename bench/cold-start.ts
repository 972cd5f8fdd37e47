/**
 * 3. `kproxy --help` cold start (the built bin) vs `node -e 0`: hyperfine when installed (`-N`, no
 * shell), else sequential spawns timed here. Medians.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { header, type RunInfo } from './lib/machine.ts';
import { ensureWorkDir, kproxyBin, repoDir } from './lib/paths.ts';
import { fixed, median, ratio, table } from './lib/stats.ts';

const TARGET = 3;

interface Timing {
  readonly command: string;
  readonly medianMs: number;
  readonly meanMs: number;
  readonly minMs: number;
}

function withHyperfine(commands: readonly string[], runs: number): Timing[] {
  const out = join(ensureWorkDir(), 'hyperfine.json');
  const done = spawnSync(
    'hyperfine',
    ['-N', '--warmup', '5', '--runs', String(runs), '--export-json', out, ...commands],
    { cwd: repoDir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (done.status !== 0) throw new Error('hyperfine failed');
  const { results } = JSON.parse(readFileSync(out, 'utf8')) as {
    results: { command: string; median: number; mean: number; min: number }[];
  };
  rmSync(out);
  return results.map((r) => ({
    command: r.command,
    medianMs: r.median * 1000,
    meanMs: r.mean * 1000,
    minMs: r.min * 1000,
  }));
}

function withSpawns(commands: readonly string[], runs: number): Timing[] {
  const times = commands.map(() => [] as number[]);
  // Interleaved, so that a change in machine load touches both commands alike.
  for (let i = 0; i < runs + 5; i++) {
    commands.forEach((command, c) => {
      const [file, ...args] = command.split(' ');
      const started = performance.now();
      spawnSync(file!, args, { cwd: repoDir, stdio: 'ignore' });
      if (i >= 5) times[c]!.push(performance.now() - started);
    });
  }
  return commands.map((command, c) => ({
    command,
    medianMs: median(times[c]!),
    meanMs: times[c]!.reduce((a, b) => a + b, 0) / runs,
    minMs: Math.min(...times[c]!),
  }));
}

export async function coldStart(run: RunInfo): Promise<string> {
  const runs = run.quick ? 20 : 60;
  const bin = relative(repoDir, kproxyBin);
  const commands = ['node -e 0', `node ${bin} --help`];
  const hyperfine = spawnSync('hyperfine', ['--version']).status === 0;
  const [bare, kproxy] = hyperfine ? withHyperfine(commands, runs) : withSpawns(commands, runs);
  const rows = [bare!, kproxy!].map((t) => [
    `\`${t.command}\``,
    fixed(t.medianMs, 1),
    fixed(t.meanMs, 1),
    fixed(t.minMs, 1),
  ]);
  return `## 3. \`kproxy --help\` cold start

${header(run)}

${hyperfine ? `hyperfine \`-N --warmup 5 --runs ${runs}\`` : `${runs} sequential spawns each, interleaved, after 5 warm-up spawns (hyperfine not installed)`}, from the repository root; the built bin (\`pnpm --filter @kproxy/cli build\`, copied to bench/.work/ for the run).

${table(['command', 'median ms', 'mean ms', 'min ms'], rows)}

- kproxy vs bare Node (medians): ${ratio(kproxy!.medianMs / bare!.medianMs, { max: TARGET })}
`;
}
