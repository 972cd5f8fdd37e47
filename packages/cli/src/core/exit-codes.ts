/**
 * The exit codes of `kproxy`, one meaning each, printed in the `--help` epilogue so scripts can rely on
 * them.
 */
export const ExitCode = {
  /** Everything worked. */
  Ok: 0,
  /** The command failed: API error, network error, unreadable file, … (one line on stderr says why). */
  Error: 1,
  /** The command line was wrong: unknown command or option, missing or invalid argument. */
  Usage: 2,
  /** A bulk put finished but some records were not written (bad input lines or rejected by the API). */
  PartialFailure: 3,
  /** Interrupted (Ctrl-C) before the work was done. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_EPILOGUE = `Exit codes:
  0    success
  1    error (API, network, file); one line on stderr says what and what to try
  2    usage error (unknown command or option, missing or invalid argument)
  3    put-records finished but some records were not written (see --failed-out)
  130  interrupted before the work was done`;
