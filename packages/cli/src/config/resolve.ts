/**
 * Resolves the connection settings of one invocation. Each setting comes from the first layer that has
 * it:
 *
 * 1. flags (`--endpoint`, …), then the outputs file named by `--stack-outputs`;
 * 2. environment (`KPROXY_ENDPOINT`, `AWS_REGION`, …), then the outputs file named by `KPROXY_STACK_OUTPUTS`;
 * 3. the selected profile of the config file (then the outputs file it names);
 * 4. for the region when signing with IAM: the AWS profile's `region` in `~/.aws/config`, as `aws` reads it;
 * 5. defaults: the local emulator's endpoint (`http://127.0.0.1:4600/v1`), no auth on loopback, SigV4
 *    elsewhere.
 *
 * One exception: an `execute-api.<region>.amazonaws.com` endpoint can only be signed for its own
 * region, so that region wins over the environment and the config file (an explicit `--region` still
 * wins, for custom domains and tests).
 */
import { executeApiRegion, LIMITS, LOCAL_DEFAULT_ENDPOINT, LOCAL_DEFAULTS } from '@kproxy/contract';
import { UsageError } from '../core/errors.ts';
import type { GlobalArgs } from '../core/global-options.ts';
import {
  AUTH_MODES,
  type AuthMode,
  configFilePath,
  type ProfileSettings,
  readConfigFile,
} from './config-file.ts';
import { readStackOutputs } from './stack-outputs.ts';

export type SettingSource =
  | 'flag'
  | 'env'
  | 'stack-outputs'
  | 'config'
  | 'endpoint'
  | 'aws-config'
  | 'default';

export interface Settings {
  endpoint: string;
  region: string;
  auth: AuthMode;
  apiKey: string | undefined;
  /** AWS shared-config profile for credentials; undefined = the SDK's default chain. */
  awsProfile: string | undefined;
  /** Request timeout in milliseconds; undefined = the client's default. */
  timeoutMs: number | undefined;
  /** `--max-record-size` in bytes; undefined = the client's default (Kinesis's 1 MiB). */
  maxRecordBytes: number | undefined;
  /** The config-file profile that was selected. */
  profile: string;
  configPath: string;
  /** Where each setting came from (`kproxy configure --show` prints it). */
  sources: Record<'endpoint' | 'region' | 'auth' | 'apiKey' | 'timeout', SettingSource>;
}

type Layer = { source: SettingSource; values: ProfileSettings };

type Env = Readonly<Record<string, string | undefined>>;

