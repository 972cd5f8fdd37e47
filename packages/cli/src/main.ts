/**
 * `main(argv, io)`: the whole CLI as a function, so tests run it in-process. The one place that turns
 * command definitions into yargs: yargs only parses, validates and renders help; the selected command's
 * handler runs here, after parsing, so every handler is async, gets the same context and has its errors
 * reported the same way.
 */
import yargs, { type Argv } from 'yargs';
import pkg from '../package.json' with { type: 'json' };
import type { Settings } from './config/resolve.ts';
import { createContext } from './core/context.ts';
import type { AnyCommand, PositionalDefs } from './core/define-command.ts';
import { UsageError } from './core/errors.ts';
import { EXIT_CODES_EPILOGUE, ExitCode } from './core/exit-codes.ts';
import { GLOBAL_OPTIONS, type GlobalArgs } from './core/global-options.ts';
import { type Io, processIo } from './core/io.ts';
import { Output, type OutputFormat, shouldUseColor } from './core/output.ts';
import { COMMANDS } from './registry.ts';

const SCRIPT = 'kproxy';
const COMPLETIONS_FLAG = '--get-yargs-completions';

const ROOT_EPILOGUE = `Settings come from flags, then environment variables, then the config file written by
\`kproxy configure\` (profile "default" unless --profile), then the local emulator at
http://127.0.0.1:4600/v1. Start the emulator with \`kproxy local\`.

${EXIT_CODES_EPILOGUE}`;

interface Selected {
  command: AnyCommand;
  args: Record<string, unknown>;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let out = new Output(io, {
    format: 'text',
    color: shouldUseColor(io, argv.includes('--no-color') ? false : undefined),
    debug: argv.includes('--debug'),
  });
  let settings: Settings | undefined;
  try {
    let selected: Selected | undefined;
    const parser = buildParser(io, (command, args) => {
      selected = { command, args };
    });

    const completionAt = argv.indexOf(COMPLETIONS_FLAG);
    if (completionAt !== -1) {
      const completions = await parser.getCompletion(argv.slice(completionAt + 1).map(String));
      for (const completion of completions ?? []) io.stdout.write(`${completion}\n`);
      return ExitCode.Ok;
    }

    const parsed = await new Promise<{ error: Error | undefined; output: string }>((resolve) => {
      parser.parse(attachDashValues(argv), {}, (error, _argv, output) =>
        resolve({ error: error ?? undefined, output }),
      );
    });
    if (parsed.error) throw usageError(parsed.error, argv);
    if (!selected) {
      // --help, --version or `completion`: yargs rendered the text.
      if (parsed.output) io.stdout.write(`${parsed.output}\n`);
      return ExitCode.Ok;
    }

    const { command, args } = selected;
    const globals = args as GlobalArgs;
    out = new Output(io, {
      format: outputFormat(globals, io),
      color: shouldUseColor(io, globals.color),
      debug: Boolean(globals.debug),
    });
    let pending: Promise<Settings> | undefined;
    const loadSettings = () => {
      pending ??= import('./config/resolve.ts').then(async ({ resolveSettings }) => {
        const s = await resolveSettings(globals, io.env);
        settings = s;
        return s;
      });
      return pending;
    };
    const context = createContext(io, out, loadSettings);
    return (await command.handler(args as never, context)) ?? ExitCode.Ok;
  } catch (error) {
    // Loaded only on failure: it knows the client's error classes, which `--help` does not need.
    const { reportError } = await import('./core/report-error.ts');
    const report = reportError(error, settings ? { endpoint: settings.endpoint, auth: settings.auth } : {});
    out.error(report.message, report.hint);
    if (out.isDebug && error instanceof Error && error.stack) out.info(out.style('dim', error.stack));
    return report.exitCode;
  }
}

function outputFormat(globals: GlobalArgs, io: Io): OutputFormat {
  const format = globals.output ?? io.env.KPROXY_OUTPUT ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`Invalid KPROXY_OUTPUT "${format}".`, 'Use text or json.');
  }
  return format;
}

