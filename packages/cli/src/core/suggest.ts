/**
 * "Did you mean …?" for a mistyped command or option: the closest known word by edit distance
 * (insertions, deletions, substitutions and swaps of two neighbours each count 1), the only known
 * word the typed one starts, or the only one it is a dash-separated part of (`--file` → `--data-file`). A dozen lines; yargs' own `recommendCommands()` covers commands only and
 * its distance function is not exported.
 */

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`outptu` → `output`: 1). */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The known word `typed` most likely meant, or undefined when none is close. */
export function closest(typed: string, known: Iterable<string>): string | undefined {
  const words = [...new Set(known)];
  const prefixed = words.filter((word) => word.startsWith(typed));
  if (typed.length >= 3 && prefixed.length === 1) return prefixed[0];
  const parts = words.filter((word) => word.split('-').includes(typed) || word.endsWith(`-${typed}`));
  if (typed.length >= 3 && parts.length === 1) return parts[0];
  const limit = Math.max(1, Math.min(3, Math.floor(typed.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const word of words) {
    const distance = editDistance(typed, word);
    if (distance < bestDistance) {
      best = word;
      bestDistance = distance;
    }
  }
  return best;
}
