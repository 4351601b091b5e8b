/**
 * The one shape both standards are mapped through: a tag and elements as components, first repetition
 * only. X12 `elements[i][rep][comp]` and EDIFACT `elements[i][comp]` both reduce to it.
 */
export interface MapSegment {
  readonly tag: string;
  /** `values[e - 1][c - 1]`, 1-based element and component as the standards number them. */
  readonly values: readonly (readonly string[])[];
}

export function elementText(seg: MapSegment, element: number, component = 1): string {
  return seg.values[element - 1]?.[component - 1] ?? '';
}

/** A segment kept verbatim in `ext` because the map has no place for it: `[tag, element, …]`, components joined by `:`. */
export function rawSegment(seg: MapSegment): string[] {
  const out = [seg.tag, ...seg.values.map((e) => e.join(':'))];
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * Element address in a binding key: `"3"` (element 3) or `"3.2"` (element 3, component 2). A `/label`
 * suffix lets two bindings read the same element (`"2"` status, `"2/raw"` the code as sent).
 */
export function parseAddress(key: string): { element: number; component: number } {
  const [e, c] = (key.split('/')[0] ?? '').split('.');
  return { element: Number(e), component: c === undefined ? 1 : Number(c) };
}