/**
 * `--data -` (stdin) and `--from -15m` (a relative time) are values, but yargs reads a lone `-` as a
 * positional and `-15m` as flags; `--data=-` and `--from=-15m` are what it understands. Only string
 * options are joined, so `--yes -` still fails as it should.
 */
function attachDashValues(argv: readonly string[]): string[] {
  const stringOptions = new Set<string>();
  for (const command of COMMANDS) {
    for (const [name, def] of Object.entries(command.options ?? {}) as [string, { type?: string }][]) {
      if (def.type === 'string') stringOptions.add(name);
    }
  }
  const out: string[] = [];
  for (const arg of argv) {
    const previous = out.at(-1);
    const dashValue = arg === '-' || /^-\d/.test(arg);
    if (dashValue && previous?.startsWith('--') && stringOptions.has(previous.slice(2))) {
      out[out.length - 1] = `${previous}=${arg}`;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** yargs' validation message, with a pointer to the help of the command that was typed. */
function usageError(error: Error, argv: readonly string[]): UsageError {
  const known = argv.find((a) => COMMANDS.some((c) => c.command === a));
  const word = known ?? argv.find((a) => !a.startsWith('-'));
  const unknownCommand = word !== undefined && !known && error.message.includes(`Unknown argument: ${word}`);
  if (unknownCommand) {
    return new UsageError(`Unknown command "${word}".`, 'Run `kproxy --help` for the list of commands.');
  }
  return new UsageError(error.message, `Run \`kproxy ${known ? `${known} ` : ''}--help\` for usage.`);
}

/** Prose is written wrapped in the source; yargs re-wraps it, so single newlines become spaces. */
function paragraphs(text: string): string {
  return text.replace(/([^\n])\n(?=[^\n\s])/g, '$1 ');
}

function buildParser(io: Io, onSelect: (command: AnyCommand, args: Record<string, unknown>) => void): Argv {
  const width = Math.min(io.stdout.columns ?? 100, 120);
  const parser: Argv = yargs()
    .scriptName(SCRIPT)
    .usage('$0 <command> [options]\n\nWork with Kinesis streams through the kproxy API, or run it locally.')
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .wrap(width)
    .parserConfiguration({ 'strip-aliased': true })
    .options(
      Object.fromEntries(
        Object.entries(GLOBAL_OPTIONS).map(([name, option]) => [name, { ...option, global: true }]),
      ),
    )
    .group(Object.keys(GLOBAL_OPTIONS), 'Global options:')
    .demandCommand(1, 'Give a command; `kproxy --help` lists them.')
    .recommendCommands()
    .completion('completion', 'Print a shell completion script: kproxy completion >> ~/.bashrc (or ~/.zshrc)')
    .epilogue(ROOT_EPILOGUE)
    .help()
    .alias('help', 'h')
    .version(pkg.version);

  for (const command of COMMANDS) {
    const positionalDefs = Object.entries((command.positionals ?? {}) as PositionalDefs);
    const positionals = positionalDefs
      .map(([name, def]) => {
        const variadic = def.array === true ? '..' : '';
        return def.demandOption === true ? `<${name}${variadic}>` : `[${name}${variadic}]`;
      })
      .join(' ');
    const usage = positionals ? `${command.command} ${positionals}` : command.command;
    // yargs' builder methods configure the instance in place; the types of the chain are not needed here.
    const builder = (b: Argv): Argv => {
      for (const [name, def] of positionalDefs) b.positional(name, def);
      if (command.options) {
        b.options(command.options);
        b.group([...Object.keys(command.options), 'help'], 'Options:');
      }
      b.usage(`$0 ${usage}\n\n${paragraphs(command.description ?? command.describe)}`);
      for (const [example, what] of command.examples) b.example(example, what);
      b.epilogue(
        command.epilogue ? `${paragraphs(command.epilogue)}\n\n${EXIT_CODES_EPILOGUE}` : EXIT_CODES_EPILOGUE,
      );
      return b;
    };
    parser.command(usage, command.describe, builder, (args) =>
      onSelect(command, args as Record<string, unknown>),
    );
  }
  return parser;
}
