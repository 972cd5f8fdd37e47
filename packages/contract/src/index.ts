/**
 * @kproxy/contract — the kproxy API, defined once.
 *
 * Routes, request and response schemas, API Gateway mapping templates and integration responses for
 * the seed API's eight methods and kproxy's additions (ListShards, UpdateShardCount,
 * DescribeStreamSummary); the client, the local emulator and the CDK app all read them from here.
 */

export * from './apigateway/cors.ts';
export * from './apigateway/integration-responses.ts';
export * from './apigateway/request-templates.ts';
export * from './deployment.ts';
export * from './endpoint.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './local.ts';
export * from './operation.ts';
export * from './operations/index.ts';
export * from './schemas.ts';
