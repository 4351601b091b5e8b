import { gs1CheckDigitValid } from '../../../canonical/index.js';

/**
 * Conversions between EDI element text and canonical values. `read` returns undefined for a value that
 * cannot be converted (the engine records a mapping warning and keeps the raw value); `write` formats.
 */
export type Converter =
  | 'text'
  | 'upper'
  | 'date'
  | 'timestamp'
  /** EDIFACT 2379 format 203: CCYYMMDDHHMM (reads 102 dates too). */
  | 'stamp'
  | 'time'
  | 'decimal'
  | 'amount'
  | 'n2'
  | 'int'
  | 'gtin'
  | 'gln'
  | 'sscc'
  | 'scac'
  | 'country';

function normalizeDecimal(raw: string, places: number): string | undefined {
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(raw.trim());
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return undefined;
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > places) return undefined;
  const text = frac === '' ? int : `${int}.${frac}`;
  return m[1] && text !== '0' ? `-${text}` : text;
}

function isoDate(raw: string): string | undefined {
  const v = raw.trim();
  let y: string;
  let rest: string;
  if (/^\d{8}(\d{4,6})?$/.test(v)) {
    y = v.slice(0, 4);
    rest = v.slice(4, 8);
  } else if (/^\d{6}$/.test(v)) {
    y = `20${v.slice(0, 2)}`;
    rest = v.slice(2, 6);
  } else return undefined;
  const mo = Number(rest.slice(0, 2));
  const d = Number(rest.slice(2, 4));
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  const date = `${y}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
  return Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).getUTCDate() !== d ? undefined : date;
}

export function readValue(conv: Converter | undefined, raw: string): string | number | undefined {
  switch (conv) {
    case undefined:
    case 'text':
      return raw;
    case 'upper':
      return raw.trim().toUpperCase() || undefined;
    case 'date':
      return isoDate(raw);
    case 'stamp':
    case 'timestamp': {
      const date = isoDate(raw);
      if (!date) return undefined;
      // CCYYMMDDHHMM (EDIFACT 203) carries the time; EDI dates carry no zone, UTC is assumed.
      const t = /^\d{8}(\d{2})(\d{2})$/.exec(raw.trim());
      return t ? `${date}T${t[1]}:${t[2]}:00Z` : `${date}T00:00:00Z`;
    }
    case 'time': {
      const t = /^(\d{2})(\d{2})(\d{2})?/.exec(raw.trim());
      return t ? `${t[1]}:${t[2]}` : undefined;
    }
    case 'decimal':
      return normalizeDecimal(raw, 10);
    case 'amount':
      return normalizeDecimal(raw, 4);
    case 'n2': {
      // X12 N2: two implied decimals (TDS01 16000 = 160.00).
      if (!/^-?\d+$/.test(raw.trim())) return undefined;
      const neg = raw.trim().startsWith('-');
      const digits = raw.trim().replace('-', '').padStart(3, '0');
      return normalizeDecimal(`${neg ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`, 4);
    }
    case 'int':
      return /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    case 'gtin': {
      const v = raw.trim();
      return /^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(v) && gs1CheckDigitValid(v) ? v : undefined;
    }
    case 'gln':
      return /^\d{13}$/.test(raw.trim()) && gs1CheckDigitValid(raw.trim()) ? raw.trim() : undefined;
    case 'sscc': {
      // Labels often carry the application identifier (00) in front of the 18 digits.
      const v = raw.trim().length === 20 && raw.trim().startsWith('00') ? raw.trim().slice(2) : raw.trim();
      return /^\d{18}$/.test(v) && gs1CheckDigitValid(v) ? v : undefined;
    }
    case 'scac':
      return /^[A-Z]{2,4}$/.test(raw.trim()) ? raw.trim() : undefined;
    case 'country':
      return /^[A-Z]{2}$/.test(raw.trim()) ? raw.trim() : undefined;
  }
}

/** Canonical value → element text. */
export function writeValue(conv: Converter | undefined, value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
  switch (conv) {
    case 'date':
    case 'timestamp': {
      const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(text);
      if (!m) return text;
      // Both standards' date elements (X12 373, EDIFACT 2380 format 102) carry the date only.
      return `${m[1]}${m[2]}${m[3]}`;
    }
    case 'stamp': {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text);
      return m ? `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}` : text;
    }
    case 'time':
      return text.replace(':', '');
    case 'n2': {
      const m = /^(-)?(\d+)(?:\.(\d{1,2}))?/.exec(text);
      if (!m) return text;
      return `${m[1] ?? ''}${String(Number(`${m[2]}${(m[3] ?? '').padEnd(2, '0')}`))}`;
    }
    default:
      return text;
  }
}
