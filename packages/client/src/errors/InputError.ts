import { KproxyError } from './KproxyError.ts';

/**
 * A parameter failed the client's checks before anything was sent. `field` says where
 * (`records[3].partitionKey`), the message says what is wrong and how to fix it.
 */
export class InputError extends KproxyError {
  override readonly name = 'InputError' as const;
  /** Path of the offending value in the method's parameters, e.g. `records[3].partitionKey`. */
  readonly field: string;

  constructor(field: string, problem: string, fix?: string) {
    super(`${field} ${problem}${fix ? `. ${fix}` : ''}`);
    this.field = field;
  }
}
