import { writeValue } from './convert.js';
import { type LoopTemplate, type MapNode, qualifiers, type SegTemplate } from './map-format.js';
import { getPath, isRec, type Rec, records, scoped } from './paths.js';
import { type MapSegment, parseAddress } from './segment-view.js';

/** Writes a record as the body of a transaction set / message, in template order. */
export function writeRecord(nodes: readonly MapNode[], record: Rec): MapSegment[] {
  const out: MapSegment[] = [];
  writeNodes(nodes, record, record, out);
  return out;
}

/** Whether a loop instance belongs to this loop: fields bound to the trigger's qualifier elements agree with them. */
function instanceMatches(node: LoopTemplate, inst: Rec, root: Rec): boolean {
  const trigger = node.body[0];
  for (const [key, value] of qualifiers(trigger)) {
    const element = key.split('/')[0];
    for (const [k, b] of Object.entries(trigger.elements)) {
      if (b.kind !== 'field' || k.split('/')[0] !== element) continue;
      const { obj, path } = scoped(root, inst, b.target);
      const v = getPath(obj, path);
      if (v !== undefined && v !== value) return false;
    }
  }
  return true;
}

function writeNodes(nodes: readonly MapNode[], root: Rec, instance: Rec, out: MapSegment[]): void {
  const sharedDone = new Set<string>();
  for (const node of nodes) {
    // Several loops filling one array (X12 856 HL levels S/O/P/I): written in the array's order.
    const siblings =
      node.kind === 'loop' && node.many ? nodes.filter((n): n is LoopTemplate => n.kind === 'loop' && n.target === node.target) : [];
    if (node.kind === 'loop' && siblings.length > 1) {
      if (sharedDone.has(node.target)) continue;
      sharedDone.add(node.target);
      const { obj, path } = scoped(root, instance, node.target);
      for (const inst of records(getPath(obj, path))) {
        const loop = siblings.find((l) => instanceMatches(l, inst, root));
        if (loop) writeNodes(loop.body, root, inst, out);
      }
      continue;
    }
    if (node.kind === 'seg') {
      if (node.inboundOnly) continue;
      if (node.many !== undefined) {
        const { obj, path } = scoped(root, instance, node.many);
        for (const item of records(getPath(obj, path))) emit(node, root, item, out);
      } else emit(node, root, instance, out);
      continue;
    }
    const { obj, path } = scoped(root, instance, node.target);
    const value = getPath(obj, path);
    const instances = node.many ? records(value) : isRec(value) ? [value] : [];
    for (const inst of instances) writeNodes(node.body, root, inst, out);
  }
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function invert(codes: Readonly<Record<string, string>> | undefined, value: string): string {
  if (!codes) return value;
  for (const [theirs, ours] of Object.entries(codes)) if (ours === value) return theirs;
  return value;
}

function emit(t: SegTemplate, root: Rec, instance: Rec, out: MapSegment[]): void {
  const values: string[][] = [];
  let hasData = false;
  const put = (element: number, component: number, value: string) => {
    while (values.length < element) values.push([]);
    const el = values[element - 1] ?? [];
    while (el.length < component) el.push('');
    el[component - 1] = value;
    values[element - 1] = el;
  };
  for (const [key, b] of Object.entries(t.elements)) {
    const { element, component } = parseAddress(key);
    if (b.kind === 'const') put(element, component, b.value);
    else if (b.kind === 'field') {
      if (b.inboundOnly) continue;
      const { obj, path } = scoped(root, instance, b.target);
      const v = b.constant ?? text(getPath(obj, path));
      if (v === undefined) {
        if (b.fallback !== undefined) put(element, component, b.fallback);
        continue;
      }
      put(element, component, invert(b.codes, writeValue(b.convert, v)));
      hasData = true;
    } else if (b.kind === 'count') {
      const { obj, path } = scoped(root, instance, b.target);
      const n = records(getPath(obj, path)).length;
      if (n > 0) {
        put(element, component, String(n));
        hasData = true;
      }
    } else {
      const written: Array<[string, string]> = [];
      const targetsDone = new Set<string>();
      for (const [qualifier, spec] of Object.entries(b.targets)) {
        if (targetsDone.has(spec.target)) continue;
        const { obj, path } = scoped(root, instance, spec.target);
        const v = text(getPath(obj, path));
        if (v === undefined || (spec.pattern !== undefined && !new RegExp(spec.pattern).test(v))) continue;
        written.push([qualifier, writeValue(spec.convert, v)]);
        targetsDone.add(spec.target);
      }
      const kept = scoped(root, instance, b.keep);
      for (const k of records(getPath(kept.obj, kept.path))) {
        const qualifier = text(k.qualifier);
        const id = text(k.id);
        // Only well-formed pairs go back out (DE 235 is two characters); a misaligned one stays in ext.
        if (qualifier === undefined || id === undefined || !/^[A-Z0-9]{2}$/.test(qualifier)) continue;
        if (!written.some(([wq]) => wq === qualifier)) written.push([qualifier, id]);
      }
      written.slice(0, b.count).forEach(([qualifier, id], i) => {
        put(element + i * 2, 1, qualifier);
        put(element + i * 2 + 1, 1, id);
      });
      if (written.length > 0) hasData = true;
    }
  }
  if (!hasData && !t.always) return;
  const trimmed = values.map((el) => {
    const comps = [...el];
    while (comps.length > 1 && comps[comps.length - 1] === '') comps.pop();
    return comps.length === 0 ? [''] : comps;
  });
  while (trimmed.length > 0 && trimmed[trimmed.length - 1]?.every((c) => c === '')) trimmed.pop();
  out.push({ tag: t.tag, values: trimmed });
}
