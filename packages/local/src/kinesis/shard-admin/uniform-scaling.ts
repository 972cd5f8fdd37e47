/**
 * UpdateShardCount's UNIFORM_SCALING as a sequence of SplitShard and MergeShards calls, for engines
 * that have those but not UpdateShardCount (kinesalite).
 *
 * The target: `n` open shards of equal hash-key ranges, with the boundaries CreateStream gives `n`
 * shards (Kinesis's, and kinesalite's): shard `k` starts at `floor(2^128 / n) * k`, the last one takes
 * the remainder. A target boundary that lies within rounding of a boundary the stream already has
 * (`SNAP_KEYS`) keeps the existing one: going from 3 to 6 shards splits each shard once instead of
 * cutting off 1-key slivers where `floor(2^128/6) * 2` misses `floor(2^128/3)` by one.
 *
 * The steps go from the lowest hash key up: for each target range, split the shard that crosses its
 * upper boundary, then merge the shards inside it pairwise. So the stream never has more than one
 * shard beyond the larger of its current and target counts (short-lived shards count against the
 * account's shard limit, as on Kinesis), and every step is one Kinesis can take: a split strictly inside
 * an open shard, a merge of two adjacent open shards.
 */

export const HASH_KEY_SPACE = 1n << 128n;

/**
 * How close (in hash keys) an existing boundary must be to a target boundary to be kept in its place.
 * Rounding puts uniform boundaries of different counts at most a few thousand keys apart; two distinct
 * fractions k/n and j/m (n, m ≤ 100,000) are at least 2^128 / 10^10 ≈ 3·10^28 keys apart.
 */
export const SNAP_KEYS = 1n << 64n;

/** An open shard's hash-key range, inclusive. */
export interface KeyRange {
  readonly start: bigint;
  readonly end: bigint;
}

export type ReshardStep =
  | { readonly kind: 'split'; readonly shard: KeyRange; readonly at: bigint }
  | { readonly kind: 'merge'; readonly lower: KeyRange; readonly upper: KeyRange };

/** The starting hash keys of shards 1..n-1 of a uniform `n`-shard stream, snapped to `existing` ones. */
export function targetBoundaries(count: number, existing: readonly bigint[]): bigint[] {
  const width = HASH_KEY_SPACE / BigInt(count);
  const boundaries: bigint[] = [];
  for (let k = 1; k < count; k++) {
    const ideal = width * BigInt(k);
    let best = ideal;
    let bestDistance = SNAP_KEYS;
    for (const boundary of existing) {
      const distance = boundary > ideal ? boundary - ideal : ideal - boundary;
      if (distance < bestDistance) {
        best = boundary;
        bestDistance = distance;
      }
    }
    boundaries.push(best);
  }
  return boundaries;
}

/**
 * The next split or merge that brings `open` (the open shards, contiguous, sorted by start) toward
 * `boundaries`; undefined once the open shards are exactly the target ranges.
 */
export function nextStep(open: readonly KeyRange[], boundaries: readonly bigint[]): ReshardStep | undefined {
  const ends = [...boundaries, HASH_KEY_SPACE];
  let from = 0n;
  for (const upTo of ends) {
    const crossing = open.find((shard) => shard.start < upTo && upTo <= shard.end);
    if (crossing) return { kind: 'split', shard: crossing, at: upTo };
    const inside = open.filter((shard) => shard.start >= from && shard.end < upTo);
    if (inside.length >= 2) return { kind: 'merge', lower: inside[0]!, upper: inside[1]! };
    from = upTo;
  }
  return undefined;
}

/** `open` after `step` (shards are matched by their starting hash key). */
export function applyStep(open: readonly KeyRange[], step: ReshardStep): KeyRange[] {
  if (step.kind === 'split') {
    return open.flatMap((shard) =>
      shard.start === step.shard.start
        ? [
            { start: shard.start, end: step.at - 1n },
            { start: step.at, end: shard.end },
          ]
        : [shard],
    );
  }
  return open
    .filter((shard) => shard.start !== step.upper.start)
    .map((shard) => (shard.start === step.lower.start ? { start: shard.start, end: step.upper.end } : shard));
}

/** The steps from `open` to `count` uniform shards, and the most open shards there are on the way. */
export function planUniformScaling(
  open: readonly KeyRange[],
  count: number,
): { boundaries: bigint[]; steps: ReshardStep[]; peak: number } {
  const boundaries = targetBoundaries(
    count,
    open.slice(1).map((shard) => shard.start),
  );
  const steps: ReshardStep[] = [];
  let current = [...open];
  let peak = current.length;
  // Each target boundary costs at most one split, each shard at most one merge.
  const most = open.length + 2 * count;
  for (let step = nextStep(current, boundaries); step; step = nextStep(current, boundaries)) {
    if (steps.length >= most) throw new Error(`uniform scaling to ${count} shards does not converge`);
    steps.push(step);
    current = applyStep(current, step);
    peak = Math.max(peak, current.length);
  }
  return { boundaries, steps, peak };
}
