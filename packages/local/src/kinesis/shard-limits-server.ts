/**
 * The Kinesis protocol itself (not the kproxy API) with shard limits: a front for a local engine that
 * the AWS SDK, the KCL or any Kinesis client can talk to, and be throttled exactly as the emulator's
 * callers are. Made for comparing a direct Kinesis producer with kproxy under the same limits (the
 * `limits` benchmark), and for testing a Kinesis client's throttling behaviour locally.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_DEFAULTS } from '@kproxy/contract';
import { createKinesisCaller } from './call.ts';
import { remoteEngine } from './remote.ts';
import { limitShards } from './shard-limits.ts';
import { resolveShardLimits, type ShardLimitsOptions } from './shard-limits-options.ts';

export interface ShardLimitedKinesisOptions {
  /** The engine to front, e.g. kinesalite's `http://127.0.0.1:45123`. */
  readonly kinesisEndpoint: string;
  /** As `startLocalProxy`'s `shardLimits`. @default true (Kinesis's limits) */
  readonly shardLimits?: true | string | ShardLimitsOptions;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
}

export interface ShardLimitedKinesis {
  /** `http://127.0.0.1:<port>`: give it to a Kinesis client as its endpoint. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startShardLimitedKinesis(
  options: ShardLimitedKinesisOptions,
): Promise<ShardLimitedKinesis> {
  const limits = resolveShardLimits(options.shardLimits ?? true)!;
  const callKinesis = limitShards(
    createKinesisCaller(
      remoteEngine({ endpoint: options.kinesisEndpoint, region: options.region ?? LOCAL_DEFAULTS.region }),
    ),
    limits,
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.slice(target.lastIndexOf('.') + 1);
      callKinesis(action, Buffer.concat(chunks).toString('utf8')).then(
        (answer) => {
          res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(answer.body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'InternalFailure', message: String(error) }));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
