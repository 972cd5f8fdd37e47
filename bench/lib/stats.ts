/** Small statistics and number formatting for the tables. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const fixed = (value: number, digits = 2) => value.toFixed(digits);
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** "1.23× (target ≤ 1.5×: met)" */
export function ratio(value: number, target: { max?: number; min?: number }): string {
  const met =
    (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
  const bound = target.max !== undefined ? `≤ ${target.max}×` : `≥ ${target.min}×`;
  return `${value.toFixed(2)}× (target ${bound}: ${met ? 'met' : '**missed**'})`;
}

/** A Markdown table from a header row and data rows, columns padded as the repo's formatter (biome) writes them. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const all = [head, ...rows].map((row) => row.map(String));
  const widths = head.map((_, c) => Math.max(3, ...all.map((row) => [...row[c]!].length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join(' | ')} |`;
  return [line(all[0]!), line(widths.map((w) => '-'.repeat(w))), ...all.slice(1).map(line)].join('\n');
}
