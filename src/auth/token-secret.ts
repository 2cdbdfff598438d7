import { createHash, randomBytes } from 'node:crypto';

/** Secrets are 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function newSecret(): string {
  return `rct_${randomBytes(32).toString('base64url')}`;
}
