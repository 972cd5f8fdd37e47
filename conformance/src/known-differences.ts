/**
 * The one list of differences between the emulator and API Gateway's Java stack that the conformance
 * suite accepts, each with the AWS sentence that makes it unavoidable or irrelevant. The suite fails on
 * any difference not listed here, and on any entry that no longer differs (so the list cannot go stale).
 */
export interface KnownDifference {
  /** The case ids it covers. */
  readonly cases: RegExp;
  /** Why the emulator cannot or need not match. */
  readonly why: string;
  /** The sentence of AWS's documentation that justifies it. */
  readonly aws: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];
