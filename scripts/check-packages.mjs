#!/usr/bin/env node
/**
 * `pnpm check:packages`: checks every published package (each `packages/*` that is not private) as a
 * user gets it from the registry, not as the workspace sees it. Inside the workspace `exports` point at
 * `src/*.ts` and dependencies are links, so the tests cannot notice a broken tarball; this script can.
 *
 * 1. `dist/` of each package removed, so no stale file is published and the build must come from:
 * 2. `pnpm pack` of each package, whose `prepack` script builds it: the tarball `pnpm publish` would
 *    upload, with `publishConfig` applied and `workspace:`/`catalog:` ranges replaced by versions.
 * 3. On each tarball:
 *    - it holds `dist/` (built by `prepack`) and a README.md (the registry's page for the package);
 *    - publint, strict (warnings and suggestions fail too);
 *    - arethetypeswrong with the `esm-only` profile. The packages are ESM-only on purpose (Node ≥ 20.19,
 *      where `require(esm)` works; yargs and ky are ESM-only too), so the profile leaves out the
 *      `node10` and `node16-cjs` resolutions, whose only finding would be "CJS resolves to ESM".
 *      A package that exports no module (the CLI: only a bin) has no types to check and is skipped;
 *    - every module its JavaScript and declaration files import is a Node built-in, one of its
 *      `imports` (`#…`), or declared in `dependencies`/`peerDependencies` (a module that only a
 *      devDependency provides works in the workspace and breaks for users).
 * 4. All tarballs installed together into an empty project by pnpm, with hoisting off so an undeclared
 *    dependency cannot resolve by accident: Node imports every entry point, tsc type-checks them with
 *    `skipLibCheck` off, every bin answers `--help` and `--version`, and `kproxy local` serves a
 *    request made by the installed `kproxy` (the bundle finds its external engine, kinesalite).
 *
 * Exits 1 when anything fails. `--keep` keeps the temporary directory (tarballs, the install) to look at.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const started = performance.now();
let failed = false;

/** Prints one check's outcome; `problems` empty means it passed. */
function report(subject, check, problems, note = '') {
  if (problems.length === 0) {
    console.log(`✔ ${subject}: ${check}${note ? ` (${note})` : ''}`);
    return;
  }
  failed = true;
  console.log(`✖ ${subject}: ${check}`);
  for (const problem of problems) console.log(`    ${problem.replaceAll('\n', '\n    ')}`);
}

/** Runs a command to completion; rejects with its output when it exits non-zero. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, ...options }, (error, stdout, stderr) => {
      if (error) {
        const output = `${stdout}${stderr}`.trim();
        reject(
          new Error(`\`${[command, ...args].join(' ')}\` failed (${error.code ?? error.signal}):\n${output}`),
        );
      } else resolve(stdout);
    });
  });
}

/** Runs a check; an exception counts as one problem instead of ending the script. */
async function problemsOf(check) {
  try {
    return await check();
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

async function readJson(path) {
  return JSON.parse(await readFile(path, 'utf8'));
}

async function publishedPackages() {
  const packages = [];
  for (const name of (await readdir(join(root, 'packages'))).sort()) {
    const dir = join(root, 'packages', name);
    const manifest = await readJson(join(dir, 'package.json')).catch(() => undefined);
    if (manifest && !manifest.private) packages.push({ name: manifest.name, dir });
  }
  return packages;
}

/** Import specifiers of a package's entry points: `@kproxy/local`, `@kproxy/local/testing`, … */
function entryPoints(manifest) {
  return Object.keys(manifest.exports ?? {})
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}${key.slice(1)}`));
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

// --- checks on one tarball ---------------------------------------------------------------------------

async function checkReadme(pkg) {
  const readme = await readFile(join(pkg.root, 'README.md'), 'utf8').catch(() => '');
  return readme.trim() ? [] : ['the tarball has no README.md (or an empty one)'];
}

/** `pnpm pack` (and `npm pack`) run `prepack`, which builds: the tarball must carry what it built. */
async function checkBuilt(pkg) {
  const built = await readdir(join(pkg.root, 'dist')).catch(() => []);
  return built.length > 0 ? [] : ['the tarball has no dist/: is there a prepack script that builds it?'];
}

/**
 * `npm pack` would copy `workspace:*`/`catalog:` ranges into a tarball that cannot be installed; the
 * `prepack` guard (scripts/refuse-npm-pack.mjs) must stop it and name `pnpm pack` instead.
 */
async function checkNpmPackRefused(pkg) {
  try {
    // Without pnpm's user agent, which this script inherits and npm would take as its own setting.
    const { npm_config_user_agent: _, ...env } = process.env;
    await run('npm', ['pack', '--dry-run'], { cwd: pkg.dir, env });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.includes('run `pnpm pack`')
      ? []
      : [`npm pack failed without the guard's message:\n${message}`];
  }
  return ['npm pack succeeded: its tarball would keep workspace:/catalog: ranges and not install'];
}

