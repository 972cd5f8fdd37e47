/**
 * The `kproxy` executable: runs `main` with the real process, turns SIGINT/SIGTERM into an abort that
 * commands handle (a second Ctrl-C exits at once), and ends quietly when stdout is closed early
 * (`kproxy tail demo | head`).
 */
import { ExitCode } from './core/exit-codes.ts';
import { processIo } from './core/io.ts';
import { COMPLETE_COMMAND, main } from './main.ts';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
    controller.abort(new Error(`Interrupted by ${signal}`));
  });
}

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? ExitCode.Ok);
  throw error;
});

const argv = process.argv.slice(2);
process.exitCode = await main(argv, processIo(controller.signal));
// Completion answers within its deadline and ends there, whatever is still pending (a slow API).
if (argv[0] === COMPLETE_COMMAND) process.exit();
