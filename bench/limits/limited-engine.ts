/**
 * The Kinesis protocol with Kinesis's per-shard limits, in front of an engine: what the AWS SDK talks
 * to in the limits benchmark, so that it faces the very limiter kproxy's emulator applies. Prints its
 * URL, runs until SIGINT/SIGTERM.
 *
 *   node --import tsx limits/limited-engine.ts <engineUrl>
 */
import { startShardLimitedKinesis } from '@kproxy/local';

const front = await startShardLimitedKinesis({ kinesisEndpoint: process.argv[2]!, shardLimits: true });
console.log(front.endpoint);
const stop = () => front.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
