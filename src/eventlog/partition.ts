/**
 * The partition of a key: FNV-1a 32-bit over the key's UTF-8 bytes, modulo the partition count.
 * Stable across processes, drivers and releases: changing it would reorder events of live keys.
 */
const encoder = new TextEncoder();

export function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
