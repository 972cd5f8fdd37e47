/**
 * MD5 in Node: node:crypto's native hash (selected by the `#md5` import condition `node`; browsers get
 * `./browser.ts`). Used for the KPL format's checksum and Kinesis's partition-key hash, not for security.
 */
import { hash } from 'node:crypto';

export function md5(data: Uint8Array | string): Uint8Array {
  // The one-shot hash: no Hash object per call (aggregation hashes every record's partition key).
  const digest = hash('md5', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
