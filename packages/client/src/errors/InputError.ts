import { KproxyError } from './KproxyError.ts';

/**
 * A parameter failed the client's checks before anything was sent. `field` says where
 * (`records[3].partitionKey`), the message says what is wrong and how to fix it.
 */
export class InputError extends KproxyError {
  override readonly name = 'InputError' as const;
  /** Path of the offending value in the method's parameters, e.g. `records[3].partitionKey`. */
  readonly field: string;
  /**
   * When the value had to pick one of several things and did not (a sequence number that more than one
   * shard may hold): the ones it could be, so a caller can offer them without reading the message.
   */
  readonly candidates: readonly string[] | undefined;

  constructor(field: string, problem: string, fix?: string, details?: { candidates?: readonly string[] }) {
    super(`${field} ${problem}${fix ? `. ${fix}` : ''}`);
    this.field = field;
    this.candidates = details?.candidates;
  }
}
