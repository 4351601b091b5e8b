/**
 * Keeps subscription signing secrets at rest. The hub passes its credential vault (AES-256-GCM
 * under the master key); `plainSealer` is for tests and tools that never send.
 */
export interface SecretSealer {
  /** The key `seal` uses now; secrets sealed by another are resealed on master-key rotation. */
  readonly activeKeyId: string;
  seal(plaintext: string): { keyId: string; sealed: string };
  open(keyId: string, sealed: string): string;
}

/** Stores secrets as they are (key id `plain`); only for tests. */
export const plainSealer: SecretSealer = {
  activeKeyId: 'plain',
  seal: (plaintext) => ({ keyId: 'plain', sealed: plaintext }),
  open: (_keyId, sealed) => sealed,
};
