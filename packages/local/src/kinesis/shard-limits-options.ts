/**
 * What `--shard-limits` / `startLocalProxy({ shardLimits })` enforce per shard, and the spec syntax
 * of the flag:
 *
 *   writes=1000rps,1MiB;reads=5rps,2MiB     Kinesis's limits (what the flag alone means)
 *   writes=100rps                            only change the write record rate; the rest stays Kinesis's
 *   writes=500rps,256KiB/s;reads=off         reads unlimited
 *
 * Parts are `writes=` or `reads=`, separated by `;`. Each takes a rate `<n>rps` (records per second for
 * writes, GetRecords calls per second for reads) and/or a size per second `<n><unit>[/s]` with the unit
 * B, KiB, MiB (binary) or KB, MB (decimal); `off` lifts that direction's limits.
 */
import { LIMITS } from '@kproxy/contract';

const KiB = 1024;
const MiB = 1024 * KiB;

export interface WriteLimits {
  /** Records a shard accepts per second (PutRecord, PutRecords entries). */
  readonly recordsPerSecond: number;
  /** Bytes (data plus partition key) a shard accepts per second. */
  readonly bytesPerSecond: number;
}

export interface ReadLimits {
  /** GetRecords calls a shard answers per second. */
  readonly callsPerSecond: number;
  /**
   * Data bytes a shard returns per second. One call may return more (up to 10 MiB): the excess is
   * borrowed from the next seconds, and calls are refused until it is paid back, as Kinesis does.
   */
  readonly bytesPerSecond: number;
}

/** Resolved limits; `undefined` for a direction means unlimited. */
export interface ShardLimits {
  readonly writes: WriteLimits | undefined;
  readonly reads: ReadLimits | undefined;
}

/** What callers may pass: any field left out keeps Kinesis's value; `false` lifts a direction's limits. */
export interface ShardLimitsOptions {
  readonly writes?: false | Partial<WriteLimits>;
  readonly reads?: false | Partial<ReadLimits>;
}

/** Kinesis Data Streams' per-shard limits (provisioned mode). */
export const KINESIS_SHARD_LIMITS: ShardLimits = {
  writes: { recordsPerSecond: 1000, bytesPerSecond: 1 * MiB },
  reads: { callsPerSecond: LIMITS.getRecordsPerShardPerSecond, bytesPerSecond: 2 * MiB },
};

const UNITS: Record<string, number> = { b: 1, kib: KiB, mib: MiB, kb: 1000, mb: 1_000_000 };

function specError(part: string, problem: string): TypeError {
  return new TypeError(
    `shardLimits "${part}": ${problem}; expected e.g. writes=1000rps,1MiB;reads=5rps,2MiB (rates as <n>rps, sizes per second in B, KiB, MiB, KB or MB; "off" for no limit)`,
  );
}

function parseDirection(part: string, values: string): { rate?: number; bytes?: number } | false {
  if (values.trim().toLowerCase() === 'off') return false;
  const result: { rate?: number; bytes?: number } = {};
  for (const raw of values.split(',')) {
    const value = raw.trim().toLowerCase();
    const rate = /^(\d+(?:\.\d+)?)\s*rps$/.exec(value);
    const size = /^(\d+(?:\.\d+)?)\s*(b|kib|mib|kb|mb)(?:\/s)?$/.exec(value);
    if (rate && result.rate === undefined) result.rate = Number(rate[1]);
    else if (size && result.bytes === undefined) result.bytes = Number(size[1]) * UNITS[size[2]!]!;
    else if (rate || size) throw specError(part, `"${raw.trim()}" repeats a rate or a size`);
    else throw specError(part, `"${raw.trim()}" is neither a rate (1000rps) nor a size (1MiB)`);
  }
  return result;
}

/** Parses the `--shard-limits` spec; an empty spec means Kinesis's limits. Throws a TypeError naming the bad part. */
export function parseShardLimits(spec: string): ShardLimitsOptions {
  const options: { writes?: false | Partial<WriteLimits>; reads?: false | Partial<ReadLimits> } = {};
  for (const part of spec.split(';').map((p) => p.trim())) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const direction = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (eq === -1 || (direction !== 'writes' && direction !== 'reads')) {
      throw specError(part, 'each part must start with writes= or reads=');
    }
    if (direction in options) throw specError(part, `${direction} is given twice`);
    const parsed = parseDirection(part, part.slice(eq + 1));
    if (direction === 'writes') {
      options.writes =
        parsed === false
          ? false
          : {
              ...(parsed.rate !== undefined ? { recordsPerSecond: parsed.rate } : {}),
              ...(parsed.bytes !== undefined ? { bytesPerSecond: parsed.bytes } : {}),
            };
    } else {
      options.reads =
        parsed === false
          ? false
          : {
              ...(parsed.rate !== undefined ? { callsPerSecond: parsed.rate } : {}),
              ...(parsed.bytes !== undefined ? { bytesPerSecond: parsed.bytes } : {}),
            };
    }
  }
  return options;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TypeError(`shardLimits.${name} must be a positive number, got ${value}`);
  }
  return value;
}

/**
 * `true` or `''`: Kinesis's limits; a spec string (see above) or an options object: Kinesis's limits
 * with those changes; `false`/`undefined`: no limits.
 */
export function resolveShardLimits(
  option: boolean | string | ShardLimitsOptions | undefined,
): ShardLimits | undefined {
  if (option === undefined || option === false) return undefined;
  const options = option === true ? {} : typeof option === 'string' ? parseShardLimits(option) : option;
  const { writes: w, reads: r } = KINESIS_SHARD_LIMITS as Required<{
    [K in keyof ShardLimits]: NonNullable<ShardLimits[K]>;
  }>;
  return {
    writes:
      options.writes === false
        ? undefined
        : {
            recordsPerSecond: positive(
              'writes.recordsPerSecond',
              options.writes?.recordsPerSecond ?? w.recordsPerSecond,
            ),
            bytesPerSecond: positive(
              'writes.bytesPerSecond',
              options.writes?.bytesPerSecond ?? w.bytesPerSecond,
            ),
          },
    reads:
      options.reads === false
        ? undefined
        : {
            callsPerSecond: positive(
              'reads.callsPerSecond',
              options.reads?.callsPerSecond ?? r.callsPerSecond,
            ),
            bytesPerSecond: positive(
              'reads.bytesPerSecond',
              options.reads?.bytesPerSecond ?? r.bytesPerSecond,
            ),
          },
  };
}

function size(bytes: number): string {
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} B`;
}

/** `writes 1000 records/s and 1 MiB/s, reads 5 calls/s and 2 MiB/s per shard`, for the startup banner. */
export function describeShardLimits(limits: ShardLimits): string {
  const writes = limits.writes
    ? `writes ${limits.writes.recordsPerSecond} records/s and ${size(limits.writes.bytesPerSecond)}/s`
    : 'writes unlimited';
  const reads = limits.reads
    ? `reads ${limits.reads.callsPerSecond} calls/s and ${size(limits.reads.bytesPerSecond)}/s`
    : 'reads unlimited';
  return `${writes}, ${reads} per shard`;
}
