/**
 * Sends one attempt over ky and reads the whole answer. Retries, errors by status and parsing are the
 * caller's: ky runs with `retry: 0` and `throwHttpErrors: false`, and only network failures and
 * timeouts become errors here.
 */
import ky, { TimeoutError as KyTimeoutError } from 'ky';
import { ConnectionError, TimeoutError } from '../errors/ConnectionError.ts';
import { abortReason } from './clock.ts';

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface WireResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

export async function send(
  request: WireRequest,
  options: { fetch: typeof fetch; timeout: number; signal?: AbortSignal | undefined },
): Promise<WireResponse> {
  try {
    const response = await ky(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      timeout: options.timeout,
      signal: options.signal,
      fetch: options.fetch,
      retry: 0,
      throwHttpErrors: false,
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, text };
  } catch (error) {
    // The caller's abort is not a failure of the request: rethrow its reason unchanged.
    if (options.signal?.aborted) throw abortReason(options.signal);
    const where = { method: request.method, url: request.url, cause: error };
    if (error instanceof KyTimeoutError) {
      throw new TimeoutError(`${request.method} ${request.url} timed out after ${options.timeout} ms`, where);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectionError(`${request.method} ${request.url} failed: ${reason}`, where);
  }
}
