/**
 * Sends one attempt with `fetch` and reads the whole answer. Retries, errors by status and parsing are
 * the caller's: only network failures and timeouts become errors here. (Plain fetch with an abort
 * signal: all ky did for us was the timeout, for 4.5 KiB of every browser bundle.)
 */
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
  // One controller ends the attempt on the caller's abort or the timeout, whichever comes first; the
  // timer and the listener go when the attempt ends (a bulk run sends thousands of them). The timeout
  // covers the whole attempt, reading the body included: a stalled body ends it too.
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  const onAbort = () => controller.abort(abortReason(options.signal!));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeout);
  try {
    // A Request, as ky handed to `fetch`: a custom fetch finds the method, headers and signal on it.
    const response = await options.fetch(
      new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      }),
    );
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
    if (timedOut) {
      throw new TimeoutError(`${request.method} ${request.url} timed out after ${options.timeout} ms`, where);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConnectionError(`${request.method} ${request.url} failed: ${reason}`, where);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
