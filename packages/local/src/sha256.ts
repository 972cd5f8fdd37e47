/** SHA-256 for `@smithy/signature-v4`, on Node's own crypto (several times faster than a JS hash). */
import { Hash } from '@smithy/hash-node';

export class Sha256 extends Hash {
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    super('sha256', secret as never);
  }
}
