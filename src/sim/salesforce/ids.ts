import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 3-character suffix that makes a 15-character id case-insensitively unique: for each 5-character
 * chunk, bit i is set when character i is an upper-case letter, and the 5-bit value indexes A–Z0–5.
 */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return suffix;
}

/** An 18-character record id: key prefix (3) + instance (2) + reserved (1) + counter (9) + checksum (3). */
export function recordId(keyPrefix: string, sequence: number): string {
  let counter = '';
  let n = sequence;
  for (let i = 0; i < 9; i++) {
    counter = BASE62.charAt(n % 62) + counter;
    n = Math.floor(n / 62);
  }
  const id15 = `${keyPrefix}5g0${counter}`;
  return id15 + idChecksum(id15);
}

/** True when `value` has the shape of a 15- or 18-character id with a valid checksum. */
export function isRecordId(value: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return false;
  return value.length === 15 || idChecksum(value.slice(0, 15)) === value.slice(15);
}

/** Random characters for tokens and cursors. */
export function randomChars(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62.charAt(randomInt(62));
  return out;
}