export async function resolveSettings(args: GlobalArgs, env: Env): Promise<Settings> {
  const profile = args.profile ?? env.KPROXY_PROFILE ?? env.AWS_PROFILE ?? 'default';
  const profileGiven = args.profile !== undefined || env.KPROXY_PROFILE !== undefined;
  const configPath = configFilePath(env);
  const config = await readConfigFile(configPath);
  const fromConfig = config.profiles[profile] ?? {};

  const layers: Layer[] = [
    {
      source: 'flag',
      values: {
        endpoint: args.endpoint,
        region: args.region,
        auth: args.auth,
        apiKey: args.apiKey,
        timeout: args.timeout,
      },
    },
  ];
  if (args.stackOutputs)
    layers.push({ source: 'stack-outputs', values: await readStackOutputs(args.stackOutputs) });
  layers.push({
    source: 'env',
    values: {
      endpoint: env.KPROXY_ENDPOINT || undefined,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
      auth: parseAuth(env.KPROXY_AUTH, 'KPROXY_AUTH'),
      apiKey: env.KPROXY_API_KEY || undefined,
      timeout: parseTimeout(env.KPROXY_TIMEOUT, 'KPROXY_TIMEOUT'),
    },
  });
  if (env.KPROXY_STACK_OUTPUTS) {
    layers.push({ source: 'stack-outputs', values: await readStackOutputs(env.KPROXY_STACK_OUTPUTS) });
  }
  layers.push({ source: 'config', values: fromConfig });
  if (fromConfig.stackOutputs) {
    layers.push({ source: 'stack-outputs', values: await readStackOutputs(fromConfig.stackOutputs) });
  }

  const pick = <K extends keyof Layer['values']>(key: K) => {
    for (const layer of layers) {
      const value = layer.values[key];
      if (value !== undefined && value !== '') return { value, source: layer.source };
    }
    return undefined;
  };

  const endpointPick = pick('endpoint');
  const endpoint = endpointPick?.value ?? LOCAL_DEFAULT_ENDPOINT;
  const url = parseEndpoint(endpoint);

  const apiKeyPick = pick('apiKey');
  const authPick = pick('auth');
  const auth: { value: AuthMode; source: SettingSource } = authPick
    ? {
        value: parseAuth(authPick.value, whereFrom('auth', authPick.source, profile))!,
        source: authPick.source,
      }
    : { value: apiKeyPick ? 'api-key' : isLoopback(url) ? 'none' : 'iam', source: 'default' };
  if (auth.value === 'api-key' && !apiKeyPick) {
    throw new UsageError(
      '--auth api-key needs an API key.',
      'Pass --api-key KEY, set KPROXY_API_KEY, or store one with `kproxy configure --api-key KEY`.',
    );
  }
  const awsProfile = fromConfig.awsProfile ?? (profileGiven ? profile : undefined);

  const hostRegion = executeApiRegion(url.hostname);
  const regionPick = pick('region');
  let region: { value: string; source: SettingSource };
  if (regionPick?.source === 'flag') region = { value: regionPick.value, source: 'flag' };
  else if (hostRegion) region = { value: hostRegion, source: 'endpoint' };
  else if (regionPick) region = regionPick;
  else {
    // Signing needs the API's region; an AWS profile's own region is what `aws` would use.
    const fromAws =
      auth.value === 'iam'
        ? await import('./aws-config.ts').then(({ awsProfileRegion }) =>
            awsProfileRegion(awsProfile ?? (env.AWS_PROFILE || 'default'), env),
          )
        : undefined;
    region = fromAws
      ? { value: fromAws, source: 'aws-config' }
      : { value: LOCAL_DEFAULTS.region, source: 'default' };
  }

  const timeoutPick = pick('timeout');

  return {
    endpoint: url.href.replace(/\/$/, ''),
    region: region.value,
    auth: auth.value,
    apiKey: apiKeyPick?.value,
    awsProfile,
    maxRecordBytes: parseRecordSize(
      args.maxRecordSize ?? (env.KPROXY_MAX_RECORD_SIZE || undefined),
      args.maxRecordSize !== undefined ? '--max-record-size' : 'KPROXY_MAX_RECORD_SIZE',
    ),
    timeoutMs: timeoutPick
      ? parseTimeout(timeoutPick.value, whereFrom('timeout', timeoutPick.source, profile))! * 1000
      : undefined,
    profile,
    configPath,
    sources: {
      endpoint: endpointPick?.source ?? 'default',
      region: region.source,
      auth: auth.source,
      apiKey: apiKeyPick?.source ?? 'default',
      timeout: timeoutPick?.source ?? 'default',
    },
  };
}

/** True for the endpoint a user gets when nothing is configured: worth a "start `kproxy local`" hint. */
export function isLocalDefaultEndpoint(settings: Pick<Settings, 'endpoint'>): boolean {
  return settings.endpoint === LOCAL_DEFAULT_ENDPOINT;
}

function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(
      `Invalid endpoint "${endpoint}".`,
      'Give the stage URL, e.g. http://127.0.0.1:4600/v1.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Invalid endpoint "${endpoint}": only http and https URLs are supported.`);
  }
  return url;
}

function isLoopback(url: URL): boolean {
  return (
    ['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(url.hostname) || url.hostname.startsWith('127.')
  );
}

/** Where a setting's value came from, as the user would find it: `--timeout`, `profile "dev" of the config file`. */
function whereFrom(key: 'auth' | 'timeout', source: SettingSource, profile: string): string {
  if (source === 'flag') return `--${key}`;
  if (source === 'config') return `${key} of profile "${profile}" in the config file`;
  return `${key} of ${source}`;
}

function parseAuth(value: string | undefined, from: string): AuthMode | undefined {
  if (value === undefined || value === '') return undefined;
  if ((AUTH_MODES as readonly string[]).includes(value)) return value as AuthMode;
  throw new UsageError(
    `Invalid auth mode "${value}" (from ${from}).`,
    `Use one of: ${AUTH_MODES.join(', ')}.`,
  );
}

function parseTimeout(value: string | number | undefined, from: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`Invalid timeout "${value}" (from ${from}).`, 'Give a number of seconds, e.g. 30.');
  }
  return seconds;
}

const SIZE_UNITS = { b: 1, kib: 1024, mib: 1024 * 1024 } as const;

/** `1048576`, `512KiB`, `10MiB` → bytes. */
export function parseRecordSize(value: string | undefined, from: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kib|mib)?$/i.exec(value.trim());
  const bytes = match
    ? Math.floor(Number(match[1]) * SIZE_UNITS[(match[2]?.toLowerCase() ?? 'b') as keyof typeof SIZE_UNITS])
    : Number.NaN;
  if (!(bytes >= 1) || bytes > LIMITS.maxRaisedRecordBytes) {
    throw new UsageError(
      `${from} "${value}" is not a record size from 1 byte to 10MiB.`,
      'Give bytes or KiB/MiB, e.g. 2MiB; Kinesis takes records up to 10 MiB once the stream allows them (aws kinesis update-max-record-size).',
    );
  }
  return bytes;
}
