/**
 * `kproxy __complete WORD…`: what the shell completion scripts (`completion/scripts.ts`) call on each
 * TAB, with the words typed after `kproxy`, the word under the cursor last (empty after a space).
 *
 * It prints the candidates that start with that word, one per line as `value<TAB>description`
 * (bash keeps the value, zsh and fish show the description), from the command definitions themselves:
 * commands, options, option choices, and stream names asked of the API with a short deadline (silently
 * nothing when it does not answer). For a path it prints the single line `FILES_DIRECTIVE` and the
 * script falls back to the shell's own file completion.
 */
import type { AnyCommand, OptionDefs, PositionalDefs } from '../core/define-command.ts';
import { GLOBAL_OPTIONS, type GlobalArgs } from '../core/global-options.ts';
import type { Io } from '../core/io.ts';
import { COMMANDS } from '../registry.ts';
import { FILES_DIRECTIVE } from './scripts.ts';

/** How long stream names may take to arrive, at most, before completion gives up on them. */
export const STREAM_NAMES_DEADLINE_MS = 1500;
const MAX_STREAM_NAMES = 1000;

interface Candidate {
  value: string;
  description?: string | undefined;
}

type OptionDef = {
  type?: string;
  choices?: readonly unknown[];
  describe?: string;
  alias?: unknown;
  /** Accepted (aws's spellings) but not offered, as in --help. */
  hidden?: boolean;
};

export async function complete(words: readonly string[], io: Io): Promise<number> {
  const candidates = await candidatesFor(words, io);
  if (candidates === 'files') {
    io.stdout.write(`${FILES_DIRECTIVE}\n`);
    return 0;
  }
  const current = words.at(-1) ?? '';
  for (const { value, description } of candidates) {
    if (!value.startsWith(current)) continue;
    io.stdout.write(description ? `${value}\t${description}\n` : `${value}\n`);
  }
  return 0;
}

async function candidatesFor(words: readonly string[], io: Io): Promise<Candidate[] | 'files'> {
  const current = words.at(-1) ?? '';
  const typed = parseTyped(words.slice(0, -1));
  const { command } = typed;
  const options = optionsOf(command);

  // The value of an option: `--output <TAB>`.
  if (typed.pendingOption) {
    const def = options.get(typed.pendingOption);
    if (def?.choices) return def.choices.map((choice) => ({ value: String(choice) }));
    if (typed.pendingOption === 'stream-name') return streamNames(typed.globals, io);
    if (typed.pendingOption === 'shell') return shells();
    if (isPath(typed.pendingOption)) return 'files';
    return [];
  }
  if (current.startsWith('-')) {
    return [...options]
      .filter(([, def]) => !def.hidden)
      .map(([name, def]) => ({ value: `--${name}`, description: short(def.describe) }));
  }
  if (!command) {
    return COMMANDS.map((c) => ({ value: c.command, description: short(c.describe) }));
  }
  // A positional: by its place among the words typed after the command.
  const positionals = Object.entries((command.positionals ?? {}) as PositionalDefs);
  const at = Math.min(typed.positionals, positionals.length - 1);
  const [name, def] = positionals[at] ?? [];
  if (name === undefined) return [];
  if (def?.choices) return def.choices.map((choice) => ({ value: String(choice) }));
  if (name === 'name' || name === 'names') return streamNames(typed.globals, io);
  if (name === 'shell') return shells();
  if (isPath(name)) return 'files';
  return [];
}

const shells = (): Candidate[] => ['bash', 'zsh', 'fish'].map((value) => ({ value }));

interface Typed {
  command: AnyCommand | undefined;
  /** Positional words after the command. */
  positionals: number;
  /** An option that waits for its value (the word being completed). */
  pendingOption: string | undefined;
  /** Global options typed, for asking the API the user is pointing at. */
  globals: Partial<GlobalArgs>;
}

