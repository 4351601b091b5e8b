import { createHash } from 'node:crypto';

/**
 * The fingerprint OpenSSH prints for a key (`ssh-keygen -lf key.pub`): `SHA256:` then the unpadded
 * base64 of the SHA-256 of the key blob (the wire-format public key).
 */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts a configured fingerprint with or without the `SHA256:` prefix and base64 padding. */
export function normalizeFingerprint(fingerprint: string): string {
  const bare = fingerprint
    .trim()
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');
  return `SHA256:${bare}`;
}
