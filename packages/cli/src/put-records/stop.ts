/**
 * How a `put-records` run that stopped early is told: one line saying why, a hint in the CLI's own
 * terms, and the exit code. The reasons are bulkPut's (`BulkPutError.stoppedBy`); which errors stop a
 * run is decided by the contract's error table, never here.
 */
import { type BulkPutError, isApiError, isConnectionError } from '@kproxy/client';
import { classifyKinesisError } from '@kproxy/contract';
import { CliError } from '../core/errors.ts';
import { ExitCode } from '../core/exit-codes.ts';
import { reportError } from '../core/report-error.ts';

export interface StopReport {
  message: string;
  hint?: string | undefined;
  exitCode: ExitCode;
}

export function stopReport(error: BulkPutError, context: { endpoint?: string | undefined }): StopReport {
  const { reason, cause } = error;
  switch (error.stoppedBy) {
    case 'abort':
      return { message: 'Interrupted', exitCode: ExitCode.Interrupted };
    case 'fatal':
      return {
        message: `Stopped: ${reason.errorCode}: ${reason.errorMessage}`,
        hint: hintFor(cause, reason.errorCode, context),
        exitCode: ExitCode.Error,
      };
    case 'unusable':
      return {
        message: `Stopped: ${reason.errorMessage} (${reason.errorCode})`,
        hint: [hintFor(cause, reason.errorCode, context), 'Raise --record-ttl (seconds) to wait longer.']
          .filter(Boolean)
          .join(' '),
        exitCode: ExitCode.Error,
      };
    case 'callback':
    case 'source':
      // put-records' own callbacks and records write --failed-out and the journal: a file that cannot
      // be written (a full disk) says which, and what to do.
      if (cause instanceof CliError) {
        return {
          message: `Stopped: ${cause.message.charAt(0).toLowerCase()}${cause.message.slice(1)}`,
          hint: cause.hint,
          exitCode: ExitCode.Error,
        };
      }
      return { message: `Stopped: ${reason.errorMessage}`, exitCode: ExitCode.Error };
  }
}

/** The CLI's hint for the error that stopped the run: the one `kproxy` prints for it anywhere. */
function hintFor(cause: unknown, errorCode: string, context: { endpoint?: string | undefined }) {
  if (isApiError(cause) || isConnectionError(cause)) return reportError(cause, context).hint;
  return classifyKinesisError(errorCode).hint;
}