/** Walks the words before the cursor: which command, how many positionals, and the options given. */
function parseTyped(words: readonly string[]): Typed {
  const typed: Typed = { command: undefined, positionals: 0, pendingOption: undefined, globals: {} };
  for (const word of words) {
    if (typed.pendingOption) {
      setGlobal(typed.globals, typed.pendingOption, word);
      typed.pendingOption = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      const [flag, value] = word.split(/=(.*)/s, 2) as [string, string | undefined];
      const name = canonical(flag.replace(/^--?/, ''), typed.command);
      if (value !== undefined) setGlobal(typed.globals, name, value);
      else if (takesValue(optionsOf(typed.command).get(name))) typed.pendingOption = name;
      continue;
    }
    if (!typed.command) {
      typed.command = COMMANDS.find((c) => c.command === word);
      continue;
    }
    typed.positionals++;
  }
  return typed;
}

/** The options a command accepts (its own first, then global ones), by name. */
function optionsOf(command: AnyCommand | undefined): Map<string, OptionDef> {
  const options = new Map<string, OptionDef>();
  for (const [name, def] of Object.entries((command?.options ?? {}) as OptionDefs)) {
    options.set(name, def as OptionDef);
  }
  if ((command?.positionals as PositionalDefs | undefined)?.name) {
    options.set('stream-name', { type: 'string', describe: 'The stream, as `aws kinesis` takes it' });
  }
  for (const [name, def] of Object.entries(GLOBAL_OPTIONS)) options.set(name, def as OptionDef);
  options.set('help', { type: 'boolean', describe: 'Show help' });
  return options;
}

/** An alias (`-k`) as the option's name (`partition-key`). */
function canonical(name: string, command: AnyCommand | undefined): string {
  for (const [option, def] of optionsOf(command)) {
    if ([def.alias ?? []].flat().includes(name)) return option;
  }
  return name.startsWith('no-') && optionsOf(command).has(name.slice(3)) ? name.slice(3) : name;
}

const takesValue = (def: OptionDef | undefined) => def !== undefined && def.type !== 'boolean';

/** Options and positionals that name files or directories, completed by the shell itself. */
const isPath = (name: string) =>
  name === 'file' || name === 'checkpoint' || name === 'stack-outputs' || /-(file|dir|out)$/.test(name);

const GLOBAL_KEYS: Readonly<Record<string, keyof GlobalArgs>> = {
  endpoint: 'endpoint',
  region: 'region',
  profile: 'profile',
  auth: 'auth',
  'api-key': 'apiKey',
  'stack-outputs': 'stackOutputs',
};

function setGlobal(globals: Partial<GlobalArgs>, name: string, value: string): void {
  const key = GLOBAL_KEYS[name];
  if (key) (globals as Record<string, string>)[key] = value;
}

/** The first sentence of a description, without the `[env: …]` note: one line in a menu. */
function short(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const plain = text
    .replace(/\s*\[env:[^\]]*\]/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = plain.split(/\.\s+(?=[A-Z])|\.$/)[0] ?? plain;
  return sentence.length > 80 ? `${sentence.slice(0, 79).replace(/[\s,;:(]+\S*$/, '')}…` : sentence;
}

/**
 * The streams of the API the typed command line points at (its --endpoint, --profile, … or the
 * configured ones), within `STREAM_NAMES_DEADLINE_MS`; nothing when it fails or is slow.
 */
async function streamNames(globals: Partial<GlobalArgs>, io: Io): Promise<Candidate[]> {
  const names: string[] = [];
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    const [{ resolveSettings }, { createClient }, { Output }] = await Promise.all([
      import('../config/resolve.ts'),
      import('../core/create-client.ts'),
      import('../core/output.ts'),
    ]);
    const settings = await resolveSettings(globals as GlobalArgs, io.env);
    const quiet = new Output(io, { format: 'text', color: false, debug: false });
    const client = createClient(settings, quiet, io.env);
    // The deadline covers what can hang: credentials and the API, not loading kproxy's own modules.
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STREAM_NAMES_DEADLINE_MS);
    });
    const listing = (async () => {
      const options = { signal: controller.signal, timeout: STREAM_NAMES_DEADLINE_MS, maxRetries: 0 };
      for await (const name of client.listStreams({}, options)) {
        names.push(name);
        if (names.length >= MAX_STREAM_NAMES) break;
      }
    })();
    await Promise.race([listing.catch(() => undefined), deadline]);
  } catch {
    // Completion never prints an error: no names is the answer.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return names.map((value) => ({ value }));
}
