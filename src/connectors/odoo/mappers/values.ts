/** The connector's key in canonical `refs` and `ext`. */
export const ODOO = 'odoo';

/** A float Odoo sent as a canonical decimal string (no exponent, at most 4 places: Odoo's default precision). */
export function decimal(value: number): string {
  const fixed = value.toFixed(4).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** Odoo datetimes are `YYYY-MM-DD HH:MM:SS` in UTC. */
export function isoFromOdoo(datetime: string): string {
  return `${datetime.replace(' ', 'T')}Z`;
}

export function odooFromIso(timestamp: string): string {
  return new Date(timestamp).toISOString().slice(0, 19).replace('T', ' ');
}
