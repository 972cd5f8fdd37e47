/**
 * `--auth iam`: verifies the AWS Signature Version 4 of incoming requests (service `execute-api`) as
 * API Gateway does for AWS_IAM methods, against a fixed table of access key ids and secrets.
 *
 * The expected signature is computed with `@smithy/signature-v4` over exactly the headers the caller
 * listed in `SignedHeaders`, then compared in constant time. Checks run in AWS's order: a signature at
 * all, a well-formed `Authorization` header, a known access key, the clock (5 minutes either way), and
 * finally the signature itself.
 *
 * The payload hash in the canonical request is always the SHA-256 of the body received. AWS's SigV4
 * documentation defines HashedPayload as the hash of "the payload in the body of the HTTP request"; the
 * `UNSIGNED-PAYLOAD` alternative is documented for Amazon S3 only. So for execute-api an
 * `X-Amz-Content-Sha256: UNSIGNED-PAYLOAD` header is a signed header like any other: a signature made
 * over the literal `UNSIGNED-PAYLOAD` (as SDKs make it when that header is set) does not match, and a body
 * is never accepted unsigned.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { type GatewayResponse, gatewayResponses } from '../gateway-responses.ts';
import { Sha256 } from '../sha256.ts';

const SERVICE = 'execute-api';
const MAX_SKEW_MS = 5 * 60 * 1000;
const AUTH_PATTERN =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;_.-]+),\s*Signature=([0-9a-f]{64})$/;

/** The parts of an incoming request the signature covers. */
export interface SignableRequest {
  readonly method: string;
  readonly host: string;
  /** The raw (percent-encoded) path, as on the wire. */
  readonly path: string;
  /** Query parameters, decoded; repeated names as arrays. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export type VerifyResult = { ok: true; accessKeyId: string } | { ok: false; response: GatewayResponse };

/** `20240101T000000Z` */
function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
}

function fail(response: GatewayResponse): VerifyResult {
  return { ok: false, response };
}

/** `SignatureV4` whose canonical request always carries the hash of the body received (see above). */
class BodyHashSignature extends SignatureV4 {
  constructor(
    init: ConstructorParameters<typeof SignatureV4>[0],
    private readonly bodyHash: string,
  ) {
    super(init);
  }

  protected override createCanonicalRequest(
    request: Parameters<SignatureV4['createCanonicalRequest']>[0],
    canonicalHeaders: Parameters<SignatureV4['createCanonicalRequest']>[1],
  ): string {
    return super.createCanonicalRequest(request, canonicalHeaders, this.bodyHash);
  }
}

export class SigV4Verifier {
  readonly #secrets: ReadonlyMap<string, string>;

  /**
   * @param secrets access key id → secret access key.
   * @param region the region callers must sign for.
   * @param now the clock, replaceable in tests.
   */
  constructor(
    secrets: ReadonlyMap<string, string>,
    readonly region: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#secrets = secrets;
  }

  async verify(request: SignableRequest): Promise<VerifyResult> {
    const authorization = request.headers.authorization;
    if (!authorization) return fail(gatewayResponses.missingAuthenticationToken);
    const match = AUTH_PATTERN.exec(authorization.trim());
    if (!match) {
      return fail(
        gatewayResponses.incompleteSignature(
          `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${authorization.split(/\s/)[0]}`,
        ),
      );
    }
    const [, accessKeyId, scopeDate, scopeRegion, scopeService, signedHeaderList, signature] =
      match as unknown as [string, string, string, string, string, string, string];

    const secret = this.#secrets.get(accessKeyId);
    if (secret === undefined) return fail(gatewayResponses.unrecognizedClient);

    const dateHeader = request.headers['x-amz-date'];
    const signedAt = dateHeader ? parseAmzDate(dateHeader) : undefined;
    if (!dateHeader || !signedAt) {
      return fail(
        gatewayResponses.incompleteSignature(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ),
      );
    }
    const now = this.now();
    if (signedAt.getTime() < now.getTime() - MAX_SKEW_MS) {
      return fail(
        gatewayResponses.signatureExpired(
          `${dateHeader} is now earlier than ${amzDate(new Date(now.getTime() - MAX_SKEW_MS))} (${amzDate(now)} - 5 min.)`,
        ),
      );
    }
    if (signedAt.getTime() > now.getTime() + MAX_SKEW_MS) {
      return fail(
        gatewayResponses.signatureNotYetCurrent(
          `${dateHeader} is still later than ${amzDate(new Date(now.getTime() + MAX_SKEW_MS))} (${amzDate(now)} + 5 min.)`,
        ),
      );
    }
    // API Gateway's texts (recorded): one sentence per wrong part, each ending in ". ".
    const wrongScope = [
      scopeRegion !== this.region ? `a valid region, not '${scopeRegion}'. ` : '',
      scopeService !== SERVICE ? `correct service: '${SERVICE}'. ` : '',
    ];
    if (wrongScope.some(Boolean)) {
      return fail(
        gatewayResponses.wrongScope(wrongScope.filter(Boolean).join('Credential should be scoped to ')),
      );
    }
    if (scopeDate !== dateHeader.slice(0, 8)) return fail(gatewayResponses.invalidSignature);

    const signedHeaders = signedHeaderList.split(';');
    if (!signedHeaders.includes('host')) return fail(gatewayResponses.invalidSignature);

    const headers: Record<string, string> = {};
    for (const name of signedHeaders) {
      headers[name] = name === 'host' ? request.host : (request.headers[name] ?? '');
    }
    const signer = new BodyHashSignature(
      {
        service: SERVICE,
        region: this.region,
        credentials: { accessKeyId, secretAccessKey: secret },
        sha256: Sha256,
        applyChecksum: false,
      },
      createHash('sha256').update(request.body).digest('hex'),
    );
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: request.host,
        path: request.path,
        query: request.query as Record<string, string | string[]>,
        headers,
        body: request.body,
      },
      { signingDate: signedAt, signableHeaders: new Set(signedHeaders) },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
    const expectedHeaders = /SignedHeaders=([^,]+)/.exec(String(signed.headers.authorization))?.[1];
    if (expectedHeaders !== signedHeaderList || !constantTimeEqual(expected, signature)) {
      return fail(gatewayResponses.invalidSignature);
    }
    return { ok: true, accessKeyId };
  }
}

/** Compares two strings without leaking, through timing, how much of them matches. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare against itself on a length mismatch so both branches cost the same.
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
