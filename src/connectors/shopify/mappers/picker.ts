/**
 * Takes fields out of a vendor object one by one; what is never taken is what the canonical model has
 * no place for and goes to `ext.shopify` as sent. A field is taken only when the value converts
 * without loss (the inverse mapper gives back exactly the same JSON), so nothing a source sent is lost.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MONEY = /^-?(0|[1-9]\d{0,17})(\.\d{1,4})?$/;
const DECIMAL = /^-?(0|[1-9]\d{0,17})(\.\d{1,10})?$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Shopify REST ids are JSON numbers; ids above 2^53 arrive as strings from parseJsonKeepingBigIds. */
export function idToString(value: Json | undefined): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value) && !Number.isSafeInteger(Number(value))) return value;
  return undefined;
}

export function idToJson(id: string): Json {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

/** A fraction such as 0.0725 as a percent string "7.25", by moving the decimal point (no float maths). */
export function fractionToPercent(rate: number): string | undefined {
  const text = String(rate);
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
  const [int = '0', frac = ''] = text.split('.');
  const digits = `${int}${frac.padEnd(2, '0')}`;
  const whole = digits.slice(0, int.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(int.length + 2).replace(/0+$/, '');
  const percent = rest ? `${whole}.${rest}` : whole;
  return percentToFraction(percent) === rate ? percent : undefined;
}

export function percentToFraction(percent: string): number {
  const [int = '0', frac = ''] = percent.split('.');
  const padded = int.padStart(3, '0');
  return Number(`${padded.slice(0, -2)}.${padded.slice(-2)}${frac}`);
}

export class Picker {
  readonly rest: JsonObject;
  constructor(source: JsonObject) {
    this.rest = { ...source };
  }

  private takeIf<T>(key: string, convert: (value: Json) => T | undefined): T | undefined {
    const value = this.rest[key];
    if (value === undefined) return undefined;
    const converted = convert(value);
    if (converted !== undefined) delete this.rest[key];
    return converted;
  }

  /** A non-empty string, optionally matching `pattern`. */
  string(key: string, pattern?: RegExp): string | undefined {
    return this.takeIf(key, (v) => (typeof v === 'string' && v.length > 0 && (!pattern || pattern.test(v)) ? v : undefined));
  }
  money(key: string): string | undefined {
    return this.string(key, MONEY);
  }
  decimal(key: string): string | undefined {
    return this.string(key, DECIMAL);
  }
  timestamp(key: string): string | undefined {
    return this.string(key, TIMESTAMP);
  }
  id(key: string): string | undefined {
    return this.takeIf(key, idToString);
  }
  /** Takes `true` only: a canonical boolean defaulting to false cannot tell false from absent. */
  flag(key: string): true | undefined {
    return this.takeIf(key, (v) => (v === true ? true : undefined));
  }
  /** A non-negative integer as a decimal string. */
  count(key: string): string | undefined {
    return this.takeIf(key, (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined));
  }
  /** A value mapped through a bijective table (vendor code → canonical code). */
  code<T extends string>(key: string, table: Readonly<Record<string, T>>): T | undefined {
    return this.takeIf(key, (v) => (typeof v === 'string' && Object.hasOwn(table, v) ? table[v] : undefined));
  }
  /** Takes a nested object and maps it; the mapper returns its own leftovers (undefined: leave it). */
  object<T>(key: string, map: (value: JsonObject) => { value: T; rest: JsonObject } | undefined): T | undefined {
    const value = this.rest[key];
    if (!isObject(value)) return undefined;
    const mapped = map(value);
    if (!mapped) return undefined;
    if (Object.keys(mapped.rest).length === 0) delete this.rest[key];
    else this.rest[key] = mapped.rest;
    return mapped.value;
  }
  /** Takes an array of objects mapped one by one; leftovers stay per element, positions kept. */
  list<T>(key: string, map: (value: JsonObject, index: number) => { value: T; rest: JsonObject } | undefined): T[] | undefined {
    const value = this.rest[key];
    // An empty list stays as sent: the canonical empty default cannot tell [] from absent.
    if (!Array.isArray(value) || value.length === 0) return undefined;
    const mapped: Array<{ value: T; rest: JsonObject }> = [];
    for (const [i, element] of value.entries()) {
      const m = isObject(element) ? map(element, i) : undefined;
      if (!m) return undefined;
      mapped.push(m);
    }
    if (mapped.every((m) => Object.keys(m.rest).length === 0)) delete this.rest[key];
    else this.rest[key] = mapped.map((m) => m.rest);
    return mapped.map((m) => m.value);
  }
}

/** Puts back what an inverse mapper rebuilt onto the leftovers (arrays merge element by element). */
export function merge(base: Json | undefined, rebuilt: Json | undefined): Json | undefined {
  if (rebuilt === undefined) return base;
  if (base === undefined) return rebuilt;
  if (Array.isArray(base) && Array.isArray(rebuilt)) {
    return rebuilt.map((r, i) => merge(base[i], r) ?? null);
  }
  if (isObject(base) && isObject(rebuilt)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(rebuilt)) {
      const merged = merge(base[k], v);
      if (merged !== undefined) out[k] = merged;
    }
    return out;
  }
  return rebuilt;
}
