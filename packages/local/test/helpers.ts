/** Shared pieces of the emulator tests: a silent logger and raw-fetch helpers, plain and signed. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createContext, createInput, type Logger, renderTemplate } from '../src/index.ts';

/** Collects log lines instead of printing them, so tests can assert on them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    error: (m) => lines.push(m),
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses field by field.
  body: any;
  text: string;
}

export async function request(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const body =
    init.body === undefined || typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(body !== undefined ? { body: body as string } : {}),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
export const unb64 = (data: string) => Buffer.from(data, 'base64').toString('utf8');

/** The access key the `auth: 'iam'` tests accept. */
export const KEY = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

export interface SignOptions {
  method?: string;
  body?: string;
  credentials?: typeof KEY;
  date?: Date;
  region?: string;
  service?: string;
  headers?: Record<string, string>;
}

/** Fetches `url` with a SigV4 signature for `execute-api` made by @smithy/signature-v4. */
export async function signedFetch(url: string, options: SignOptions = {}) {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: options.service ?? 'execute-api',
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? KEY,
    sha256: Sha256,
  });
  const query: Record<string, string> = Object.fromEntries(target.searchParams);
  const signed = await signer.sign(
    {
      method: options.method ?? 'GET',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query,
      headers: {
        host: target.host,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: options.body } : {}),
    },
    options.date ? { signingDate: options.date } : {},
  );
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  return {
    status: response.status,
    body: JSON.parse((await response.text()) || '{}') as Record<string, unknown>,
    headers: response.headers,
  };
}

/** Renders `template` over `body` with empty parameters and a fixed `$context`. */
export function renderWith(template: string, body = '{}'): string {
  const context = createContext({
    requestId: 'r',
    stage: 'v1',
    httpMethod: 'GET',
    resourcePath: '/x',
    path: '/v1/x',
    domainName: 'localhost',
    sourceIp: '127.0.0.1',
    userAgent: 'vitest',
  });
  return renderTemplate(template, {
    input: createInput(body, { path: {}, querystring: {}, header: {} }),
    context,
  });
}
