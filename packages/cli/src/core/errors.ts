/**
 * Errors the CLI itself raises. Anything that is the user's to fix (a missing file, a bad flag value)
 * is a `CliError` with a hint: it prints one line, never a stack. Anything else is a bug and shows its
 * stack with `--debug`.
 */
import { ExitCode } from './exit-codes.ts';

export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    /** What to try next; printed under the message. */
    readonly hint?: string,
    readonly exitCode: ExitCode = ExitCode.Error,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A wrong command line: exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, hint, ExitCode.Usage);
  }
}
