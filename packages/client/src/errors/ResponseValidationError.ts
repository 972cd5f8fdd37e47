import { KproxyError } from './KproxyError.ts';

/**
 * A successful response whose body does not have the shape the contract says (wrong endpoint, a proxy
 * in the way, an incompatible deployment). `body` is what arrived; `issues` says what is wrong.
 */
export class ResponseValidationError extends KproxyError {
  override readonly name = 'ResponseValidationError' as const;
  readonly body: unknown;
  readonly issues: readonly { path: readonly PropertyKey[]; message: string }[];
  readonly status: number;
  readonly url: string;

  constructor(
    message: string,
    init: {
      body: unknown;
      status: number;
      url: string;
      issues?: readonly { path: readonly PropertyKey[]; message: string }[];
    },
  ) {
    super(message);
    this.body = init.body;
    this.status = init.status;
    this.url = init.url;
    this.issues = init.issues ?? [];
  }
}
