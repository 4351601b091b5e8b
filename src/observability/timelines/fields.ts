/** Small readers for event data of unknown shape: the projection reads many object types defensively. */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a dotted path (`supplier.number`), or undefined. */
export function at(v: unknown, path: string): unknown {
  let node: unknown = v;
  for (const part of path.split('.')) {
    if (!isRecord(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** A non-empty string (or a finite number as text) at a path. */
export function text(v: unknown, path: string): string | undefined {
  const value = at(v, path);
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function list(v: unknown, path: string): unknown[] {
  const value = at(v, path);
  return Array.isArray(value) ? value : [];
}

/** The values of a `refs` map ({system -> id}) as [system, id] pairs. */
export function refPairs(v: unknown, path = 'refs'): Array<[string, string]> {
  const refs = at(v, path);
  if (!isRecord(refs)) return [];
  const out: Array<[string, string]> = [];
  for (const [system, id] of Object.entries(refs)) {
    if (typeof id === 'string' && id.length > 0) out.push([system, id]);
    else if (isRecord(id))
      for (const inner of Object.values(id)) if (typeof inner === 'string' && inner.length > 0) out.push([system, inner]);
  }
  return out;
}

/** The first of several fields that holds text. */
export function firstText(v: unknown, paths: readonly string[]): string | undefined {
  for (const p of paths) {
    const t = text(v, p);
    if (t !== undefined) return t;
  }
  return undefined;
}
