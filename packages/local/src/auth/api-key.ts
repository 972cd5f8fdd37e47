/**
 * `--auth api-key`: API Gateway's `x-api-key` check (methods with "API key required"). A missing or
 * unknown key gets 403 `{"message":"Forbidden"}`; keys are compared in constant time.
 */
import { constantTimeEqual } from './sigv4.ts';

export class ApiKeyChecker {
  readonly #keys: readonly string[];

  constructor(keys: Iterable<string>) {
    this.#keys = [...keys];
  }

  /** The key when it is one of the configured keys, else undefined. */
  check(headerValue: string | undefined): string | undefined {
    if (!headerValue) return undefined;
    let found: string | undefined;
    // Every key is compared, so the time taken does not tell which one (or how much) matched.
    for (const key of this.#keys) if (constantTimeEqual(key, headerValue)) found = key;
    return found;
  }
}
