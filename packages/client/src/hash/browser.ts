/** SHA-256 for SigV4 outside Node: pure JS, so it also works where Web Crypto is missing (insecure origins). */
export { Sha256 } from '@aws-crypto/sha256-js';
