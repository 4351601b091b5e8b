/** Dotted-path access on plain records (the map engine's only data structure). */
export type Rec = Record<string, unknown>;

export function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isRec(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function setPath(obj: Rec, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur: Rec = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i] ?? '';
    const next = cur[key];
    if (isRec(next)) cur = next;
    else {
      const created: Rec = {};
      cur[key] = created;
      cur = created;
    }
  }
  cur[keys[keys.length - 1] ?? ''] = value;
}

export function pushPath(obj: Rec, path: string, value: unknown): void {
  const existing = getPath(obj, path);
  if (Array.isArray(existing)) existing.push(value);
  else setPath(obj, path, [value]);
}

/** Resolves a binding target against the loop instance (relative) or the record root (`/path`). */
export function scoped(root: Rec, instance: Rec, target: string): { obj: Rec; path: string } {
  return target.startsWith('/') ? { obj: root, path: target.slice(1) } : { obj: instance, path: target };
}

/** Arrays as arrays of records (anything else dropped). */
export function records(v: unknown): Rec[] {
  return Array.isArray(v) ? v.filter(isRec) : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}
