/**
 * SHA-256 and HMAC-SHA-256 for SigV4 outside Node, on Web Crypto (`crypto.subtle`): native code, and no
 * hashing library in the bundle. Browsers give `crypto.subtle` to secure contexts only (https:// pages
 * and localhost); elsewhere signing fails with an error that says so. Node gets `./node.ts`.
 */
import type { Checksum, SourceData } from '@smithy/types';

const encoder = new TextEncoder();

/** Bytes for Web Crypto, which takes no `SharedArrayBuffer` views (SigV4 never hands it any). */
type Bytes = Uint8Array<ArrayBuffer>;

function toBytes(data: SourceData): Bytes {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data as Bytes;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data as ArrayBuffer);
}

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) {
    throw new Error(
      'SigV4 signing needs Web Crypto (crypto.subtle), which browsers offer only to secure contexts: serve the page over https:// (or from localhost)',
    );
  }
  return api;
}

/** `Checksum` for `@smithy/signature-v4`: a plain hash, or an HMAC when constructed with a secret. */
export class Sha256 implements Checksum {
  readonly #secret: Bytes | undefined;
  #chunks: Bytes[] = [];

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : toBytes(secret);
  }

  update(data: Uint8Array | string): void {
    this.#chunks.push(toBytes(data));
  }

  async digest(): Promise<Uint8Array> {
    // SigV4 hashes each string and body in one update; a Blob joins the rare several.
    const data = this.#chunks.length === 1 ? this.#chunks[0]! : await new Blob(this.#chunks).arrayBuffer();
    const api = subtle();
    if (this.#secret === undefined) return new Uint8Array(await api.digest('SHA-256', data));
    const key = await api.importKey('raw', this.#secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    return new Uint8Array(await api.sign('HMAC', key, data));
  }

  reset(): void {
    this.#chunks = [];
  }
}
