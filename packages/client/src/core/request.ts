/**
 * One API call: the request is built from the contract's operation (method, path, parameter names and
 * places), every attempt is authorized afresh and sent, and the answer is classified and validated
 * against the operation's `output` schema.
 */
import { expandPath, type OperationSpec } from '@kproxy/contract';
import type { Authorizer } from '../auth/authorizer.ts';
import { apiErrorFromResponse, kinesisTypeOf } from '../errors/classify.ts';
import { InputError } from '../errors/InputError.ts';
import { ResponseValidationError } from '../errors/ResponseValidationError.ts';
import type { ClientHooks, Clock, RequestOptions } from '../types/options.ts';
import { redactHeaders } from './redact.ts';
import { withRetries } from './retry.ts';
import { send } from './transport.ts';

export interface RequestContext {
  /** The stage URL without a trailing slash. */
  endpoint: string;
  authorize: Authorizer;
  fetch: typeof fetch;
  timeout: number;
  maxRetries: number;
  headers: Record<string, string>;
  hooks: ClientHooks;
  clock: Clock;
}

/** Values of an operation's parameters, by their contract names (`stream-name`, `Shard-Iterator`). */
export type ParamValues = Readonly<Record<string, string | undefined>>;

/** `exclusive-start-stream-name` → `exclusiveStartStreamName`: how parameters are named in messages. */
const fieldName = (param: string): string =>
  param.toLowerCase().replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Builds the URL and headers of an operation; checks each parameter against its contract schema. */
export function buildRequest(
  context: RequestContext,
  op: OperationSpec,
  values: ParamValues,
): { url: string; headers: Record<string, string> } {
  const path: Record<string, string> = {};
  const query: string[] = [];
  const headers: Record<string, string> = {};
  for (const key of Object.keys(values)) {
    if (!op.params.some((p) => p.name === key)) throw new TypeError(`${op.id} has no parameter "${key}"`);
  }
  for (const param of op.params) {
    const value = values[param.name];
    if (value === undefined) {
      if (param.required) throw new InputError(fieldName(param.name), 'is required', param.description);
      continue;
    }
    if (!param.schema.safeParse(value).success) {
      throw new InputError(fieldName(param.name), `is invalid (${JSON.stringify(value)})`, param.description);
    }
    if (param.in === 'path') path[param.name] = value;
    else if (param.in === 'query')
      query.push(`${encodeURIComponent(param.name)}=${encodeURIComponent(value)}`);
    else headers[param.name.toLowerCase()] = value;
  }
  const url = `${context.endpoint}${expandPath(op.path, path)}${query.length ? `?${query.join('&')}` : ''}`;
  return { url, headers };
}

/**
 * Sends an operation and returns its validated output. `body` is the exact JSON text to send (built by
 * the caller from the contract's request model types).
 */
export async function callOperation<Op extends OperationSpec>(
  context: RequestContext,
  op: Op,
  values: ParamValues,
  body: string | undefined,
  options: RequestOptions = {},
): Promise<Op['output']['_zod']['output']> {
  const built = buildRequest(context, op, values);
  const url = new URL(built.url);
  const baseHeaders: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(context.headers)) baseHeaders[name.toLowerCase()] = value;
  if (body !== undefined) baseHeaders['content-type'] = 'application/json';
  Object.assign(baseHeaders, built.headers);
  const timeout = options.timeout ?? context.timeout;
  const { clock, hooks } = context;

  return withRetries(
    async (attempt) => {
      options.signal?.throwIfAborted();
      const headers = await context.authorize(
        { method: op.method, url, headers: baseHeaders, body },
        new Date(clock.now()),
      );
      const info = { method: op.method, url: built.url, headers: redactHeaders(headers), body, attempt };
      hooks.onRequest?.(info);
      const started = clock.now();
      let response: Awaited<ReturnType<typeof send>>;
      try {
        response = await send(
          { method: op.method, url: built.url, headers, body },
          { fetch: context.fetch, timeout, signal: options.signal },
        );
      } catch (error) {
        hooks.onResponse?.({
          ...info,
          status: undefined,
          ms: clock.now() - started,
          responseHeaders: {},
          responseBody: undefined,
          error,
        });
        throw error;
      }
      hooks.onResponse?.({
        ...info,
        status: response.status,
        ms: clock.now() - started,
        responseHeaders: response.headers,
        responseBody: response.text,
      });
      return parseResponse(op, built.url, response);
    },
    { maxRetries: options.maxRetries ?? context.maxRetries, clock, signal: options.signal },
  );
}

function parseResponse<Op extends OperationSpec>(
  op: Op,
  url: string,
  response: Awaited<ReturnType<typeof send>>,
): Op['output']['_zod']['output'] {
  let body: unknown;
  let isJson = true;
  try {
    body = response.text.trim() === '' ? {} : JSON.parse(response.text);
  } catch {
    body = response.text;
    isJson = false;
  }
  if (response.status >= 400 || kinesisTypeOf(body) !== undefined) {
    throw apiErrorFromResponse({
      status: response.status,
      body,
      headers: response.headers,
      method: op.method,
      url,
    });
  }
  if (!isJson) {
    throw new ResponseValidationError(`${op.id}: the response is not JSON (HTTP ${response.status})`, {
      body,
      status: response.status,
      url,
    });
  }
  const result = op.output.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    const summary = issues
      .slice(0, 3)
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new ResponseValidationError(
      `${op.id}: the response does not match the ${op.action} output schema (${summary})`,
      { body, status: response.status, url, issues },
    );
  }
  return result.data;
}
