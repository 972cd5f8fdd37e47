/**
 * `startLocalProxy`: the kproxy API on a local port, over the embedded Kinesis engine or any other.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { operations } from '@kproxy/contract';
import { ApiKeyChecker } from './auth/api-key.ts';
import { SigV4Verifier } from './auth/sigv4.ts';
import { Cors } from './cors.ts';
import { createGatewayHandler } from './handler.ts';
import type { KinesisBackend } from './kinesis/backend.ts';
import { createKinesisCaller } from './kinesis/call.ts';
import { EMBEDDED_SHARD_LIMIT, startEmbeddedEngine } from './kinesis/embedded.ts';
import { remoteEngine } from './kinesis/remote.ts';
import { type ShardAdministration, withShardAdministration } from './kinesis/shard-admin/index.ts';
import { limitShards } from './kinesis/shard-limits.ts';
import { describeShardLimits } from './kinesis/shard-limits-options.ts';
import { consoleLogger } from './log.ts';
import { type LocalProxyOptions, resolveOptions } from './options.ts';
import { Router } from './router.ts';
import { TokenBucket } from './throttle.ts';

export interface LocalProxy {
  /** The stage URL, the `endpoint` a client takes: `http://127.0.0.1:4600/v1`. */
  readonly url: string;
  /** The port actually listened on (useful with `port: 0`). */
  readonly port: number;
  readonly host: string;
  readonly stage: string;
  /** Which Kinesis engine answers, for a startup banner: `embedded kinesalite (data in …)`. */
  readonly engine: string;
  /** The per-shard limits enforced, for a startup banner; undefined when none are. */
  readonly shardLimits: string | undefined;
  /** Stops listening, ends open connections and closes the engine (its data stays on disk). */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the emulator and resolves once it accepts requests.
 *
 * @example
 * const proxy = await startLocalProxy({ port: 0, inMemory: true });
 * await fetch(`${proxy.url}/streams`);
 * await proxy.close();
 */
export async function startLocalProxy(options: LocalProxyOptions = {}): Promise<LocalProxy> {
  const resolved = resolveOptions(options);
  const logger = options.logger ?? consoleLogger;
  const backend: KinesisBackend = resolved.kinesisEndpoint
    ? remoteEngine({
        endpoint: resolved.kinesisEndpoint,
        region: resolved.region,
        ...(resolved.kinesisCredentials ? { credentials: resolved.kinesisCredentials } : {}),
      })
    : await startEmbeddedEngine({ dataDir: resolved.dataDir, region: resolved.region });

  const engineCaller = createKinesisCaller(backend);
  // kinesalite lacks ListShards paging and filters and UpdateShardCount: the emulator adds them. Other
  // engines (kinesis-local, AWS) have them and are called directly.
  const shardAdministration: ShardAdministration | undefined = resolved.kinesisEndpoint
    ? undefined
    : withShardAdministration(engineCaller, { shardLimit: EMBEDDED_SHARD_LIMIT, logger });
  const callKinesis = shardAdministration?.callKinesis ?? engineCaller;
  const handler = createGatewayHandler({
    router: new Router(
      resolved.stage,
      resolved.routes.map((id) => operations[id]),
    ),
    stage: resolved.stage,
    callKinesis: resolved.shardLimits ? limitShards(callKinesis, resolved.shardLimits) : callKinesis,
    ...(resolved.auth === 'iam' ? { verifier: new SigV4Verifier(resolved.accessKeys, resolved.region) } : {}),
    ...(resolved.auth === 'api-key' ? { apiKeys: new ApiKeyChecker(resolved.apiKeys) } : {}),
    ...(resolved.throttle ? { throttle: new TokenBucket(resolved.throttle) } : {}),
    ...(resolved.cors ? { cors: new Cors(resolved.cors) } : {}),
    logger,
    quiet: resolved.quiet,
  });
  const server = createServer(handler);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await backend.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(resolved.host)}:${port}/${resolved.stage}`,
    port,
    host: resolved.host,
    stage: resolved.stage,
    engine: backend.description,
    shardLimits: resolved.shardLimits && describeShardLimits(resolved.shardLimits),
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await shardAdministration?.close();
        await backend.close();
      })();
      return closing;
    },
  };
}
