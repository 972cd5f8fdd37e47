import { KproxyError } from './KproxyError.ts';

/** The request did not get a response: DNS, refused or reset connection, TLS. Retried. */
export class ConnectionError extends KproxyError {
  override readonly name: 'ConnectionError' | 'TimeoutError' = 'ConnectionError';
  readonly method: string;
  readonly url: string;

  constructor(message: string, init: { method: string; url: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.method = init.method;
    this.url = init.url;
  }
}

/** No response within the `timeout` of one attempt. Retried. */
export class TimeoutError extends ConnectionError {
  override readonly name = 'TimeoutError' as const;
}
