/**
 * A single status line on stderr, redrawn in place at most 10 times a second, only when stderr is a
 * terminal. A dozen lines do what a progress-bar library would; libraries for this draw multi-bar
 * layouts kproxy does not need and would add start-up time to every command.
 *
 * The line always fits the terminal (a line that wraps cannot be redrawn in place): the bar goes
 * first, then the rate, then the text is cut. Anything else printed on stderr while it shows must go
 * through `print`, which erases the line first; the next redraw puts it back under the message.
 */
import type { OutputStream } from '../core/io.ts';
import { formatCount } from './summary.ts';

const REDRAW_MS = 100;
const BAR_WIDTH = 20;
const ERASE = '\r\x1b[2K';

export interface ProgressState {
  succeeded: number;
  failed: number;
  retried: number;
  /** Input bytes read so far and the input's size, when known (a file): drives the bar. */
  bytesRead?: number;
  totalBytes?: number | undefined;
}

export class ProgressLine {
  #timer: ReturnType<typeof setInterval> | undefined;
  #drawn = false;
  readonly #started = performance.now();

  constructor(
    private readonly stream: OutputStream,
    private readonly state: () => ProgressState,
  ) {}

  start(): void {
    this.draw();
    this.#timer = setInterval(() => this.draw(), REDRAW_MS);
    this.#timer.unref?.();
  }

  draw(): void {
    const columns = this.stream.columns && this.stream.columns > 0 ? this.stream.columns : 80;
    this.stream.write(`${ERASE}${fit(this.#parts(), columns - 1)}`);
    this.#drawn = true;
  }

  /** Erases the line (if drawn) and writes `text` in its place; the line comes back at the next redraw. */
  print(write: () => void): void {
    this.clear();
    write();
  }

  /** Erases the line; it is drawn again at the next redraw while running. */
  clear(): void {
    if (this.#drawn) this.stream.write(ERASE);
    this.#drawn = false;
  }

  /** Stops redrawing and erases the line, so the summary starts on a clean line. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  #parts(): { bar: string; counts: string; rate: string } {
    const s = this.state();
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0 ? Math.round(s.succeeded / seconds) : 0;
    let bar = '';
    if (s.totalBytes && s.bytesRead !== undefined) {
      const fraction = Math.min(1, s.bytesRead / s.totalBytes);
      const filled = Math.round(fraction * BAR_WIDTH);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% `;
    }
    const counts = `${formatCount(s.succeeded)} written, ${formatCount(s.failed)} failed, ${formatCount(s.retried)} retried`;
    return { bar, counts, rate: ` · ${formatCount(rate)} records/s` };
  }
}

/** The parts that fit in `width` columns: the bar is dropped first, then the rate, then text is cut. */
export function fit(parts: { bar: string; counts: string; rate: string }, width: number): string {
  const full = `${parts.bar}${parts.counts}${parts.rate}`;
  if (full.length <= width) return full;
  const withRate = `${parts.counts}${parts.rate}`;
  if (withRate.length <= width) return withRate;
  if (parts.counts.length <= width) return parts.counts;
  return width > 1 ? `${parts.counts.slice(0, width - 1)}…` : '';
}
