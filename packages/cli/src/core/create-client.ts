/**
 * Builds the `KproxyClient` for the resolved settings. Under `--debug` the client's hooks print every
 * attempt's request and response on stderr. The client's hooks never see a secret: `Authorization`
 * (the SigV4 signature), `X-Amz-Security-Token` and `x-api-key` arrive as `[REDACTED]`.
 */
import {
  type AuthOptions,
  type ClientLimits,
  DEFAULT_LIMITS,
  KproxyClient,
  type RequestInfo,
  type ResponseInfo,
} from '@kproxy/client';
import type { Settings } from '../config/resolve.ts';
import type { Output } from './output.ts';

export function createClient(settings: Settings, out: Output, env: Env): KproxyClient {
  return new KproxyClient({
    endpoint: settings.endpoint,
    region: settings.region,
    auth: authOptions(settings, env),
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
    ...(settings.maxRecordBytes !== undefined ? { limits: recordLimits(settings.maxRecordBytes) } : {}),
    ...(out.isDebug
      ? {
          hooks: {
            onRequest: (info) => debugRequest(out, info),
            onResponse: (info) => debugResponse(out, info),
          },
        }
      : {}),
  });
}

type Env = Readonly<Record<string, string | undefined>>;

/** `--max-record-size`; a PutRecords batch must still be able to hold one such record. */
function recordLimits(maxRecordBytes: number): Partial<ClientLimits> {
  return {
    maxRecordBytes,
    maxBatchBytes: Math.max(maxRecordBytes, DEFAULT_LIMITS.maxBatchBytes),
  };
}

function authOptions(settings: Settings, env: Env): AuthOptions {
  switch (settings.auth) {
    case 'iam': {
      // Keys in the environment kproxy was given (not only process.env) sign directly, as the AWS
      // default chain would; otherwise the chain runs (profiles, SSO, roles), with --profile if given.
      const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
      if (accessKeyId && secretAccessKey && !settings.awsProfile) {
        const credentials = {
          accessKeyId,
          secretAccessKey,
          sessionToken: env.AWS_SESSION_TOKEN || undefined,
        };
        return { type: 'sigv4', region: settings.region, credentials };
      }
      return { type: 'sigv4', region: settings.region, profile: settings.awsProfile };
    }
    case 'api-key':
      return { type: 'apiKey', apiKey: settings.apiKey! };
    case 'none':
      return { type: 'none' };
  }
}

const MAX_BODY = 2000;

function debugRequest(out: Output, info: RequestInfo): void {
  out.debug(`→ ${info.method} ${info.url}${info.attempt > 1 ? ` (attempt ${info.attempt})` : ''}`);
  out.debug(`  headers ${JSON.stringify(info.headers)}`);
  if (info.body !== undefined) out.debug(`  body ${truncate(info.body)}`);
}

function debugResponse(out: Output, info: ResponseInfo): void {
  const status =
    info.status ?? `no response (${info.error instanceof Error ? info.error.message : String(info.error)})`;
  out.debug(`← ${status} ${info.method} ${info.url} in ${Math.round(info.ms)} ms`);
  out.debug(`  headers ${JSON.stringify(info.responseHeaders)}`);
  if (info.responseBody !== undefined) out.debug(`  body ${truncate(info.responseBody)}`);
}

function truncate(text: string): string {
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}… (${text.length} chars)` : text;
}
