/**
 * The one place that writes to the terminal. stdout carries data only (what a script pipes on); every
 * message, warning, progress line and error goes to stderr. Commands never call `console.*`.
 */
import type { Io, OutputStream } from './io.ts';

export type OutputFormat = 'text' | 'json';

/**
 * ANSI styles. Written out rather than `util.styleText`, which (in recent Node versions) checks
 * `process.stdout` itself and so ignores the streams a test or an embedding passes in.
 */
const STYLES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

type Style = keyof typeof STYLES;

export interface OutputOptions {
  /** How read commands print their result on stdout. @default 'text' */
  format: OutputFormat;
  /** ANSI colors on stderr/stdout; off for `--no-color`, `NO_COLOR` and non-terminals. */
  color: boolean;
  /** Print debug lines (requests, responses, stacks). */
  debug: boolean;
  /** `--query`: selects from a result, and prints the selection as text (`core/query.ts`). */
  query?: { select(value: unknown): unknown; text(value: unknown): string[] } | undefined;
}

/** Colors only when asked for, not disabled by `NO_COLOR` (https://no-color.org), and on a terminal. */
export function shouldUseColor(io: Io, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return Boolean(io.stderr.isTTY) && io.env.TERM !== 'dumb';
}

export class Output {
  constructor(
    readonly io: Io,
    readonly options: OutputOptions,
  ) {}

  get format(): OutputFormat {
    return this.options.format;
  }

  get stdoutIsTTY(): boolean {
    return Boolean(this.io.stdout.isTTY);
  }

  get stderrIsTTY(): boolean {
    return Boolean(this.io.stderr.isTTY);
  }

  // --- data: stdout -----------------------------------------------------------------------------

  /** One line of data on stdout. */
  line(text: string): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** Raw bytes or text on stdout, no newline added. */
  raw(chunk: string | Uint8Array): void {
    this.io.stdout.write(chunk);
  }

  /**
   * A value as one line of JSON on stdout. With `--query`, the selection from it, as `result` prints
   * one: one line of JSON, or with `--output text` as `aws` prints it.
   */
  json(value: unknown): void {
    const { query } = this.options;
    if (!query) {
      this.line(JSON.stringify(value));
      return;
    }
    const selected = query.select(value);
    if (this.format === 'json') this.line(JSON.stringify(selected));
    else for (const l of query.text(selected)) this.line(l);
  }

  /** `--query` was given: a command that prints JSON only on request prints its result for it. */
  get hasQuery(): boolean {
    return this.options.query !== undefined;
  }

  /**
   * A command's result: JSON (pretty, for `--output json`) or the command's text rendering. With
   * `--query`, the selection from the JSON: as JSON, or with `--output text` as `aws` prints it.
   */
  result(value: unknown, text: () => string | string[] | undefined): void {
    const { query } = this.options;
    if (query) {
      const selected = query.select(value);
      if (this.format === 'json') this.io.stdout.write(`${JSON.stringify(selected, null, 2)}\n`);
      else for (const l of query.text(selected)) this.line(l);
      return;
    }
    if (this.format === 'json') {
      this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      return;
    }
    const rendered = text();
    if (rendered === undefined) return;
    for (const l of Array.isArray(rendered) ? rendered : [rendered]) this.line(l);
  }

  /** Rows as aligned columns (text output). */
  table(rows: readonly (readonly string[])[]): string[] {
    const widths: number[] = [];
    for (const row of rows) {
      row.forEach((cell, i) => {
        widths[i] = Math.max(widths[i] ?? 0, cell.length);
      });
    }
    return rows.map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    );
  }

  // --- messages: stderr -------------------------------------------------------------------------

  info(message: string): void {
    this.io.stderr.write(`${message}\n`);
  }

  success(message: string): void {
    this.info(`${this.style('green', '✔')} ${message}`);
  }

  warn(message: string): void {
    this.info(`${this.style('yellow', 'warning:')} ${message}`);
  }

  error(message: string, hint?: string): void {
    this.info(`${this.style('red', 'error:')} ${message}`);
    if (hint) this.info(`${this.style('dim', 'hint:')} ${hint}`);
  }

  debug(message: string): void {
    if (this.options.debug) this.info(this.style('dim', `[debug] ${message}`));
  }

  get isDebug(): boolean {
    return this.options.debug;
  }

  /** Text styled for stderr when colors are on, plain otherwise. */
  style(style: Style, text: string): string {
    if (!this.options.color) return text;
    const [open, close] = STYLES[style];
    return `\x1b[${open}m${text}\x1b[${close}m`;
  }

  /** The stream progress lines go to; only used when it is a terminal. */
  get progressStream(): OutputStream {
    return this.io.stderr;
  }
}
