/**
 * How callers authenticate to the deployed API. The names match the CLI's `--auth` option and the
 * stack's `KproxyAuthMode` output, so a deployment tells the CLI how to sign its requests; the list
 * lives in the contract, beside the client's spelling of each mode.
 *
 * - `iam`: every method requires SigV4-signed requests (`AWS_IAM`); callers need `execute-api:Invoke`.
 * - `api-key`: every method requires an `x-api-key` header; the key belongs to a usage plan with a
 *   throttle and a quota. Anyone holding the key can call the API.
 * - `none`: no authentication at all. Only for throwaway test deployments.
 */
export { AUTH_MODES, type AuthMode, isAuthMode } from '@kproxy/contract';
