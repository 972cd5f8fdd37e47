/**
 * Options of `startLocalProxy`, one for each flag of `kproxy local`.
 */
import { resolve } from 'node:path';
import { LOCAL_DEFAULTS, type OperationId, operations, STAGE_NAME_PATTERN } from '@kproxy/contract';
import { isCorsOrigin } from './cors.ts';
import type { KinesisCredentials } from './kinesis/backend.ts';
import {
  resolveShardLimits,
  type ShardLimits,
  type ShardLimitsOptions,
} from './kinesis/shard-limits-options.ts';
import type { Logger } from './log.ts';
import type { ThrottleOptions } from './throttle.ts';

/** How callers authenticate, as the deployed API's method authorization. */
export type AuthMode = 'none' | 'iam' | 'api-key';

/** An access key the emulator accepts in `iam` mode. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface LocalProxyOptions {
  /**
   * TCP port to listen on; `0` picks a free one (read it from the result).
   * @default 4600
   */
  readonly port?: number;
  /**
   * Interface to listen on. Keep the loopback default unless other machines must reach the emulator.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Stage name, the first path segment of every route (`/v1/streams`).
   * @default 'v1'
   */
  readonly stage?: string;
  /**
   * Method authorization: `none`; `iam` verifies SigV4 signatures (service `execute-api`) against
   * `credentials`; `api-key` requires an `x-api-key` header holding one of `apiKeys`.
   * @default 'none'
   */
  readonly auth?: AuthMode;
  /**
   * The access keys `iam` mode accepts: a list of key pairs, or a map of access key id → secret.
   * Required when `auth` is `iam`.
   * @example [{ accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' }]
   */
  readonly credentials?: readonly AccessKey[] | Readonly<Record<string, string>>;
  /** The API keys `api-key` mode accepts. Required when `auth` is `api-key`. */
  readonly apiKeys?: readonly string[];
  /**
   * Directory where the embedded engine keeps streams and records (LevelDB), so they survive a
   * restart. Created when missing. Ignored with `inMemory` or `kinesisEndpoint`.
   * @default '.kproxy/data' under the current directory
   */
  readonly dataDir?: string;
  /**
   * Keep the embedded engine's data in memory only: everything is gone after `close()`.
   * @default false
   */
  readonly inMemory?: boolean;
  /**
   * Send Kinesis requests to this server instead of the embedded engine: any Kinesis-compatible URL
   * (`http://127.0.0.1:4567` for kinesis-local), or `aws` for the real Kinesis of `region`. Requests
   * are signed with `kinesisCredentials`; else placeholder credentials for a server on this machine
   * (127.0.0.1, localhost, ::1), and the AWS default credential chain for any other.
   */
  readonly kinesisEndpoint?: string;
  /** Credentials for `kinesisEndpoint` (see there for what is used when absent). */
  readonly kinesisCredentials?: KinesisCredentials;
  /**
   * Region of the API: callers sign for it in `iam` mode, and Kinesis requests are signed for it.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Do not log a line per request (startup and errors are still reported through `logger`).
   * @default false
   */
  readonly quiet?: boolean;
  /**
   * Throttle requests like a stage's method throttling: a token bucket of `burst` tokens refilled at
   * `rate` per second; a request that finds it empty gets 429 `{"message":"Too Many Requests"}`.
   * @default undefined (no throttling)
   */
  readonly throttle?: ThrottleOptions;
  /**
   * Enforce Kinesis's per-shard limits, which the local engines lack: writes 1,000 records/s and
   * 1 MiB/s, reads 5 GetRecords/s and 2 MiB/s per shard, answered as Kinesis does
   * (`ProvisionedThroughputExceededException` per refused PutRecords entry, or for the whole PutRecord /
   * GetRecords call). `true`: Kinesis's limits; a spec as `kproxy local --shard-limits` takes
   * (`writes=1000rps,1MiB;reads=5rps,2MiB`, `reads=off`); or an object overriding some of them.
   * @default undefined (no shard limits)
   */
  readonly shardLimits?: boolean | string | ShardLimitsOptions;
  /**
   * Let browser pages on this origin (`http://localhost:5173`, or `*` for any) call the API, as the
   * deployed API's `corsAllowOrigin` does: `OPTIONS` on every resource answers the preflight (204, no
   * authorization needed), and every response, errors included, carries `Access-Control-Allow-Origin`.
   * @default undefined (no CORS: `OPTIONS` answers 403 Missing Authentication Token)
   */
  readonly cors?: string;
  /**
   * The routes the API has, by operation id: e.g. `SEED_OPERATION_IDS` (from `@kproxy/contract`) answers
   * like a deployment made from the seeds, with 403 "Missing Authentication Token" for kproxy's additions
   * (`/shards`, `/shard-count`, `/summary`).
   * @default every route of the contract
   */
  readonly routes?: readonly OperationId[];
  /**
   * Where log lines go.
   * @default a logger writing to the console
   */
  readonly logger?: Logger;
}

