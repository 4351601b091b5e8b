/** The supplier's own money arithmetic: decimal strings as integers of 1/10000. */
const SCALE = 10_000n;

export function toUnits(value: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(value);
  if (!m) throw new Error(`not an amount: ${value}`);
  const units = BigInt(m[2] ?? '0') * SCALE + BigInt((m[3] ?? '').padEnd(4, '0'));
  return m[1] === '-' ? -units : units;
}

/** Units of 1/10000 to a string with two decimals (half away from zero). */
export function fromUnits(units: bigint, places = 2): string {
  const negative = units < 0n;
  let magnitude = negative ? -units : units;
  const drop = 10n ** BigInt(4 - places);
  magnitude = (magnitude + drop / 2n) / drop;
  const digits = magnitude.toString().padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** quantity × unit price, in units. */
export function lineUnits(quantity: string, unitPrice: string): bigint {
  return (toUnits(quantity) * toUnits(unitPrice)) / SCALE;
}
