/**
 * A single status line on stderr, redrawn in place at most 10 times a second, only when stderr is a
 * terminal. A dozen lines do what a progress-bar library would; libraries for this draw multi-bar
 * layouts kproxy does not need and would add start-up time to every command.
 */
import type { OutputStream } from '../core/io.ts';

const REDRAW_MS = 100;
const BAR_WIDTH = 20;

export interface ProgressState {
  sent: number;
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
    const s = this.state();
    const seconds = (performance.now() - this.#started) / 1000;
    const rate = seconds > 0 ? Math.round(s.succeeded / seconds) : 0;
    let bar = '';
    if (s.totalBytes && s.bytesRead !== undefined) {
      const fraction = Math.min(1, s.bytesRead / s.totalBytes);
      const filled = Math.round(fraction * BAR_WIDTH);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}% `;
    }
    const text = `${bar}${n(s.succeeded)} written, ${n(s.failed)} failed, ${n(s.retried)} retried · ${n(rate)} records/s`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.#drawn = true;
  }

  /** Stops redrawing and erases the line, so the summary starts on a clean line. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#drawn) this.stream.write('\r\x1b[2K');
  }
}

const n = (value: number) => value.toLocaleString('en-US');
