/**
 * The Kinesis engine on its own (kinesalite, in memory), in a process of its own so that its CPU is not
 * counted against the client being measured. Prints its URL, runs until SIGINT/SIGTERM.
 */
import type { AddressInfo } from 'node:net';
import kinesalite from 'kinesalite';

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 });
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
