/**
 * A command is a typed declaration: its name, description, examples, positionals and options (yargs
 * option definitions) and a handler whose argument types are inferred from those definitions, never
 * written by hand. `main.ts` is the one place that turns definitions into yargs calls.
 */
import type { InferredOptionType, Options, PositionalOptions } from 'yargs';
import type { CommandContext } from './context.ts';
import type { ExitCode } from './exit-codes.ts';
import type { GlobalArgs } from './global-options.ts';

export type OptionDefs = Record<string, Options>;
export type PositionalDefs = Record<string, PositionalOptions>;

/** `shard-count` → `shardCount`, as yargs also provides it. */
type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

type Flatten<T> = { [K in keyof T]: T[K] };

/** The parsed arguments a handler receives: camelCase keys, types inferred from the definitions. */
export type HandlerArgs<O extends OptionDefs, P extends PositionalDefs> = Flatten<
  { [K in keyof O & string as CamelCase<K>]: InferredOptionType<O[K]> } & {
    [K in keyof P & string as CamelCase<K>]: InferredOptionType<P[K]>;
  } & GlobalArgs
>;

export interface CommandDefinition<
  O extends OptionDefs = OptionDefs,
  P extends PositionalDefs = PositionalDefs,
> {
  /** The command word, as typed: `put-records`. */
  readonly command: string;
  /** One line for the command list; the command's own `--help` shows `description` too when given. */
  readonly describe: string;
  /** Longer prose shown in the command's `--help` under the usage line. */
  readonly description?: string;
  /** `[command line, what it does]`, shown in `--help`; every one must work against `kproxy local`. */
  readonly examples: readonly (readonly [string, string])[];
  /** Positional arguments, in order. */
  readonly positionals?: P;
  readonly options?: O;
  /** Extra text at the end of the command's `--help` (formats, semantics). */
  readonly epilogue?: string;
  /**
   * The flag a client parameter is given with, where it is not the usual one (`limit` → `--page-size`),
   * so that an input error names the flag the user typed.
   */
  readonly fieldFlags?: Readonly<Record<string, string>>;
  /**
   * For a command that prints no single JSON result for `--query` to select from: what to use instead.
   * `--query` is then a usage error, not silently ignored.
   */
  readonly noQuery?: string;
  /** Runs the command; returns an exit code (0 when it returns nothing). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that only prints returns nothing.
  handler(args: HandlerArgs<O, P>, ctx: CommandContext): Promise<ExitCode | void>;
}

/** No options / positionals. */
type None = Record<never, never>;

/**
 * Declares a command; only exists to infer the handler's argument types from the definitions. A
 * positional `name` is the stream name: `main` also accepts it as `--stream-name NAME`.
 */
export function defineCommand<const O extends OptionDefs = None, const P extends PositionalDefs = None>(
  definition: CommandDefinition<O, P>,
): CommandDefinition<O, P> {
  return definition;
}

/** A definition with its argument types erased, as the registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every argument shape.
export type AnyCommand = CommandDefinition<any, any>;
