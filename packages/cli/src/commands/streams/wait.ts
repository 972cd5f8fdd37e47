/** `--wait` and `--wait-timeout` of create-stream and delete-stream, for the client's `waitForStream`. */
import type { WaitOptions } from '@kproxy/client';
import type { CommandContext } from '../../core/context.ts';
import { UsageError } from '../../core/errors.ts';

export const WAIT_OPTIONS = {
  'wait-timeout': {
    type: 'number',
    describe: 'With --wait: give up after this many seconds (default 300)',
  },
} as const;

/** The client's wait options when --wait was given (the timeout in ms), else undefined. */
export function waitOptions(
  args: { wait?: boolean | undefined; waitTimeout?: number | undefined },
  ctx: CommandContext,
): WaitOptions | undefined {
  if (args.waitTimeout !== undefined && !args.wait) {
    throw new UsageError('--wait-timeout goes with --wait.');
  }
  if (!args.wait) return undefined;
  if (args.waitTimeout !== undefined && !(args.waitTimeout > 0)) {
    throw new UsageError(`--wait-timeout must be a number of seconds above 0, got ${args.waitTimeout}.`);
  }
  return {
    signal: ctx.signal,
    ...(args.waitTimeout !== undefined ? { timeout: args.waitTimeout * 1000 } : {}),
  };
}
