import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `sha256:<hex>` of a value's canonical JSON (or of the bytes, for a string or Buffer as sent on the
 * wire). The audit log keeps digests, not the documents: it proves what changed without holding
 * personal data.
 */
export function digestOf(value: unknown): string {
  const hash = createHash('sha256');
  if (typeof value === 'string' || Buffer.isBuffer(value)) hash.update(value);
  else hash.update(canonicalJson(value));
  return `sha256:${hash.digest('hex')}`;
}
