/** Options of `new KproxyClient(…)` and of each call. */
import type { ClientAuthType } from '@kproxy/contract';

/** AWS credentials for SigV4. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials (STS, SSO, instance roles); sent as `X-Amz-Security-Token`. */
  sessionToken?: string | undefined;
  /** When temporary credentials stop working; a provider is asked again shortly before. */
  expiration?: Date | undefined;
}

/**
 * A function that yields credentials. The client caches its answer until 5 minutes before
 * `expiration` (forever when there is none), like the AWS SDK does.
 */
export type CredentialProvider = () => Promise<Credentials>;

/** Sign every request with AWS Signature V4 (service `execute-api`): for methods that use IAM auth. */
export interface SigV4Auth {
  type: 'sigv4';
  /**
   * Credentials, or a provider of them. When absent: in Node, the default AWS credential chain
   * (environment, shared config/credentials files with `AWS_PROFILE` or `profile`, SSO, web identity,
   * ECS/EC2 roles), loaded on first use; in browsers, an error.
   */
  credentials?: Credentials | CredentialProvider | undefined;
  /** Region of the API. @default the client's `region` */
  region?: string | undefined;
  /** Profile of the shared AWS config files, for the default chain only. @default `AWS_PROFILE`, else `default` */
  profile?: string | undefined;
}

/** Send an API key in `x-api-key`: for methods that require one (usage plans). */
export interface ApiKeyAuth {
  type: 'apiKey';
  apiKey: string;
}

/** Send requests unsigned: for methods with authorization NONE, and for the local emulator. */
export interface NoAuth {
  type: 'none';
}

export type AuthOptions = SigV4Auth | ApiKeyAuth | NoAuth;

/** The contract lists the auth modes with the client's spelling of each: `auth.type` must be exactly those. */
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _authTypesMatchTheContract: SameKeys<AuthOptions['type'], ClientAuthType> = true;

/**
 * Kinesis and API Gateway limits the client checks before sending. Defaults are the service defaults
 * (`LIMITS` of `@kproxy/contract`); raise them for streams whose quotas were raised.
 */
export interface ClientLimits {
  /** Data plus partition key of one record, in bytes. @default 1048576 (1 MiB) */
  maxRecordBytes: number;
  /** Data plus partition keys of one PutRecords request, in bytes. @default 5242880 (5 MiB) */
  maxBatchBytes: number;
  /** Entries in one PutRecords request. @default 500 */
  maxRecordsPerBatch: number;
  /** Size of one request body as sent (JSON text with base64 data): API Gateway's limit. @default 10000000 */
  maxRequestBodyBytes: number;
}

/** What a hook sees of a request. Credentials (`Authorization`, `X-Amz-Security-Token`, `x-api-key`) are redacted. */
export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The request body as sent, when there is one. */
  body: string | undefined;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** What a hook sees of a response, or of the failure to get one. */
export interface ResponseInfo extends RequestInfo {
  /** HTTP status; undefined when no response arrived (see `error`). */
  status: number | undefined;
  /** Milliseconds from sending the request to receiving the whole body. */
  ms: number;
  responseHeaders: Record<string, string>;
  responseBody: string | undefined;
  /** The network or timeout error, when no response arrived. */
  error?: unknown;
}

/** Observers of every attempt, e.g. for a `--debug` flag. They must not throw. */
export interface ClientHooks {
  onRequest?(info: RequestInfo): void;
  onResponse?(info: ResponseInfo): void;
}

/** The client's time source and sleep; replaceable so tests need no real waiting. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface ClientOptions {
  /**
   * The stage URL of the API, e.g. `https://abc123.execute-api.us-east-1.amazonaws.com/v1`, or
   * `http://127.0.0.1:4600/v1` for the local emulator (`LOCAL_DEFAULT_ENDPOINT`).
   */
  endpoint: string;
  /** Region for SigV4. @default parsed from an `execute-api` host name, else `us-east-1` */
  region?: string | undefined;
  /** How requests are authorized. @default { type: 'none' } */
  auth?: AuthOptions | undefined;
  /** Milliseconds one attempt may take before it fails with `TimeoutError` (and is retried). @default 30000 */
  timeout?: number | undefined;
  /** Retries after the first attempt, for errors that can succeed later. @default 3 */
  maxRetries?: number | undefined;
  /** The fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Limits checked before sending; unspecified ones keep their defaults. */
  limits?: Partial<ClientLimits> | undefined;
  /** Extra headers for every request (signed with the rest under SigV4). */
  headers?: Record<string, string> | undefined;
  hooks?: ClientHooks | undefined;
  /** Time source and sleep. @default real time */
  clock?: Clock | undefined;
}

/** Per-call options; every method takes them as its last argument. */
export interface RequestOptions {
  /** Overrides the client's `timeout` for this call. */
  timeout?: number | undefined;
  /** Aborts the call (and its retries); the call rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
}
