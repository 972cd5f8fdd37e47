/**
 * `main(argv, io)`: the whole CLI as a function, so tests run it in-process. The one place that turns
 * command definitions into yargs: yargs only parses, validates and renders help; the selected command's
 * handler runs here, after parsing, so every handler is async, gets the same context and has its errors
 * reported the same way.
 *
 * Habits of `aws kinesis` users handled here for every command: `--stream-name NAME` in place of the
 * stream name positional, `--query`, and "did you mean" for a mistyped command or option.
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
import { Output, type OutputFormat, type OutputOptions, shouldUseColor } from './core/output.ts';
import { closest } from './core/suggest.ts';
import { COMMANDS } from './registry.ts';

const SCRIPT = 'kproxy';
/** The hidden command the completion scripts call: `kproxy __complete <words…>`. */
export const COMPLETE_COMMAND = '__complete';

const ROOT_EPILOGUE = `Settings come from flags, then environment variables, then the config file written by
\`kproxy configure\` (profile "default" unless --profile), then the local emulator at
http://127.0.0.1:4600/v1. Start the emulator with \`kproxy local\`.

${EXIT_CODES_EPILOGUE}`;

/** The positional every stream command takes; `--stream-name` gives it too, as `aws kinesis` takes it. */
const STREAM_POSITIONAL = 'name';
const STREAM_NAME_OPTION = 'stream-name';