async function checkPublint(pkg) {
  const data = await readFile(pkg.tarball);
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const { messages, pkg: manifest } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
  return messages.map((message) => `${message.type}: ${formatMessage(message, manifest, { color: false })}`);
}

const attwBin = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');

async function checkTypes(pkg) {
  const args = ['--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii', '--no-emoji'];
  await run(process.execPath, [attwBin, pkg.tarball, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  return [];
}

const builtins = new Set(builtinModules);

/** The package a bare specifier names: `zod/mini` → `zod`, `@smithy/types/x` → `@smithy/types`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function checkDeclaredImports(pkg) {
  const { manifest } = pkg;
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const problems = [];
  for (const file of await filesUnder(pkg.root)) {
    if (!/\.(m?js|d\.m?ts)$/.test(file)) continue;
    // preProcessFile finds static and dynamic imports, re-exports, `import("…")` types and top-level
    // `require` calls without parsing whole files, which keeps a 5 MB bundle fast to scan.
    const { importedFiles } = ts.preProcessFile(await readFile(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (/^[./#]/.test(specifier) || specifier.startsWith('node:')) continue;
      const name = packageOf(specifier);
      if (builtins.has(name) || declared.has(name)) continue;
      problems.push(`${relative(pkg.root, file)} imports "${specifier}", but ${name} is not a dependency`);
    }
  }
  return [...new Set(problems)];
}

// --- all tarballs installed together -----------------------------------------------------------------

async function install(packages, app) {
  await mkdir(app);
  const tarballs = Object.fromEntries(packages.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  const manifest = { name: 'kproxy-install-check', private: true, type: 'module', dependencies: tarballs };
  await writeFile(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // JSON is YAML. The overrides make the packages' dependencies on each other (`@kproxy/contract@0.1.0`)
  // resolve to these tarballs instead of the registry. LevelDB (kinesalite's store) has an install script.
  const settings = { overrides: tarballs, hoist: false, allowBuilds: { leveldown: true } };
  await writeFile(join(app, 'pnpm-workspace.yaml'), `${JSON.stringify(settings, null, 2)}\n`);
  await run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], { cwd: app });
  return [];
}

async function checkRuntimeImports(specifiers, app) {
  const code = specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join('\n');
  await run(process.execPath, ['--input-type=module', '--eval', code], { cwd: app });
  return [];
}

async function checkTypeImports(specifiers, app) {
  const file = join(app, 'check.ts');
  const lines = specifiers.map((specifier, i) => `import * as m${i} from ${JSON.stringify(specifier)};`);
  lines.push(`export const modules = [${specifiers.map((_, i) => `m${i}`).join(', ')}];`);
  await writeFile(file, `${lines.join('\n')}\n`);
  // What a strict Node.js consumer compiles with; skipLibCheck off so errors inside the packages'
  // declaration files (an unresolvable import, a missing type) are reported.
  const options = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options));
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => app, getNewLine: () => '\n' };
  return diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, host).trim());
}

async function checkBin(pkg, bin, app) {
  const path = join(app, 'node_modules', '.bin', bin);
  await run(path, ['--help'], { cwd: app });
  const version = (await run(path, ['--version'], { cwd: app })).trim();
  return version === pkg.manifest.version
    ? []
    : [`--version printed "${version}", not ${pkg.manifest.version}`];
}

/** Starts the installed `kproxy local`, creates and lists a stream through it with the installed CLI. */
async function checkKproxyLocal(app) {
  const kproxy = join(app, 'node_modules', '.bin', 'kproxy');
  const server = spawn(kproxy, ['local', '--port', '0', '--in-memory', '--auth', 'none', '--quiet'], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  try {
    const endpoint = await new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`no endpoint after 20 s:\n${stderr}`)), 20_000);
      server.stdout.on('data', (chunk) => {
        stdout += chunk;
        const url = stdout.match(/^http:\/\/\S+/m)?.[0];
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      });
      exited.then((code) => reject(new Error(`kproxy local exited (${code}):\n${stderr}`)));
    });
    const target = ['--endpoint', endpoint, '--auth', 'none'];
    await run(kproxy, [...target, 'create-stream', 'install-check', '--shard-count', '1'], { cwd: app });
    const streams = await run(kproxy, [...target, 'list-streams'], { cwd: app });
    return streams.includes('install-check') ? [] : [`list-streams did not show the new stream:\n${streams}`];
  } finally {
    server.kill('SIGTERM');
    await exited;
  }
}

