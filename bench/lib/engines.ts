/**
 * The setup of the end-to-end benchmarks: one kinesalite process, and the kproxy emulator (the built
 * `kproxy local`) in front of that same engine. The AWS SDK talks to the engine directly, kproxy goes
 * through the emulator: both end in the very same engine, so the difference is what kproxy adds.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { kproxyBin } from './paths.ts';
import { type Server, startServer } from './processes.ts';

export interface Engines {
  /** kinesalite, e.g. http://127.0.0.1:41234 */
  readonly engineUrl: string;
  /** The emulator's stage URL, e.g. http://127.0.0.1:41235/v1 */
  readonly emulatorUrl: string;
  stop(): Promise<void>;
}

/** kinesalite, and the emulator in front of it started with `emulatorFlags` too (e.g. `--shard-limits`). */
export async function startEngines(emulatorFlags: readonly string[] = []): Promise<Engines> {
  const engine = await startServer(['--import', 'tsx', 'lib/engine-server.ts']);
  let emulator: Server;
  try {
    emulator = await startServer([
      kproxyBin,
      'local',
      '--port',
      '0',
      '--quiet',
      '--in-memory',
      '--kinesis-endpoint',
      engine.url,
      ...emulatorFlags,
    ]);
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return {
    engineUrl: engine.url,
    emulatorUrl: emulator.url,
    async stop() {
      await emulator.stop();
      await engine.stop();
    },
  };
}

/** An AWS SDK client for kinesalite: HTTP/1.1 (the SDK's default HTTP/2 fails on plain HTTP), no retries hidden. */
export function sdkClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
    requestHandler: new NodeHttpHandler(),
  });
}

/** Creates a stream straight on the engine and waits until it is ACTIVE. */
export async function createStream(engineUrl: string, name: string, shards: number): Promise<void> {
  const { CreateStreamCommand, waitUntilStreamExists } = await import('@aws-sdk/client-kinesis');
  const client = sdkClient(engineUrl);
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
  client.destroy();
}

/** Environment for a `kproxy` command against the emulator. */
export const kproxyEnv = (emulatorUrl: string) => ({
  KPROXY_ENDPOINT: emulatorUrl,
  KPROXY_AUTH: 'none',
  NO_COLOR: '1',
});
