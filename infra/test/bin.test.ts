/**
 * The app's and the OpenAPI script's command lines, as a user types them: a wrong `-c key=value` is one
 * line on stderr (no stack), and `pnpm --filter @kproxy/infra openapi --out FILE` writes FILE relative
 * to the directory the command was typed in and says what it wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { operations as contractOperations } from '@kproxy/contract';
import { expect, it } from 'vitest';

const infraDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoDir = dirname(infraDir);
const execFileAsync = promisify(execFile);

it('a bad -c authMode= prints one line, not a stack', async () => {
  // How the CDK CLI hands `-c authMode=bogus` to the app.
  const failed = await execFileAsync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: infraDir,
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ authMode: 'bogus' }),
      CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'kproxy-cdk-')),
    },
  }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed?.code).toBe(1);
  expect(failed?.stderr).toBe('error: context authMode must be one of iam, api-key, none; got "bogus"\n');
});

it('openapi --out is relative to where the command was typed, and the message counts what it wrote', async () => {
  const caller = mkdtempSync(join(tmpdir(), 'kproxy-openapi-'));
  // pnpm runs the script in infra/; -C points it at the workspace from the caller's directory.
  const { stderr } = await execFileAsync(
    'pnpm',
    ['-C', repoDir, '--filter', '@kproxy/infra', 'openapi', '--out', 'api.json'],
    {
      cwd: caller,
    },
  );
  const document = JSON.parse(readFileSync(join(caller, 'api.json'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(document.paths)
    .flatMap((item) => Object.keys(item))
    .filter((key) => key !== 'parameters');
  expect(operations).toHaveLength(Object.keys(contractOperations).length);
  expect(stderr).toMatch(
    new RegExp(
      `Wrote api\\.json: OpenAPI 3\\.0\\.\\d, ${operations.length} operations on ${Object.keys(document.paths).length} paths, [\\d.]+ KiB\\n$`,
    ),
  );
}, 60_000);

it('openapi: --help, an unknown option and an --out that cannot be written are one message each, not a stack', async () => {
  const openapi = (args: string[]) =>
    execFileAsync(process.execPath, ['--import', 'tsx', 'bin/openapi.ts', ...args], { cwd: infraDir }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  const help = await openapi(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^usage: pnpm --filter @kproxy\/infra openapi /);
  const unknown = await openapi(['--bogus']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^error: Unknown option '--bogus'\n\nusage: /);
  const missingDir = await openapi([
    '--out',
    join(mkdtempSync(join(tmpdir(), 'kproxy-openapi-')), 'no', 'api.json'),
  ]);
  expect(missingDir.code).toBe(1);
  expect(missingDir.stderr).toMatch(/^error: cannot write .*api\.json \(ENOENT\)\nhint: /);
  for (const result of [unknown, missingDir]) expect(result.stderr).not.toMatch(/\n\s+at /);
}, 60_000);
