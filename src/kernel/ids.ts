import { randomFillSync } from 'node:crypto';

/**
 * Time-ordered ids: 26 characters of Crockford base32, 48 bits of milliseconds then 80 bits that are
 * random at each new millisecond and incremented within one, so ids made by one process sort in the
 * order they were made (the ULID layout).
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
const lastRandom = new Uint8Array(10);
// Random bytes are drawn from the OS in blocks: one call per new millisecond costs more than the id.
const pool = Buffer.alloc(4096);
let poolUsed = pool.length;

function fillRandom(into: Uint8Array): void {
  if (poolUsed + into.length > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  into.set(pool.subarray(poolUsed, poolUsed + into.length));
  poolUsed += into.length;
}

/**
 * `bytes` random bytes as lowercase hex (nonces), drawn from the same block of OS randomness as ids:
 * a nonce per outbound request would otherwise be a call into the OS each.
 */
export function randomHex(bytes: number): string {
  const out = new Uint8Array(bytes);
  if (bytes > pool.length / 4) randomFillSync(out);
  else fillRandom(out);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('hex');
}

function encodeTime(time: number): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits -> 16 base32 characters, 5 bits at a time, most significant first.
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

function increment(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    const next = (bytes[i] ?? 0) + 1;
    if (next <= 255) {
      bytes[i] = next;
      return;
    }
    bytes[i] = 0;
  }
}

export function newId(now: number = Date.now()): string {
  if (now <= lastTime) {
    increment(lastRandom);
  } else {
    lastTime = now;
    fillRandom(lastRandom);
    // Leave headroom so increments within one millisecond never wrap.
    lastRandom[0] = (lastRandom[0] ?? 0) & 0x7f;
  }
  return encodeTime(lastTime) + encodeRandom(lastRandom);
}

/** Milliseconds since the epoch encoded in an id made by newId. */
export function idTime(id: string): number {
  let t = 0;
  for (const ch of id.slice(0, 10)) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`not a crossdock id: ${id}`);
    t = t * 32 + v;
  }
  return t;
}

export const ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
