/**
 * Facts about a deployment that several packages must agree on: the default stage and region, the auth
 * modes (and how each package spells them), and the names of the stack outputs the CLI reads.
 */

/** Defaults every package falls back to: the CDK construct, the emulator, the client and the CLI. */
export const DEFAULTS = {
  /** The API Gateway stage (the first path segment of every URL), as in AWS's tutorial. */
  stage: 'v1',
  /** The region signed for when neither the caller nor an `execute-api` host name says otherwise. */
  region: 'us-east-1',
  /** How the CDK construct protects its methods unless told otherwise (secure by default). */
  authMode: 'iam',
} as const;

/**
 * How callers authenticate, by the names people type (the CLI's `--auth`, the CDK context `authMode`,
 * the stack's `KproxyAuthMode` output, the CLI config file):
 *
 * - `iam`: SigV4-signed requests (service `execute-api`); callers need `execute-api:Invoke`.
 * - `api-key`: an `x-api-key` header with a key of the API's usage plan (throttle and quota).
 * - `none`: no authentication at all; for the local emulator and throwaway test deployments.
 */
export const AUTH_MODES = ['iam', 'api-key', 'none'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Each auth mode as `@kproxy/client` spells it (its `auth.type` option). */
export const CLIENT_AUTH_TYPES = {
  iam: 'sigv4',
  'api-key': 'apiKey',
  none: 'none',
} as const satisfies Record<AuthMode, string>;
/** `sigv4`, `apiKey` or `none`. */
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[AuthMode];

export function isAuthMode(value: unknown): value is AuthMode {
  return typeof value === 'string' && (AUTH_MODES as readonly string[]).includes(value);
}

/** The inverse of `CLIENT_AUTH_TYPES`: `sigv4` → `iam`, `apiKey` → `api-key`, `none` → `none`. */
export function authModeOf(type: ClientAuthType): AuthMode {
  return AUTH_MODES.find((mode) => CLIENT_AUTH_TYPES[mode] === type)!;
}

/**
 * Names of the deployed stack's outputs. The CLI reads them from `cdk deploy --outputs-file` (its
 * `--stack-outputs`), scripts from `aws cloudformation describe-stacks`: part of the interface, do not
 * rename.
 */
export const STACK_OUTPUTS = {
  /** The stage URL (`https://<id>.execute-api.<region>.amazonaws.com/v1`). */
  endpoint: 'KproxyEndpoint',
  region: 'KproxyRegion',
  /** One of `AUTH_MODES`. */
  authMode: 'KproxyAuthMode',
  apiId: 'KproxyApiId',
  apiKeyId: 'KproxyApiKeyId',
  streamName: 'KproxyStreamName',
  integrationRoleArn: 'KproxyIntegrationRoleArn',
} as const;
