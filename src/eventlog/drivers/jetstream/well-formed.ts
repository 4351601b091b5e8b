const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The string as PostgreSQL stores it: a lone UTF-16 surrogate becomes U+FFFD, as when the driver
 * encodes a parameter to UTF-8. Strings sent inside a JSON parameter need it: PostgreSQL refuses a
 * JSON `\ud800` escape without its pair, where a parameter of its own would have been stored.
 */
export function wellFormed(text: string): string {
  return SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\ufffd') : text;
}

/** A PostgreSQL `text[]` literal: each element quoted, `"` and `\` escaped (well-formed strings only). */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
