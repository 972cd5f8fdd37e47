/**
 * The real CDK CLI synthesizes the app offline: no AWS credentials or region, no lookups, no Docker.
 * Runs once (it takes several seconds): cdk-nag runs inside the app, so a clean exit also means the
 * AwsSolutions pack passed on the app as deployed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operations } from '@kproxy/contract';
import { afterAll, expect, it } from 'vitest';

const infraDir = dirname(dirname(fileURLToPath(import.meta.url)));
const cdkBin = join(dirname(createRequire(import.meta.url).resolve('aws-cdk/package.json')), 'bin', 'cdk');
const outDir = mkdtempSync(join(tmpdir(), 'kproxy-cdk-out-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** The caller's environment without anything that could reach an AWS account. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return {
    ...env,
    CDK_DISABLE_VERSION_CHECK: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: join(outDir, 'no-credentials'),
    AWS_CONFIG_FILE: join(outDir, 'no-config'),
  };
}

it('`cdk synth` writes a template with every method of the contract, offline and without credentials', {
  timeout: 180_000,
}, () => {
  const result = spawnSync(
    process.execPath,
    [cdkBin, 'synth', '--quiet', '--no-notices', '--output', outDir, '--context', 'authMode=iam'],
    { cwd: infraDir, env: offlineEnv(), encoding: 'utf8', timeout: 170_000 },
  );
  expect(result.stderr + result.stdout).not.toMatch(/AwsSolutions-/);
  expect(result.status, result.stderr).toBe(0);

  const template = JSON.parse(readFileSync(join(outDir, 'Kproxy.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string }>;
    Outputs: Record<string, unknown>;
  };
  const methods = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Method');
  expect(methods).toHaveLength(Object.keys(operations).length);
  expect(Object.keys(template.Outputs)).toEqual(
    expect.arrayContaining(['KproxyEndpoint', 'KproxyRegion', 'KproxyAuthMode', 'KproxyApiId']),
  );
});