/** Options with every default applied and every combination checked. */
export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly stage: string;
  readonly auth: AuthMode;
  readonly accessKeys: ReadonlyMap<string, string>;
  readonly apiKeys: readonly string[];
  /** undefined: in memory. */
  readonly dataDir: string | undefined;
  readonly kinesisEndpoint: string | undefined;
  readonly kinesisCredentials: KinesisCredentials | undefined;
  readonly region: string;
  readonly quiet: boolean;
  readonly throttle: ThrottleOptions | undefined;
  /** undefined: no shard limits. */
  readonly shardLimits: ShardLimits | undefined;
  /** undefined: no CORS. */
  readonly cors: string | undefined;
  readonly routes: readonly OperationId[];
}

/** The data directory used when neither `dataDir` nor `inMemory` is given. */
export const DEFAULT_DATA_DIR = '.kproxy/data';

function accessKeyMap(credentials: LocalProxyOptions['credentials']): Map<string, string> {
  if (!credentials) return new Map();
  if (Array.isArray(credentials)) {
    return new Map((credentials as readonly AccessKey[]).map((c) => [c.accessKeyId, c.secretAccessKey]));
  }
  return new Map(Object.entries(credentials as Readonly<Record<string, string>>));
}

/** Applies defaults; throws a TypeError naming the option for an invalid combination. */
export function resolveOptions(options: LocalProxyOptions = {}): ResolvedOptions {
  const auth = options.auth ?? 'none';
  if (!['none', 'iam', 'api-key'].includes(auth)) {
    throw new TypeError(`auth must be 'none', 'iam' or 'api-key', got ${JSON.stringify(auth)}`);
  }
  const accessKeys = accessKeyMap(options.credentials);
  if (auth === 'iam' && accessKeys.size === 0) {
    throw new TypeError("auth 'iam' needs credentials: the access key ids and secrets to accept");
  }
  const apiKeys = [...(options.apiKeys ?? [])];
  if (auth === 'api-key' && apiKeys.length === 0) {
    throw new TypeError("auth 'api-key' needs apiKeys: the x-api-key values to accept");
  }
  const port = options.port ?? LOCAL_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`port must be an integer from 0 to 65535, got ${port}`);
  }
  const stage = options.stage ?? LOCAL_DEFAULTS.stage;
  if (!STAGE_NAME_PATTERN.test(stage)) {
    throw new TypeError(`stage must be 1–128 letters, digits, '-' or '_', got ${JSON.stringify(stage)}`);
  }
  if (options.cors !== undefined && !isCorsOrigin(options.cors)) {
    throw new TypeError(
      `cors must be '*' or an origin: scheme, host and port without a path (http://localhost:5173), got ${JSON.stringify(options.cors)}`,
    );
  }
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const routes = options.routes ?? (Object.keys(operations) as OperationId[]);
  for (const id of routes) {
    if (!Object.hasOwn(operations, id)) {
      throw new TypeError(
        `routes: ${JSON.stringify(id)} is no operation of the contract (${Object.keys(operations).join(', ')})`,
      );
    }
  }
  return {
    port,
    host: options.host ?? LOCAL_DEFAULTS.host,
    stage,
    auth,
    accessKeys,
    apiKeys,
    dataDir,
    kinesisEndpoint: options.kinesisEndpoint,
    kinesisCredentials: options.kinesisCredentials,
    region: options.region ?? LOCAL_DEFAULTS.region,
    quiet: options.quiet ?? false,
    throttle: options.throttle,
    shardLimits: resolveShardLimits(options.shardLimits),
    cors: options.cors,
    routes,
  };
}
