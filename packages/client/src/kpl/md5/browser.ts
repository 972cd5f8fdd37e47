/**
 * MD5 outside Node: Web Crypto has no MD5, so @noble/hashes' audited implementation (its `legacy`
 * module). Loaded only by the KPL code, so an app that never aggregates or de-aggregates does not carry it.
 */
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';

const encoder = new TextEncoder();

export function md5(data: Uint8Array | string): Uint8Array {
  return nobleMd5(typeof data === 'string' ? encoder.encode(data) : data);
}