interface Selected {
  command: AnyCommand;
  args: Record<string, unknown>;
}

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  if (argv[0] === COMPLETE_COMMAND) {
    const { complete } = await import('./completion/complete.ts');
    return complete(argv.slice(1), io);
  }
  let out = new Output(io, {
    format: 'text',
    color: shouldUseColor(io, argv.includes('--no-color') ? false : undefined),
    debug: argv.includes('--debug'),
  });
  let settings: Settings | undefined;
  let selected: Selected | undefined;
  try {
    const parser = buildParser(io, (command, args) => {
      selected = { command, args };
    });

    const parsed = await new Promise<{ error: Error | undefined; output: string }>((resolve) => {
      parser.parse(attachDashValues(argv), {}, (error, _argv, output) =>
        resolve({ error: error ?? undefined, output }),
      );
    });
    if (parsed.error) throw usageError(parsed.error, argv);
    if (!selected) {
      // --help or --version: yargs rendered the text.
      if (parsed.output) io.stdout.write(`${parsed.output}\n`);
      return ExitCode.Ok;
    }

    const { command, args } = selected;
    takeStreamName(command, args);
    const globals = args as GlobalArgs;
    if (globals.query !== undefined && command.noQuery !== undefined) {
      throw new UsageError(
        `--query selects from a command's JSON result; kproxy ${command.command} has none.`,
        command.noQuery,
      );
    }
    out = new Output(io, {
      format: outputFormat(globals, io),
      color: shouldUseColor(io, globals.color),
      debug: Boolean(globals.debug),
      query: globals.query === undefined ? undefined : await loadQuery(globals.query),
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
    const streamName = selected?.args[STREAM_POSITIONAL];
    const report = reportError(error, {
      endpoint: settings?.endpoint,
      auth: settings?.auth,
      awsProfile: settings?.awsProfile ?? (io.env.AWS_PROFILE || undefined),
      command: selected?.command.command,
      streamName: typeof streamName === 'string' ? streamName : undefined,
      fieldFlags: selected?.command.fieldFlags,
    });
    out.error(report.message, report.hint);
    if (out.isDebug && error instanceof Error && error.stack) out.info(out.style('dim', error.stack));
    return report.exitCode;
  }
}

function outputFormat(globals: GlobalArgs, io: Io): OutputFormat {
  // `--query` selects from the JSON result: JSON unless text is asked for, as with `aws`.
  const format = globals.output ?? io.env.KPROXY_OUTPUT ?? (globals.query !== undefined ? 'json' : 'text');
  if (format !== 'text' && format !== 'json') {
    throw new UsageError(`Invalid KPROXY_OUTPUT "${format}".`, 'Use text or json.');
  }
  return format;
}

async function loadQuery(expression: string): Promise<OutputOptions['query']> {
  const { compileQuery, queryText } = await import('./core/query.ts');
  return { select: compileQuery(expression), text: queryText };
}

/** `kproxy put-record --stream-name demo …` = `kproxy put-record demo …`; exactly one of the two. */
function takeStreamName(command: AnyCommand, args: Record<string, unknown>): void {
  const def = streamPositional(command);
  if (!def) return;
  const hint = `\`kproxy ${command.command} NAME\` or \`kproxy ${command.command} --stream-name NAME\`; \`kproxy list-streams\` lists them.`;
  if (def.array === true) {
    // A command of several streams (tail): NAME… and any --stream-name, together.
    const names = [args[STREAM_POSITIONAL] ?? [], args.streamName ?? []].flat() as string[];
    if (names.length === 0) throw new UsageError('Which streams? Give their names.', hint);
    args[STREAM_POSITIONAL] = [...new Set(names)];
    return;
  }
  const positional = args[STREAM_POSITIONAL] as string | undefined;
  const option = args.streamName as string | undefined;
  if (positional !== undefined && option !== undefined && positional !== option) {
    throw new UsageError(
      `Two stream names: "${positional}" and --stream-name "${option}".`,
      `Give the stream once: \`kproxy ${command.command} NAME\` or --stream-name NAME.`,
    );
  }
  const name = positional ?? option;
  if (name === undefined || name === '') throw new UsageError('Which stream? Give its name.', hint);
  args[STREAM_POSITIONAL] = name;
}

/** The stream-name positional of a command (`name`, one stream or several), if it takes one. */
function streamPositional(command: AnyCommand): PositionalDefs[string] | undefined {
  return (command.positionals as PositionalDefs | undefined)?.[STREAM_POSITIONAL];
}

function takesStreamName(command: AnyCommand): boolean {
  return streamPositional(command) !== undefined;
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

/** Every option name (and alias) a command accepts, global ones included, without dashes. */
export function optionNames(command: AnyCommand | undefined): string[] {
  const names = new Set<string>(['help', 'version']);
  const add = (defs: Record<string, object> | undefined) => {
    for (const [name, def] of Object.entries(defs ?? {})) {
      names.add(name);
      for (const alias of [(def as { alias?: string | readonly string[] }).alias ?? []].flat()) {
        names.add(alias);
      }
    }
  };
  add(GLOBAL_OPTIONS);
  add(command?.options);
  if (command && takesStreamName(command)) names.add(STREAM_NAME_OPTION);
  return [...names];
}

/** A yargs validation error as one line and a hint: the usage of the command, or the word meant. */
function usageError(error: Error, argv: readonly string[]): UsageError {
  const command = COMMANDS.find((c) => argv.includes(c.command));
  const help = `Run \`kproxy ${command ? `${command.command} ` : ''}--help\` for usage.`;
  // yargs' own wording, in terms of flags: `--output "yaml" is not one of: text, json.`
  const invalid = /^Invalid values:\s+Argument: (\S+), Given: (.+), Choices: (.+)$/s.exec(error.message);
  if (invalid) {
    const [, name, given, choices] = invalid as unknown as [string, string, string, string];
    return new UsageError(`--${name} ${given} is not one of: ${choices.replaceAll('"', '')}.`, help);
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(error.message)?.[1];
  if (missing) {
    return new UsageError(
      `Missing ${missing
        .split(', ')
        .map((name) => `--${name}`)
        .join(', ')}.`,
      help,
    );
  }
  const noValue = /^Not enough arguments following: (.+)$/.exec(error.message)?.[1];
  if (noValue) return new UsageError(`--${noValue} needs a value.`, help);
  const unknown = /^Unknown arguments?: (.+)$/.exec(error.message)?.[1];
  if (!unknown) return new UsageError(error.message, help);

  // yargs lists each unknown option twice (`stream-nam, streamNam`): keep what was typed.
  const names = unknown.split(', ').filter((name) => argv.some((a) => a === name || isFlag(a, name)));
  const typedOption = names.find((name) => argv.some((a) => isFlag(a, name)));
  if (typedOption) {
    const flag = `${typedOption.length === 1 ? '-' : '--'}${typedOption}`;
    const meant = closest(typedOption, optionNames(command));
    const others = names.length > 1 ? ` (and ${names.filter((n) => n !== typedOption).join(', ')})` : '';
    return new UsageError(
      `Unknown option ${flag}${others}.`,
      meant ? `Did you mean --${meant}? ${help}` : help,
    );
  }
  const word = names[0] ?? unknown;
  if (!command) {
    const meant = closest(
      word,
      COMMANDS.map((c) => c.command),
    );
    return new UsageError(
      `Unknown command "${word}".`,
      meant
        ? `Did you mean \`kproxy ${meant}\`? Run \`kproxy --help\` for the list of commands.`
        : 'Run `kproxy --help` for the list of commands.',
    );
  }
  return new UsageError(`Unexpected argument "${word}".`, help);
}

/** `--name`, `--name=value`, `--no-name` or `-n` as typed for the option `name`. */
function isFlag(arg: string, name: string): boolean {
  const flag = arg.split('=')[0];
  return flag === `--${name}` || flag === `--no-${name}` || (name.length === 1 && flag === `-${name}`);
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
    // Messages in English whatever the locale: they are read here (unknown options) and in the docs.
    .locale('en')

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
    .epilogue(ROOT_EPILOGUE)
    .help()
    .alias('help', 'h')
    .version(pkg.version);

  for (const command of COMMANDS) {
    const positionalDefs = Object.entries((command.positionals ?? {}) as PositionalDefs);
    const streamCommand = takesStreamName(command);
    const shown = positionalDefs
      .map(([name, def]) => {
        const variadic = def.array === true ? '..' : '';
        return def.demandOption === true ? `<${name}${variadic}>` : `[${name}${variadic}]`;
      })
      .join(' ');
    // The stream name may come as --stream-name instead: yargs must not demand the positional.
    const parsed = streamCommand
      ? shown.replace(new RegExp(`<${STREAM_POSITIONAL}(\\.\\.)?>`), `[${STREAM_POSITIONAL}$1]`)
      : shown;
    const builder = (b: Argv): Argv => {
      for (const [name, def] of positionalDefs) {
        const stream = streamCommand && name === STREAM_POSITIONAL;
        const required = `${def.describe}; required, here or as --stream-name`;
        b.positional(name, stream ? { ...def, demandOption: false, describe: required } : def);
      }
      const optionKeys = Object.keys(command.options ?? {});
      if (command.options) b.options(command.options);
      if (streamCommand) {
        const several = streamPositional(command)?.array === true;
        b.option(STREAM_NAME_OPTION, {
          type: 'string',
          ...(several ? { array: true } : {}),
          describe: several
            ? 'A stream, as `aws kinesis` takes it (instead of NAME; may be repeated)'
            : 'The stream, as `aws kinesis` takes it (instead of NAME)',
        });
        optionKeys.push(STREAM_NAME_OPTION);
      }
      b.group([...optionKeys, 'help'], 'Options:');
      const usage = shown ? `${command.command} ${shown}` : command.command;
      b.usage(`$0 ${usage}\n\n${paragraphs(command.description ?? command.describe)}`);
      for (const [example, what] of command.examples) b.example(example, what);
      b.epilogue(
        command.epilogue ? `${paragraphs(command.epilogue)}\n\n${EXIT_CODES_EPILOGUE}` : EXIT_CODES_EPILOGUE,
      );
      return b;
    };
    // yargs' builder methods configure the instance in place; the types of the chain are not needed here.
    parser.command(
      parsed ? `${command.command} ${parsed}` : command.command,
      command.describe,
      builder,
      (args) => onSelect(command, args as Record<string, unknown>),
    );
  }
  return parser;
}
