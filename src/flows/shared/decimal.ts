/**
 * Decimal arithmetic on money strings ("12.50"), exact: amounts are scaled to 4 decimals in a bigint
 * (the canonical Money allows at most 4). Never a float (ARCHITECTURE §5.2).
 */
const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** A decimal string as a bigint of ten-thousandths. */
export function toUnits(value: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new Error(`not a decimal: ${value}`);
  const frac = (m[3] ?? '').padEnd(SCALE, '0').slice(0, SCALE);
  const units = BigInt(m[2] ?? '0') * FACTOR + BigInt(frac || '0');
  return m[1] === '-' ? -units : units;
}

/** Ten-thousandths back to a decimal string with at least 2 decimals ("12.5" -> "12.50"). */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  let frac = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

export function addDecimal(a: string, b: string): string {
  return fromUnits(toUnits(a) + toUnits(b));
}

/** quantity x unit price, rounded half up to 4 decimals. */
export function multiplyDecimal(quantity: string, price: string): string {
  const product = toUnits(quantity) * toUnits(price);
  const half = FACTOR / 2n;
  const rounded = product >= 0n ? (product + half) / FACTOR : -((-product + half) / FACTOR);
  return fromUnits(rounded);
}

/** -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const d = toUnits(a) - toUnits(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** |a - b| as a decimal string. */
export function absDifference(a: string, b: string): string {
  const d = toUnits(a) - toUnits(b);
  return fromUnits(d < 0n ? -d : d);
}
