/**
 * Reads connection settings from the outputs of a deployed kproxy stack, as written by
 * `cdk deploy --outputs-file outputs.json`: `{"<StackName>": {"KproxyEndpoint": …, "KproxyRegion": …,
 * "KproxyAuthMode": …}}`.
 */
import { readFile } from 'node:fs/promises';
import { STACK_OUTPUTS } from '@kproxy/contract';
import { CliError } from '../core/errors.ts';
import type { ProfileSettings } from './config-file.ts';

const OUTPUT_NAMES = {
  endpoint: STACK_OUTPUTS.endpoint,
  region: STACK_OUTPUTS.region,
  auth: STACK_OUTPUTS.authMode,
} as const;

/** An output key as CDK writes it: exact, or with the hash suffix of a construct-scoped logical id. */
function findOutput(outputs: Record<string, unknown>, name: string): string | undefined {
  const key =
    Object.keys(outputs).find((k) => k === name) ?? Object.keys(outputs).find((k) => k.startsWith(name));
  const value = key === undefined ? undefined : outputs[key];
  return typeof value === 'string' ? value : undefined;
}

export async function readStackOutputs(path: string): Promise<ProfileSettings> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new CliError(
      `Cannot read stack outputs from ${path}: ${(error as Error).message}`,
      'Write it with `cdk deploy --outputs-file <file>` in infra/.',
    );
  }
  const stacks = Object.entries((parsed ?? {}) as Record<string, unknown>).filter(
    (entry): entry is [string, Record<string, unknown>] => typeof entry[1] === 'object' && entry[1] !== null,
  );
  const stack = stacks.find(([, outputs]) => findOutput(outputs, OUTPUT_NAMES.endpoint) !== undefined);
  if (!stack) {
    throw new CliError(
      `No stack in ${path} has a ${OUTPUT_NAMES.endpoint} output.`,
      'Pass the outputs file of a deployed kproxy stack (`cdk deploy --outputs-file <file>`).',
    );
  }
  const [, outputs] = stack;
  const auth = findOutput(outputs, OUTPUT_NAMES.auth)?.toLowerCase();
  const settings: ProfileSettings = { endpoint: findOutput(outputs, OUTPUT_NAMES.endpoint)! };
  const region = findOutput(outputs, OUTPUT_NAMES.region);
  if (region) settings.region = region;
  if (auth === 'iam' || auth === 'none') settings.auth = auth;
  if (auth === 'api-key' || auth === 'apikey' || auth === 'api_key') settings.auth = 'api-key';
  return settings;
}
