/**
 * `$context` of API Gateway mapping templates: what the gateway knows about the request, plus
 * `responseOverride`, through which a response template changes the status and headers.
 */

export interface TemplateContext {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly apiId: string;
  readonly accountId: string;
  readonly stage: string;
  readonly httpMethod: string;
  /** The resource, with placeholders: `/streams/{stream-name}/record`. */
  readonly resourcePath: string;
  /** The full path of the request, stage included: `/v1/streams/s/record`. */
  readonly path: string;
  readonly protocol: string;
  readonly domainName: string;
  /** CLF-formatted time, `21/Nov/2025:08:13:00 +0000`. */
  readonly requestTime: string;
  /** Epoch milliseconds. */
  readonly requestTimeEpoch: number;
  readonly identity: {
    readonly sourceIp: string;
    readonly userAgent: string;
    /** The access key id of a SigV4-signed request, else null. */
    readonly accessKey: string | null;
    /** The API key of the request (api-key mode), else null. */
    readonly apiKey: string | null;
  };
  /** Set by response templates: `#set($context.responseOverride.status = 404)`. */
  readonly responseOverride: { status?: number | string; header: Record<string, string> };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `dd/MMM/yyyy:HH:mm:ss +0000`, as `$context.requestTime` is formatted. */
export function clfTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

export interface ContextInit {
  requestId: string;
  stage: string;
  httpMethod: string;
  resourcePath: string;
  path: string;
  domainName: string;
  sourceIp: string;
  userAgent: string;
  accessKey?: string | null;
  apiKey?: string | null;
  now?: Date;
}

/** A fresh `$context` for one request. */
export function createContext(init: ContextInit): TemplateContext {
  const now = init.now ?? new Date();
  return {
    requestId: init.requestId,
    extendedRequestId: init.requestId,
    apiId: 'local',
    accountId: '000000000000',
    stage: init.stage,
    httpMethod: init.httpMethod,
    resourcePath: init.resourcePath,
    path: init.path,
    protocol: 'HTTP/1.1',
    domainName: init.domainName,
    requestTime: clfTime(now),
    requestTimeEpoch: now.getTime(),
    identity: {
      sourceIp: init.sourceIp,
      userAgent: init.userAgent,
      accessKey: init.accessKey ?? null,
      apiKey: init.apiKey ?? null,
    },
    responseOverride: { header: {} },
  };
}
