/**
 * One request through the emulated API Gateway, in the gateway's order: route, body size, method
 * authorization, throttling, request validation, content type, request template, Kinesis, integration
 * response. Everything the gateway answers by itself is a `GatewayResponse`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, REQUEST_CONTENT_TYPE, requestTemplateOf } from '@kproxy/contract';
import type { ApiKeyChecker } from './auth/api-key.ts';
import type { SigV4Verifier } from './auth/sigv4.ts';
import type { Cors } from './cors.ts';
import { type GatewayResponse, gatewayResponses } from './gateway-responses.ts';
import { applyIntegrationResponse, type MethodResponse } from './integration.ts';
import { IntegrationTimeoutError, type KinesisCaller } from './kinesis/call.ts';
import { type Logger, requestLine } from './log.ts';
import { missingParameters, validateBody } from './request-model.ts';
import type { Router } from './router.ts';
import type { TokenBucket } from './throttle.ts';
import { createContext } from './vtl/context.ts';
import { createInput, type RequestParams } from './vtl/input.ts';
import { javaUtf8Bytes } from './vtl/java.ts';
import { renderTemplate } from './vtl/render.ts';

export interface GatewayConfig {
  readonly router: Router;
  readonly stage: string;
  readonly callKinesis: KinesisCaller;
  readonly verifier?: SigV4Verifier;
  readonly apiKeys?: ApiKeyChecker;
  readonly throttle?: TokenBucket;
  /** Answer preflights and add CORS headers to every response; none when absent. */
  readonly cors?: Cors;
  readonly logger: Logger;
  readonly quiet: boolean;
  /** @default LIMITS.maxApiGatewayBodyBytes */
  readonly maxBodyBytes?: number;
}

class GatewayError extends Error {
  constructor(readonly response: GatewayResponse) {
    super(response.message);
  }
}

function send(res: ServerResponse, requestId: string, response: MethodResponse): void {
  if (response.status === 204) {
    // No content: HTTP forbids a Content-Length on a 204.
    res.writeHead(204, { ...response.headers, 'x-amzn-requestid': requestId });
    res.end();
    return;
  }
  // Encoded as API Gateway (Java) encodes text: an unpaired surrogate in a rendered body becomes `?`.
  const body = javaUtf8Bytes(response.body);
  res.writeHead(response.status, {
    ...response.headers,
    'content-type': 'application/json',
    'content-length': body.length,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

function gatewayAnswer(response: GatewayResponse): MethodResponse {
  return {
    status: response.status,
    headers: { 'x-amzn-errortype': response.errorType },
    body: JSON.stringify({ message: response.message }),
  };
}

/** Reads the body, refusing (413) more than `limit` bytes before buffering them. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new GatewayError(gatewayResponses.requestTooLarge);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new GatewayError(gatewayResponses.requestTooLarge);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Headers with the names the caller sent (Node lower-cases `req.headers`); repeated values joined. */
function headersAsSent(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    const value = req.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function isJsonContentType(header: string | undefined): boolean {
  // API Gateway treats a request without a content type as application/json.
  if (header === undefined) return true;
  return header.split(';')[0]!.trim().toLowerCase() === REQUEST_CONTENT_TYPE;
}

export function createGatewayHandler(config: GatewayConfig) {
  const maxBodyBytes = config.maxBodyBytes ?? LIMITS.maxApiGatewayBodyBytes;

  async function handle(req: IncomingMessage, requestId: string): Promise<MethodResponse> {
    const method = req.method ?? 'GET';
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const searchParams = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));

    if (method === 'OPTIONS' && config.cors) {
      // The preflight method is a mock integration without authorization, as the deployed API adds it.
      if (config.router.methodsAt(rawPath).length === 0) {
        return gatewayAnswer(gatewayResponses.missingAuthenticationToken);
      }
      if (config.throttle && !config.throttle.take()) return gatewayAnswer(gatewayResponses.throttled);
      return config.cors.preflight();
    }

    const route = config.router.match(method, rawPath);
    if (!route) return gatewayAnswer(gatewayResponses.missingAuthenticationToken);

    const body = await readBody(req, maxBodyBytes);
    const headers = lowerCaseHeaders(req);

    let accessKey: string | null = null;
    let apiKey: string | null = null;
    if (config.verifier) {
      const query: Record<string, string | string[]> = {};
      for (const name of new Set(searchParams.keys())) {
        const values = searchParams.getAll(name);
        query[name] = values.length === 1 ? values[0]! : values;
      }
      const result = await config.verifier.verify({
        method,
        host: headers.host ?? '',
        path: rawPath,
        query,
        headers,
        body,
      });
      if (!result.ok) return gatewayAnswer(result.response);
      accessKey = result.accessKeyId;
    }
    if (config.apiKeys) {
      apiKey = config.apiKeys.check(headers['x-api-key']) ?? null;
      if (apiKey === null) return gatewayAnswer(gatewayResponses.forbidden);
    }
    if (config.throttle && !config.throttle.take()) return gatewayAnswer(gatewayResponses.throttled);

    const querystring = Object.fromEntries(searchParams);
    const { operation, pathParams } = route;
    const missing = missingParameters(operation, { path: pathParams, query: querystring, headers });
    if (missing.length > 0) return gatewayAnswer(gatewayResponses.missingParameters(missing));
    if (!isJsonContentType(headers['content-type'])) {
      return gatewayAnswer(gatewayResponses.unsupportedMediaType);
    }
    const text = body.toString('utf8');
    let parsedBody: { value: unknown } | undefined;
    if (operation.body) {
      parsedBody = validateBody(operation, text);
      if (!parsedBody) return gatewayAnswer(gatewayResponses.badRequestBody);
    }

    const params: RequestParams = { path: pathParams, querystring, header: headersAsSent(req) };
    const context = () =>
      createContext({
        requestId,
        stage: config.stage,
        httpMethod: method,
        resourcePath: operation.path,
        path: rawPath,
        domainName: headers.host ?? '',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
        accessKey,
        apiKey,
      });
    const integrationRequest = renderTemplate(requestTemplateOf(operation), {
      input: createInput(text, params, parsedBody),
      context: context(),
    });
    const kinesis = await config.callKinesis(operation.action, integrationRequest);
    return applyIntegrationResponse(kinesis, params, context());
  }

  return function handler(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const requestId = randomUUID();
    const finish = (response: MethodResponse) => {
      send(res, requestId, config.cors ? config.cors.decorate(response) : response);
      if (!config.quiet) {
        const path = (req.url ?? '/').split('?')[0]!;
        config.logger.info(requestLine(req.method ?? '', path, response.status, performance.now() - started));
      }
    };
    handle(req, requestId).then(finish, (error: unknown) => {
      if (error instanceof GatewayError) {
        // The rest of an oversized body is not read; close the connection instead.
        res.shouldKeepAlive = false;
        return finish(gatewayAnswer(error.response));
      }
      if (error instanceof IntegrationTimeoutError)
        return finish(gatewayAnswer(gatewayResponses.integrationTimeout));
      config.logger.error(`${req.method} ${(req.url ?? '/').split('?')[0]} failed: ${describe(error)}`);
      finish(gatewayAnswer(gatewayResponses.internalError));
    });
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
