/** The UpdateShardCount planner (pure): uniform targets, valid steps, few short-lived shards. */
import { describe, expect, it } from 'vitest';
import {
  applyStep,
  HASH_KEY_SPACE,
  type KeyRange,
  nextStep,
  planUniformScaling,
  SNAP_KEYS,
} from '../src/kinesis/shard-admin/uniform-scaling.ts';

/** The ranges CreateStream gives `n` shards (Kinesis's and kinesalite's formula). */
function created(n: number): KeyRange[] {
  const width = HASH_KEY_SPACE / BigInt(n);
  return Array.from({ length: n }, (_, k) => ({
    start: width * BigInt(k),
    end: k === n - 1 ? HASH_KEY_SPACE - 1n : width * BigInt(k + 1) - 1n,
  }));
}

/** Runs a plan step by step, checking each step is one Kinesis (and kinesalite) accepts. */
function run(open: KeyRange[], target: number): { result: KeyRange[]; steps: number; peak: number } {
  const plan = planUniformScaling(open, target);
  let current = open;
  for (const step of plan.steps) {
    expect(nextStep(current, plan.boundaries)).toEqual(step);
    if (step.kind === 'split') {
      // kinesalite: NewStartingHashKey > StartingHashKey + 1 and < EndingHashKey.
      expect(step.at > step.shard.start + 1n && step.at < step.shard.end).toBe(true);
    } else {
      expect(step.lower.end + 1n).toBe(step.upper.start);
    }
    current = applyStep(current, step);
    // Always a contiguous cover of the whole hash-key space.
    expect(current[0]!.start).toBe(0n);
    expect(current.at(-1)!.end).toBe(HASH_KEY_SPACE - 1n);
    for (let i = 1; i < current.length; i++) expect(current[i]!.start).toBe(current[i - 1]!.end + 1n);
  }
  expect(nextStep(current, plan.boundaries)).toBeUndefined();
  return { result: current, steps: plan.steps.length, peak: plan.peak };
}

describe('uniform scaling', () => {
  it('2 → 4 splits each shard in the middle: the ranges of a 4-shard stream', () => {
    const { result, steps, peak } = run(created(2), 4);
    expect(result).toEqual(created(4));
    expect(steps).toBe(2);
    expect(peak).toBe(4);
  });

  it('4 → 3 leaves the ranges CreateStream gives 3 shards, never more than 5 open at once', () => {
    const { result, steps, peak } = run(created(4), 3);
    expect(result).toEqual(created(3));
    expect(steps).toBe(5);
    expect(peak).toBe(5);
  });

  it('3 → 6 splits each shard once (no 1-key slivers where the rounding of thirds and sixths differ)', () => {
    const { result, steps } = run(created(3), 6);
    expect(steps).toBe(3);
    expect(result).toHaveLength(6);
    const ideal = HASH_KEY_SPACE / 6n;
    for (const range of result) {
      const width = range.end - range.start + 1n;
      expect(width > ideal - 10n && width < ideal + 10n).toBe(true);
    }
  });

  it('the same count is no work; 1 → 2 → 1 comes back to one shard', () => {
    expect(run(created(5), 5).steps).toBe(0);
    const up = run(created(1), 2);
    expect(up.result).toEqual(created(2));
    expect(run(up.result, 1).result).toEqual(created(1));
  });

  it('any chain of counts, each between half and double the last, ends uniform', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let open = created(1 + Math.floor(random() * 12));
    for (let i = 0; i < 40; i++) {
      const current = open.length;
      // Between half and double the current count, and at most 40 shards.
      const low = Math.ceil(current / 2);
      const high = Math.min(current * 2, 40);
      const target = low + Math.floor(random() * (high - low + 1));
      const { result, peak } = run(open, target);
      expect(result).toHaveLength(target);
      expect(peak).toBeLessThanOrEqual(Math.max(current, target) + 1);
      // Uniform: every range within rounding of 2^128 / target.
      const ideal = HASH_KEY_SPACE / BigInt(target);
      for (const range of result) {
        const width = range.end - range.start + 1n;
        const off = width > ideal ? width - ideal : ideal - width;
        expect(off < 2n * SNAP_KEYS).toBe(true);
      }
      open = result;
    }
  });
});
