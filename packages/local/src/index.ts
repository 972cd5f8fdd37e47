/**
 * @kproxy/local — the kproxy API on your machine: API Gateway's behaviour, the contract's templates,
 * and an embedded Kinesis engine. `kproxy local` wraps `startLocalProxy`.
 */
export type { ApiKeyChecker } from './auth/api-key.ts';
export { type GatewayResponse, gatewayResponses } from './gateway-responses.ts';
export type { KinesisCredentials } from './kinesis/backend.ts';
export { DataDirInUseError } from './kinesis/embedded.ts';
export {
  KINESIS_SHARD_LIMITS,
  parseShardLimits,
  type ReadLimits,
  type ShardLimits,
  type ShardLimitsOptions,
  type WriteLimits,
} from './kinesis/shard-limits-options.ts';
export {
  type ShardLimitedKinesis,
  type ShardLimitedKinesisOptions,
  startShardLimitedKinesis,
} from './kinesis/shard-limits-server.ts';
export type { Logger } from './log.ts';
export {
  type AccessKey,
  type AuthMode,
  DEFAULT_DATA_DIR,
  type LocalProxyOptions,
  resolveOptions,
} from './options.ts';
export { missingParameters, type ParsedParams, validateBody } from './request-model.ts';
export { type LocalProxy, startLocalProxy } from './server.ts';
export type { ThrottleOptions } from './throttle.ts';
export { createContext, type TemplateContext } from './vtl/context.ts';
export { createInput, type RequestParams, type TemplateInput } from './vtl/input.ts';
export { javaUtf8Bytes } from './vtl/java.ts';
export { renderTemplate } from './vtl/render.ts';
export { util as vtlUtil } from './vtl/util.ts';
