/**
 * Sets of input line numbers kept as sorted, disjoint ranges: what a journal records (lines sent,
 * acknowledged, written to `--failed-out`) and what a summary names ("lines 3–17, 40"). Lines mostly
 * arrive in order, so adding at the end is the fast path; anything else is a binary search.
 */
import { formatCount } from './summary.ts';

/** `[first, last]`, both included. */
export type LineRange = [number, number];

export class LineRanges {
  readonly #ranges: LineRange[] = [];
  #size = 0;

  static of(ranges: readonly LineRange[]): LineRanges {
    const set = new LineRanges();
    for (const [first, last] of ranges) set.add(first, last);
    return set;
  }

  /** How many lines. */
  get size(): number {
    return this.#size;
  }

  get ranges(): readonly LineRange[] {
    return this.#ranges;
  }

  /** Adds lines `first` to `last` (default: the one line `first`). */
  add(first: number, last = first): void {
    if (last < first) return;
    const ranges = this.#ranges;
    const tail = ranges.at(-1);
    if (!tail || first > tail[1] + 1) {
      ranges.push([first, last]);
      this.#size += last - first + 1;
      return;
    }
    if (first >= tail[0] && first <= tail[1] + 1) {
      if (last > tail[1]) {
        this.#size += last - tail[1];
        tail[1] = last;
      }
      return;
    }
    // The first range that ends at or after first - 1: it and the following ones may merge.
    const at = this.#firstEndingFrom(first - 1);
    let mergedFirst = first;
    let mergedLast = last;
    let removed = 0;
    let count = 0;
    for (let i = at; i < ranges.length && ranges[i]![0] <= last + 1; i++) {
      const [a, b] = ranges[i]!;
      mergedFirst = Math.min(mergedFirst, a);
      mergedLast = Math.max(mergedLast, b);
      removed += b - a + 1;
      count++;
    }
    ranges.splice(at, count, [mergedFirst, mergedLast]);
    this.#size += mergedLast - mergedFirst + 1 - removed;
  }

  has(line: number): boolean {
    const range = this.#ranges[this.#firstEndingFrom(line)];
    return range !== undefined && range[0] <= line;
  }

  /** Lines of this set that are not in `other`. */
  minus(other: LineRanges): LineRanges {
    const result = new LineRanges();
    const theirs = other.#ranges;
    let j = 0;
    for (const [first, last] of this.#ranges) {
      let from = first;
      while (j < theirs.length && theirs[j]![1] < from) j++;
      for (let k = j; k < theirs.length && theirs[k]![0] <= last && from <= last; k++) {
        const [a, b] = theirs[k]!;
        if (a > from) result.add(from, Math.min(last, a - 1));
        from = Math.max(from, b + 1);
      }
      if (from <= last) result.add(from, last);
    }
    return result;
  }

  /** Lines of this set from `line` on. */
  countFrom(line: number): number {
    let count = 0;
    for (let i = this.#firstEndingFrom(line); i < this.#ranges.length; i++) {
      const [a, b] = this.#ranges[i]!;
      count += b - Math.max(a, line) + 1;
    }
    return count;
  }

  /** `3–17, 40, 52–60`; past `max` ranges, `… (N more lines)`. */
  format(max = 20): string {
    const shown = this.#ranges
      .slice(0, max)
      .map(([a, b]) => (a === b ? formatCount(a) : `${formatCount(a)}–${formatCount(b)}`));
    const rest = this.#ranges.slice(max).reduce((sum, [a, b]) => sum + b - a + 1, 0);
    return rest > 0 ? `${shown.join(', ')}, … (${formatCount(rest)} more)` : shown.join(', ');
  }

  toJSON(): LineRange[] {
    return this.#ranges.map(([a, b]) => [a, b]);
  }

  /** Index of the first range whose last line is at least `line` (ranges.length if none). */
  #firstEndingFrom(line: number): number {
    let low = 0;
    let high = this.#ranges.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#ranges[mid]![1] < line) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** The ranges of a list of line numbers in any order (a batch's lines, say). */
export function rangesOf(lines: readonly number[]): LineRange[] {
  const sorted = [...lines].sort((a, b) => a - b);
  const ranges: LineRange[] = [];
  for (const line of sorted) {
    const tail = ranges.at(-1);
    if (tail && line <= tail[1] + 1) tail[1] = Math.max(tail[1], line);
    else ranges.push([line, line]);
  }
  return ranges;
}
