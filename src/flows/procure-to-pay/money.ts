import { defineError } from '../../kernel/index.js';

/** Exact decimal arithmetic on decimal strings (money, quantities); never a float. */
export const MoneyErrors = {
  notDecimal: defineError('CD_ERR_P2P_NOT_DECIMAL', { class: 'permanent', title: 'Not a decimal string' }),
} as const;

const PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** A decimal as an integer of units and a scale: value = units / 10^scale. */
export interface Dec {
  readonly units: bigint;
  readonly scale: number;
}

/** Parses "12.50", "-3", "0.125" exactly. */
export function dec(value: string): Dec {
  const m = PATTERN.exec(value.trim());
  if (!m) throw MoneyErrors.notDecimal(`"${value}" is not a decimal string`, { value });
  const fraction = m[3] ?? '';
  const units = BigInt(`${m[2]}${fraction}`);
  return { units: m[1] === '-' ? -units : units, scale: fraction.length };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function align(a: Dec, b: Dec): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * pow10(scale - a.scale), b.units * pow10(scale - b.scale), scale];
}

export function add(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b);
  return { units: x + y, scale };
}

export function sub(a: Dec, b: Dec): Dec {
  const [x, y, scale] = align(a, b);
  return { units: x - y, scale };
}

export function mul(a: Dec, b: Dec): Dec {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** -1, 0 or 1. */
export function cmp(a: Dec, b: Dec): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function abs(a: Dec): Dec {
  return a.units < 0n ? { units: -a.units, scale: a.scale } : a;
}

export function isZero(a: Dec): boolean {
  return a.units === 0n;
}

/** Sum of decimal strings. */
export function sum(values: readonly string[]): Dec {
  return values.reduce<Dec>((acc, v) => add(acc, dec(v)), { units: 0n, scale: 0 });
}

/** Formats with exactly `places` decimals, rounding half away from zero (the usual money rounding). */
export function format(a: Dec, places = 2): string {
  let units = a.units;
  if (a.scale > places) {
    const divisor = pow10(a.scale - places);
    const negative = units < 0n;
    const magnitude = negative ? -units : units;
    let q = magnitude / divisor;
    if ((magnitude % divisor) * 2n >= divisor) q += 1n;
    units = negative ? -q : q;
  } else {
    units *= pow10(places - a.scale);
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const whole = places === 0 ? digits : digits.slice(0, -places);
  const fraction = places === 0 ? '' : `.${digits.slice(-places)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** a × b formatted to `places` (line amount = quantity × unit price). */
export function times(a: string, b: string, places = 2): string {
  return format(mul(dec(a), dec(b)), places);
}

/** Whether |actual - expected| is within `percent` % of |expected| (exact: no division). */
export function withinPercent(actual: Dec, expected: Dec, percent: string): boolean {
  const diff = abs(sub(actual, expected));
  // diff <= expected * percent / 100  <=>  diff * 100 <= expected * percent
  return cmp(mul(diff, dec('100')), mul(abs(expected), dec(percent))) <= 0;
}