// --- main --------------------------------------------------------------------------------------------

const packages = await publishedPackages();
if (packages.length === 0) throw new Error('no published package found under packages/');
const work = await mkdtemp(join(tmpdir(), 'kproxy-packages-'));
try {
  await Promise.all(packages.map((pkg) => rm(join(pkg.dir, 'dist'), { recursive: true, force: true })));

  await Promise.all(
    packages.map(async (pkg) => {
      const packed = await run('pnpm', ['pack', '--pack-destination', work, '--json'], { cwd: pkg.dir });
      pkg.tarball = JSON.parse(packed.slice(packed.indexOf('{'))).filename;
      const extracted = join(work, 'extracted', pkg.name);
      await mkdir(extracted, { recursive: true });
      await run('tar', ['-xzf', pkg.tarball, '-C', extracted]);
      pkg.root = join(extracted, 'package');
      pkg.manifest = await readJson(join(pkg.root, 'package.json'));
    }),
  );

  const results = await Promise.all(
    packages.map(async (pkg) => ({
      built: await problemsOf(() => checkBuilt(pkg)),
      readme: await problemsOf(() => checkReadme(pkg)),
      publint: await problemsOf(() => checkPublint(pkg)),
      types: entryPoints(pkg.manifest).length > 0 ? await problemsOf(() => checkTypes(pkg)) : undefined,
      imports: await problemsOf(() => checkDeclaredImports(pkg)),
      npmPack: await problemsOf(() => checkNpmPackRefused(pkg)),
    })),
  );
  packages.forEach((pkg, i) => {
    const result = results[i];
    report(pkg.name, 'dist/ built by prepack', result.built);
    report(pkg.name, 'README.md', result.readme);
    report(pkg.name, 'publint', result.publint);
    if (result.types) report(pkg.name, 'arethetypeswrong', result.types, 'profile esm-only');
    else report(pkg.name, 'arethetypeswrong', [], 'skipped: exports no module, only a bin');
    report(pkg.name, 'imports only declared dependencies', result.imports);
    report(pkg.name, 'npm pack refused, naming pnpm pack', result.npmPack);
  });

  const app = join(work, 'app');
  const installed = await problemsOf(() => install(packages, app));
  report('install', 'all tarballs into an empty project (pnpm, no hoisting)', installed);
  if (installed.length === 0) {
    const specifiers = packages.flatMap((pkg) => entryPoints(pkg.manifest));
    report(
      'install',
      `node imports ${specifiers.join(', ')}`,
      await problemsOf(() => checkRuntimeImports(specifiers, app)),
    );
    report(
      'install',
      'tsc type-checks them (NodeNext, strict, skipLibCheck off)',
      await problemsOf(() => checkTypeImports(specifiers, app)),
    );
    for (const pkg of packages) {
      for (const bin of Object.keys(pkg.manifest.bin ?? {})) {
        report('install', `${bin} --help, --version`, await problemsOf(() => checkBin(pkg, bin, app)));
      }
    }
    if (packages.some((pkg) => pkg.manifest.bin?.kproxy)) {
      report(
        'install',
        'kproxy local serves the installed kproxy',
        await problemsOf(() => checkKproxyLocal(app)),
      );
    }
  }
} catch (error) {
  failed = true;
  console.error(error instanceof Error ? error.message : error);
} finally {
  if (keep) console.log(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}

console.log(
  `${failed ? 'FAILED' : 'all packages clean'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exitCode = failed ? 1 : 0;
