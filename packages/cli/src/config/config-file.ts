/**
 * The config file `kproxy configure` writes: named profiles of connection settings.
 *
 * ```json
 * { "profiles": { "default": { "endpoint": "https://…/v1", "region": "eu-west-1", "auth": "iam" } } }
 * ```
 *
 * Location: `$KPROXY_CONFIG`, else `$XDG_CONFIG_HOME/kproxy/config.json`, else
 * `~/.config/kproxy/config.json`. Written with mode 0600 because a profile may hold an API key.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../core/errors.ts';

export const AUTH_MODES = ['iam', 'api-key', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export interface ProfileSettings {
  /** Stage URL of the API. */
  endpoint?: string;
  /** AWS region for SigV4 signing. */
  region?: string;
  auth?: AuthMode;
  /** Sent as `x-api-key` when `auth` is `api-key`. */
  apiKey?: string;
  /** AWS shared-config profile to take credentials from (default: the kproxy profile's name). */
  awsProfile?: string;
  /** Request timeout in seconds. */
  timeout?: number;
  /** A `cdk deploy --outputs-file` JSON to take endpoint, region and auth from. */
  stackOutputs?: string;
}

export interface ConfigFile {
  profiles: Record<string, ProfileSettings>;
}

export const PROFILE_KEYS = [
  'endpoint',
  'region',
  'auth',
  'apiKey',
  'awsProfile',
  'timeout',
  'stackOutputs',
] as const satisfies readonly (keyof ProfileSettings)[];

export function configFilePath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.KPROXY_CONFIG) return env.KPROXY_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'kproxy', 'config.json');
}

/** The config file's profiles; an absent file is an empty config, a malformed one an error. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw new CliError(`Cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `The config file ${path} is not valid JSON: ${(error as Error).message}`,
      'Fix it by hand or run `kproxy configure` again.',
    );
  }
  const profiles = (parsed as Partial<ConfigFile> | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new CliError(
      `The config file ${path} has no "profiles" object.`,
      'Expected {"profiles": {"default": {"endpoint": "…"}}}; run `kproxy configure` to write one.',
    );
  }
  return { profiles: profiles as Record<string, ProfileSettings> };
}

/** Writes the config atomically (temp file + rename) and readable by its owner only. */
export async function writeConfigFile(path: string, config: ConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
