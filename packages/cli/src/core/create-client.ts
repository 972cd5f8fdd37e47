/**
 * Builds the `KproxyClient` for the resolved settings. Under `--debug` the client's hooks print every
 * attempt's request and response on stderr; the client has already redacted credentials, and the
 * SigV4 signature is masked here too.
 */
import { type AuthOptions, KproxyClient, type RequestInfo, type ResponseInfo } from '@kproxy/client';
import type { Settings } from '../config/resolve.ts';
import type { GlobalArgs } from './global-options.ts';
import type { Output } from './output.ts';

export function createClient(settings: Settings, out: Output, _globals: GlobalArgs): KproxyClient {
  return new KproxyClient({
    endpoint: settings.endpoint,
    region: settings.region,
    auth: authOptions(settings),
    ...(settings.timeoutMs !== undefined ? { timeout: settings.timeoutMs } : {}),
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

function authOptions(settings: Settings): AuthOptions {
  switch (settings.auth) {
    case 'iam':
      return { type: 'sigv4', region: settings.region, profile: settings.awsProfile };
    case 'api-key':
      return { type: 'apiKey', apiKey: settings.apiKey! };
    case 'none':
      return { type: 'none' };
  }
}

const MAX_BODY = 2000;

function debugRequest(out: Output, info: RequestInfo): void {
  out.debug(`→ ${info.method} ${info.url}${info.attempt > 1 ? ` (attempt ${info.attempt})` : ''}`);
  out.debug(`  headers ${JSON.stringify(maskSignature(info.headers))}`);
  if (info.body !== undefined) out.debug(`  body ${truncate(info.body)}`);
}

function debugResponse(out: Output, info: ResponseInfo): void {
  const status =
    info.status ?? `no response (${info.error instanceof Error ? info.error.message : String(info.error)})`;
  out.debug(`← ${status} ${info.method} ${info.url} in ${Math.round(info.ms)} ms`);
  out.debug(`  headers ${JSON.stringify(info.responseHeaders)}`);
  if (info.responseBody !== undefined) out.debug(`  body ${truncate(info.responseBody)}`);
}

/** The client redacts credentials; belt and braces, no header that carries a signature or key is shown. */
function maskSignature(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    masked[name] = /^(authorization|x-amz-security-token|x-api-key)$/i.test(name) ? '[redacted]' : value;
  }
  return masked;
}

function truncate(text: string): string {
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}… (${text.length} chars)` : text;
}
