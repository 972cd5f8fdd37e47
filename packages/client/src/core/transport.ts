/**
 * Sends one attempt with `fetch` and reads the whole answer. Retries, errors by status and parsing are
 * the caller's: only network failures and timeouts become errors here. (No HTTP library: all ky did for
 * us was a timeout, for 4.5 KiB of every browser bundle.)
 *
 * Each attempt has its own AbortController, aborted by the attempt's timer or by the caller's signal
 * (linked with a listener removed when the attempt ends). Two reasons:
 * - the timeout covers the whole exchange, reading the response body included (a body that trickles in
 *   must not hold a request forever);
 * - the caller's signal is often long-lived (a reader that follows for days, a bulk put of millions of
 *   records). Combining it per request with `AbortSignal.any` would grow memory with every request on
 *   Node 20, which keeps every combined signal in a set on its sources for the source's lifetime; fetch
 *   only ever sees the attempt's own short-lived signal.
 */
import { ConnectionError, TimeoutError } from '../errors/ConnectionError.ts';
import { abortReason, linkedController, raceSignal } from './clock.ts';

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

/** The reason an attempt's own controller aborts with when its time is up. */
const TIMED_OUT = Symbol('timed out');

export async function send(
  request: WireRequest,
  options: { fetch: typeof fetch; timeout: number; signal?: AbortSignal | undefined },
): Promise<WireResponse> {
  const { controller, dispose } = linkedController(options.signal);
  const timer = setTimeout(() => controller.abort(TIMED_OUT), options.timeout);
  try {
    // A Request, as ky used to hand to `fetch`: a custom fetch finds the method, headers and signal on it.
    const sent = new Request(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    // The signal again in `init`: Node's fetch (20 to 26) copies `sent` into a Request of its own that
    // follows `sent`'s signal only while `sent` is alive (nodejs/undici#4068). Once `sent` is garbage
    // collected mid-request, the timeout's abort would no longer reach the request: it would finish, then
    // count as timed out, and its retry would store the records twice (transport-gc.test.ts; the bulk
    // write fault test caught it).
    const response = await options.fetch(sent, { signal: controller.signal });
    const text = await readBody(response, controller.signal);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, text };
  } catch (error) {
    // The caller's abort is not a failure of the request: rethrow its reason unchanged.
    if (options.signal?.aborted) throw abortReason(options.signal);
    const where = { method: request.method, url: request.url, cause: error };
    if (controller.signal.reason === TIMED_OUT) {
      throw new TimeoutError(`${request.method} ${request.url} timed out after ${options.timeout} ms`, where);
    }
    throw new ConnectionError(`${request.method} ${request.url} failed: ${describeFailure(error)}`, where);
  } finally {
    clearTimeout(timer);
    dispose();
  }
}

/** fetch says only "fetch failed"; the reason (a reset, a refused connection) is in its `cause`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}

/**
 * The body as text, given up (and its stream cancelled, freeing the connection) when `signal` aborts:
 * not every fetch errors a body that is still arriving when its request is aborted.
 */
async function readBody(response: Response, signal: AbortSignal): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await raceSignal(reader.read(), signal);
      if (done) return text + decoder.decode();
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
  }
}
