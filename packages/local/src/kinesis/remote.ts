/**
 * A Kinesis-compatible server the emulator does not own: real AWS Kinesis, kinesis-local, LocalStack…
 * Requests are signed with the given credentials; else, for a server on this machine, with placeholder
 * credentials; else with the AWS SDK's default credential chain (environment, profiles, SSO, instance
 * roles), which is imported only when needed.
 */
import { type KinesisBackend, type KinesisCredentials, LOCAL_ENGINE_CREDENTIALS } from './backend.ts';

export interface RemoteEngineOptions {
  /** `http(s)://host[:port]`, or `aws` for the region's public Kinesis endpoint. */
  readonly endpoint: string;
  readonly region: string;
  /** Credentials to sign with; the default credential chain when absent. */
  readonly credentials?: KinesisCredentials;
}

/** `aws` → `https://kinesis.<region>.amazonaws.com`; anything else must be an http(s) URL. */
export function resolveKinesisEndpoint(endpoint: string, region: string): URL {
  if (endpoint === 'aws') return new URL(`https://kinesis.${region}.amazonaws.com`);
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`kinesisEndpoint must be an http(s) URL or "aws", got ${endpoint}`);
  }
  return url;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function remoteEngine(options: RemoteEngineOptions): KinesisBackend {
  const endpoint = resolveKinesisEndpoint(options.endpoint, options.region);
  let provider: (() => Promise<KinesisCredentials>) | undefined;

  const credentials = async (): Promise<KinesisCredentials> => {
    if (options.credentials) return options.credentials;
    // Engines on this machine accept any well-formed signature: no need to look for real credentials
    // (and the chain's instance-metadata probe would delay the first request by seconds).
    if (isLoopback(endpoint)) return LOCAL_ENGINE_CREDENTIALS;
    if (!provider) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      provider = defaultProvider();
    }
    return provider();
  };

  return {
    description: `${endpoint.origin} (${options.region})`,
    endpoint,
    region: options.region,
    credentials,
    close: async () => {},
  };
}
