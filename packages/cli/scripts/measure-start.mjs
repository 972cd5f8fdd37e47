#!/usr/bin/env node
/**
 * Start time of the built bin next to a bare Node start, measured in one run:
 * `node packages/cli/scripts/measure-start.mjs [runs]`. Uses hyperfine when installed, otherwise
 * times N sequential spawns of each command.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kproxy.js');
const runs = Number(process.argv[2] ?? 30);
const commands = [`node -e 0`, `node ${bin} --help`];

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;
if (hasHyperfine) {
  execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(runs), ...commands], {
    stdio: 'inherit',
  });
} else {
  for (const command of commands) {
    const [file, ...args] = command.split(' ');
    const times = [];
    for (let i = 0; i < runs + 3; i++) {
      const start = performance.now();
      spawnSync(file, args, { stdio: 'ignore' });
      if (i >= 3) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `${command}: mean ${mean.toFixed(1)} ms, median ${times[times.length >> 1].toFixed(1)} ms (${runs} runs)`,
    );
  }
}
