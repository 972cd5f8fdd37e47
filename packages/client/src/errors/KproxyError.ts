/**
 * Symbols from the global registry, so a type guard recognises an error thrown by another copy of this
 * package (another realm, a duplicated dependency) where `instanceof` would fail.
 */
export const KPROXY_ERROR = Symbol.for('@kproxy/client.KproxyError');
export const API_ERROR = Symbol.for('@kproxy/client.ApiError');

/** The base of every error this package throws. `cause` carries the underlying error, when there is one. */
export class KproxyError extends Error {
  override name: string = 'KproxyError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** Brand read by `isKproxyError`; see `KPROXY_ERROR`. */
  get [KPROXY_ERROR](): true {
    return true;
  }
}
