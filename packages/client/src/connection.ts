/**
 * `KproxyConnection`: where and how to call the API (endpoint, region, auth, limits, retries, hooks),
 * and no operation. The operations are standalone functions taking it (`putRecords(connection, …)`),
 * so a bundle carries only the ones it calls; `KproxyCore` adds them as methods, `KproxyClient` the
 * helpers too.
 */
import { resolveConfig } from './core/config.ts';
import type { RequestContext } from './core/request.ts';
import type { ClientLimits, ClientOptions } from './types/options.ts';

export class KproxyConnection {
  /** The stage URL requests go to (without trailing slash). */
  readonly endpoint: string;
  /** The region SigV4 signs for. */
  readonly region: string;
  /** The limits checked before sending. */
  readonly limits: Readonly<ClientLimits>;
  /** @internal */
  protected readonly context: RequestContext;

  constructor(options: ClientOptions) {
    const { context, limits, region } = resolveConfig(options);
    this.context = context;
    this.limits = Object.freeze(limits);
    this.region = region;
    this.endpoint = context.endpoint;
  }
}

/**
 * The request context of a connection, for the functions built on it (the operations and helpers).
 * `context` is protected in the type only, to keep it out of the public API; those functions are part
 * of this package.
 * @internal
 */
export function requestContextOf(connection: KproxyConnection): RequestContext {
  return (connection as unknown as { context: RequestContext }).context;
}
