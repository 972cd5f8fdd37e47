/**
 * Sends one rendered request to Kinesis the way an API Gateway AWS integration does: `POST /` with
 * `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: Kinesis_20131202.<Action>`, signed with
 * SigV4 for the service `kinesis`.
 */
import { KINESIS_CONTENT_TYPE, KINESIS_TARGET_PREFIX } from '@kproxy/contract';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../sha256.ts';
import { javaWellFormed } from '../vtl/java.ts';
import type { KinesisBackend } from './backend.ts';

export interface KinesisResponse {
  readonly status: number;
  readonly body: string;
}

/** API Gateway's integration timeout. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

export class IntegrationTimeoutError extends Error {
  override readonly name = 'IntegrationTimeoutError' as const;
}

export function createKinesisCaller(backend: KinesisBackend, timeoutMs = INTEGRATION_TIMEOUT_MS) {
  const signer = new SignatureV4({
    service: 'kinesis',
    region: backend.region,
    credentials: backend.credentials,
    sha256: Sha256,
  });
  const { endpoint } = backend;
  const host = endpoint.host;
  const url = new URL('/', endpoint).toString();

  return async function callKinesis(action: string, request: string): Promise<KinesisResponse> {
    // The rendered template leaves as API Gateway (Java) encodes it: an unpaired surrogate becomes `?`.
    const body = javaWellFormed(request);
    const signed = await signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: '/',
      headers: {
        host,
        'content-type': KINESIS_CONTENT_TYPE,
        'x-amz-target': `${KINESIS_TARGET_PREFIX}.${action}`,
      },
      body,
    });
    // fetch sets Host from the URL, which is the value that was signed.
    const { host: _host, ...headers } = signed.headers;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'TimeoutError') {
        throw new IntegrationTimeoutError(`Kinesis did not answer within ${timeoutMs} ms`, { cause: error });
      }
      throw error;
    }
    return { status: response.status, body: await response.text() };
  };
}

export type KinesisCaller = ReturnType<typeof createKinesisCaller>;
