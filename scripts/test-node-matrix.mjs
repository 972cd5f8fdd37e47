#!/usr/bin/env node
/**
 * `pnpm test:node-matrix [major…]`: under each supported Node major other than the machine's (22, 24
 * and 26 by default), one after another, runs the client and e2e suites (the e2e suite drives the
 * built CLI and the emulator) and synthesizes the CDK app (`cdk synth`, cdk-nag included), and says
 * what each cost.
 *
 * The Node binaries come from the npm registry's `node-<platform>-<arch>` packages, installed into
 * `.cache/node-<major>/` (gitignored, reused by later runs) — never into the workspace. vitest itself
 * runs under that binary, and its PATH starts with the binary's folder, so every child process the tests
 * spawn (`process.execPath`, or `node` by name) is the same Node.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_MAJORS = ['22', '24', '26'];
const PROJECTS = ['client', 'e2e'];

const majors = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_MAJORS;
for (const major of majors) {
  if (!/^\d+$/.test(major)) {
    console.error(`test-node-matrix: "${major}" is not a Node major version (e.g. 24)`);
    process.exit(2);
  }
}

const packageName = `node-${process.platform}-${process.arch}`;
const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const cdk = join(repo, 'infra', 'node_modules', 'aws-cdk', 'bin', 'cdk');

/** The binary of Node `major`, installed from the npm registry on first use. */
function nodeBinary(major) {
  const prefix = join(repo, '.cache', `node-${major}`);
  const binary = join(prefix, 'node_modules', packageName, 'bin', 'node');
  if (!existsSync(binary) || !versionOf(binary)?.startsWith(`v${major}.`)) {
    console.error(`test-node-matrix: installing ${packageName}@${major} into .cache/node-${major}/`);
    const npm = spawnSync(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        `${packageName}@${major}`,
      ],
      { stdio: 'inherit' },
    );
    if (npm.status !== 0 || !existsSync(binary)) {
      throw new Error(`could not install ${packageName}@${major} (npm exited with ${npm.status})`);
    }
  }
  return binary;
}

function versionOf(binary) {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const results = [];
for (const major of majors) {
  const started = performance.now();
  let binary;
  try {
    binary = nodeBinary(major);
  } catch (error) {
    results.push({ version: `${major} (not installed)`, suites: false, synth: false, seconds: [0, 0] });
    console.error(`test-node-matrix: ${error.message}`);
    continue;
  }
  const installed = (performance.now() - started) / 1000;
  const version = versionOf(binary);
  console.error(
    `\ntest-node-matrix: Node ${version}: vitest run ${PROJECTS.map((p) => `--project ${p}`).join(' ')}`,
  );
  const env = { ...process.env, PATH: `${dirname(binary)}:${process.env.PATH ?? ''}` };
  const t0 = performance.now();
  const suites = spawnSync(binary, [vitest, 'run', ...PROJECTS.flatMap((p) => ['--project', p])], {
    cwd: repo,
    stdio: 'inherit',
    env,
  });
  const t1 = performance.now();
  console.error(`\ntest-node-matrix: Node ${version}: cdk synth (infra)`);
  const synth = spawnSync(binary, [cdk, 'synth', '--quiet'], {
    cwd: join(repo, 'infra'),
    stdio: 'inherit',
    env: { ...env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  const t2 = performance.now();
  results.push({
    version,
    suites: suites.status === 0,
    synth: synth.status === 0,
    seconds: [(t1 - t0) / 1000, (t2 - t1) / 1000],
    note: installed > 1 ? `, install ${installed.toFixed(1)} s` : '',
  });
}

const status = (ok) => (ok ? 'passed' : 'FAILED');
console.error('\ntest-node-matrix:');
for (const r of results) {
  const [suites, synth] = r.seconds.map((t) => `${t.toFixed(1)} s`);
  console.error(
    `  Node ${r.version}: client + e2e ${status(r.suites)} in ${suites}; cdk synth ${status(r.synth)} in ${synth}${r.note ?? ''}`,
  );
}
process.exit(results.every((r) => r.suites && r.synth) ? 0 : 1);
