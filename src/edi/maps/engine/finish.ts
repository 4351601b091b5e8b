import { isRec, type Rec } from './paths.js';

/**
 * Money in EDI carries no currency of its own (X12 CUR, EDIFACT CUX name it once per document): every
 * `{ amount }` without a currency gets the document's.
 */
export function fillCurrency(value: unknown, currency: string): void {
  if (Array.isArray(value)) {
    for (const v of value) fillCurrency(v, currency);
    return;
  }
  if (!isRec(value)) return;
  if (typeof value.amount === 'string' && value.currency === undefined) value.currency = currency;
  // A quantity without its unit (PO103 is optional when the partner's default applies) counts in each.
  if (typeof value.value === 'string' && value.uom === undefined && value.unit === undefined && value.qualifier === undefined)
    value.uom = 'EA';
  for (const [k, v] of Object.entries(value)) if (k !== 'ext') fillCurrency(v, currency);
}

/** `a × b` on decimal strings, rounded half-up to `places` (line totals: quantity × unit price, exactly). */
export function multiplyDecimal(a: string, b: string, places = 4): string {
  const parse = (s: string): { n: bigint; scale: number } => {
    const neg = s.startsWith('-');
    const [i = '0', f = ''] = s.replace('-', '').split('.');
    return { n: BigInt(`${neg ? '-' : ''}${i}${f}` || '0'), scale: f.length };
  };
  const x = parse(a);
  const y = parse(b);
  let n = x.n * y.n;
  const scale = x.scale + y.scale;
  if (scale > places) {
    const div = 10n ** BigInt(scale - places);
    const half = div / 2n;
    n = n >= 0n ? (n + half) / div : (n - half) / div;
  }
  const outScale = Math.min(scale, places);
  return formatScaled(n, outScale);
}

/** Sum of decimal strings, exactly. */
export function sumDecimals(values: readonly string[]): string {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, (v.split('.')[1] ?? '').length);
  let total = 0n;
  for (const v of values) {
    const neg = v.startsWith('-');
    const [i = '0', f = ''] = v.replace('-', '').split('.');
    const n = BigInt(`${i}${f.padEnd(scale, '0')}`);
    total += neg ? -n : n;
  }
  return formatScaled(total, scale);
}

function formatScaled(n: bigint, scale: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale) || '0';
  const frac = scale > 0 ? digits.slice(digits.length - scale).replace(/0+$/, '') : '';
  const text = frac ? `${int}.${frac}` : int;
  return neg && text !== '0' ? `-${text}` : text;
}

/** Line numbers are required in canonical lines; EDI allows them to be absent (PO101 is optional). */
export function numberLines(lines: unknown, field = 'lineNumber'): void {
  if (!Array.isArray(lines)) return;
  lines.forEach((line, i) => {
    if (isRec(line) && line[field] === undefined) line[field] = String(i + 1);
  });
}

/** Removes undefined values and empty objects left by templates whose fields were all absent. */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (!isRec(value)) return value;
  const out: Rec = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const p = prune(v);
    if (isRec(p) && Object.keys(p).length === 0 && k !== 'ext' && k !== 'refs') continue;
    out[k] = p;
  }
  return out;
}

/** A canonical id from envelope facts: `[A-Za-z0-9][A-Za-z0-9._:/-]*`. */
export function stableId(...parts: string[]): string {
  const cleaned = parts.map(
    (p) =>
      p
        .trim()
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '') || '0',
  );
  return cleaned.join(':');
}

const ITEM_IDS = ['id', 'sku', 'gtin', 'customerItemNumber', 'supplierItemNumber', 'manufacturerPartNumber', 'refs'];

/**
 * A line whose product ids have no canonical place (X12 `ST` style number, a UPC with a wrong check
 * digit) still names its item: each kept qualifier/id pair becomes `item.refs["edi/<qualifier>"]`.
 */
export function itemFromKeptIds(lines: unknown, keptPath = 'ext.edi.productIds', itemKey = 'item'): void {
  if (!Array.isArray(lines)) return;
  for (const line of lines) {
    if (!isRec(line)) continue;
    const item = isRec(line[itemKey]) ? line[itemKey] : {};
    if (ITEM_IDS.some((k) => item[k] !== undefined)) continue;
    let kept: unknown = line;
    for (const key of keptPath.split('.')) kept = isRec(kept) ? kept[key] : undefined;
    const refs: Record<string, string> = {};
    if (Array.isArray(kept)) {
      for (const p of kept) {
        if (isRec(p) && typeof p.qualifier === 'string' && typeof p.id === 'string' && p.id !== '') {
          refs[`edi/${p.qualifier.toLowerCase() || 'id'}`] ??= p.id;
        }
      }
    }
    if (Object.keys(refs).length > 0) line[itemKey] = { ...item, refs };
  }
}

/** Whether a party reference names anyone (a NAD/N1 with only a code list qualifier does not). */
export function namesParty(v: unknown): boolean {
  return isRec(v) && ['id', 'number', 'name', 'gln', 'duns', 'refs'].some((k) => v[k] !== undefined && v[k] !== '');
}
