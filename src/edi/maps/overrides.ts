import { z } from 'zod';
import { type Binding, type EdiMap, type MapNode, q, type SegTemplate, seg } from './engine/map-format.js';
import { MapErrors } from './errors.js';

const SOURCE = /^([A-Z][A-Z0-9]{1,2})(?:\[([A-Za-z0-9]+)\])?(\d{2})(?:-(\d{1,2}))?$/;

/**
 * A partner's change to a map, by configuration. `field` names a map field by its full record path
 * (`customerPoNumber`, `lines.quantity.uom`, `shipTo.locationCode`); then:
 * - `source`: read/write it from another element: `REF[IA]02` (REF with REF01 = IA, element 2),
 *   `PO107`, `RFF[ON]01-2` (EDIFACT element 1 component 2). A field the map lacks may be added this way.
 * - `target`: put it somewhere else in the canonical object (`ext.edi.vendorOrder`).
 * - `constant`: always this value, both ways (a partner that never sends CUR: `currency: CAD`).
 * - `codes`: their code → ours (UoM `CA` → `CS`); outbound uses the first code per value.
 */
export const MapOverride = z
  .strictObject({
    field: z.string().min(1).max(200),
    source: z.string().regex(SOURCE, 'expected a segment path such as REF[IA]02, PO103 or RFF[ON]01-2').optional(),
    target: z.string().min(1).max(200).optional(),
    constant: z.string().max(500).optional(),
    codes: z.record(z.string(), z.string()).optional(),
  })
  .refine((o) => o.source ?? o.target ?? o.constant ?? o.codes, 'an override needs source, target, constant or codes');
export type MapOverride = z.infer<typeof MapOverride>;

interface Scope {
  prefix: string;
  nodes: MapNode[];
}

function full(prefix: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : prefix ? `${prefix}.${target}` : target;
}

function relative(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : `/${path}`;
}

/** Inserts a binding at a source path in a scope: into the template for that tag/qualifier, or a new one. */
function placeAt(scope: Scope, source: string, binding: Binding): void {
  const m = SOURCE.exec(source);
  if (!m) throw MapErrors.override(`bad source ${source}`, { source });
  const [, tag = '', qualifier, element = '', component] = m;
  const key = `${Number(element)}${component ? `.${Number(component)}` : ''}/override`;
  const index = scope.nodes.findIndex(
    (n) =>
      n.kind === 'seg' &&
      n.tag === tag &&
      n.many === undefined &&
      (qualifier === undefined
        ? true
        : Object.entries(n.elements).some(([k, b]) => k.split('/')[0] === '1' && b.kind === 'const' && b.value === qualifier)),
  );
  const found = scope.nodes[index];
  if (found?.kind === 'seg') {
    const elements: Record<string, Binding> = {};
    // The element now carries the override's field: whatever the map had there is replaced.
    for (const [k, b] of Object.entries(found.elements)) if (k.split('/')[0] !== key.split('/')[0]) elements[k] = b;
    elements[key] = binding;
    scope.nodes[index] = { ...found, elements };
    return;
  }
  const created: SegTemplate = seg(tag, { ...(qualifier !== undefined ? { 1: q(qualifier) } : {}), [key]: binding });
  let at = -1;
  scope.nodes.forEach((n, i) => {
    if (n.kind === 'seg' && n.tag === tag) at = i + 1;
  });
  if (at < 0) at = scope.nodes.findIndex((n, i) => i > 0 && n.kind === 'loop');
  if (at < 0) at = scope.nodes.length;
  scope.nodes.splice(at, 0, created);
}

/** A copy of the map with a partner's overrides applied; unknown fields without a source are refused. */
export function applyOverrides(map: EdiMap, overrides: readonly MapOverride[]): EdiMap {
  if (overrides.length === 0) return map;
  const pending = new Map(overrides.map((o) => [o.field, MapOverride.parse(o)]));
  const placements: Array<{ scope: Scope; source: string; binding: Binding }> = [];

  const rewriteBinding = (b: Binding, prefix: string, scope: Scope): Binding | null => {
    if (b.kind === 'field') {
      const name = full(prefix, b.target);
      const o = pending.get(name);
      if (!o) return b;
      pending.delete(name);
      const target = o.target !== undefined ? relative(prefix, o.target) : b.target;
      const next: Binding = {
        ...b,
        target,
        ...(o.constant !== undefined ? { constant: o.constant } : {}),
        ...(o.codes !== undefined ? { codes: { ...o.codes, ...(b.closed ? b.codes : {}) } } : {}),
      };
      if (o.source !== undefined) {
        placements.push({ scope, source: o.source, binding: next });
        return null;
      }
      return next;
    }
    if (b.kind === 'pairs') {
      const targets = { ...b.targets };
      for (const [qualifier, spec] of Object.entries(b.targets)) {
        const name = full(prefix, spec.target);
        const o = pending.get(name);
        if (!o || o.target === undefined) continue;
        targets[qualifier] = { ...spec, target: relative(prefix, o.target) };
      }
      return { ...b, targets };
    }
    return b;
  };

  const rewrite = (nodes: readonly MapNode[], prefix: string): MapNode[] => {
    const scope: Scope = { prefix, nodes: [] };
    for (const n of nodes) {
      if (n.kind === 'loop') {
        const inner = full(prefix, n.target);
        const [first, ...rest] = rewrite(n.body, inner);
        if (first?.kind !== 'seg') throw MapErrors.override(`an override removed the trigger segment of loop ${inner}`, { loop: inner });
        const body: [SegTemplate, ...MapNode[]] = [first, ...rest];
        scope.nodes.push({ ...n, body });
        continue;
      }
      const itemPrefix = n.many !== undefined ? full(prefix, n.many) : prefix;
      const elements: Record<string, Binding> = {};
      for (const [k, b] of Object.entries(n.elements)) {
        const next = rewriteBinding(b, itemPrefix, scope);
        if (next) elements[k] = next;
      }
      scope.nodes.push({ ...n, elements });
    }
    if (prefix === '') {
      // Fields the map does not have, added by source: placed in the root scope.
      for (const [name, o] of pending) {
        if (o.source === undefined) continue;
        placements.push({
          scope,
          source: o.source,
          binding: {
            kind: 'field',
            target: o.target ?? name,
            ...(o.codes ? { codes: o.codes } : {}),
            ...(o.constant !== undefined ? { constant: o.constant } : {}),
          },
        });
        pending.delete(name);
      }
    }
    const mine = placements.filter((x) => x.scope === scope);
    for (const p of mine) {
      placements.splice(placements.indexOf(p), 1);
      placeAt(scope, p.source, p.binding);
    }
    return scope.nodes;
  };

  const nodes = rewrite(map.nodes, '');
  if (pending.size > 0) {
    throw MapErrors.override(`map ${map.id} has no field ${[...pending.keys()].join(', ')} (give a source to add one)`, {
      map: map.id,
      fields: [...pending.keys()],
    });
  }
  return { ...map, nodes };
}

/** Every field a map reads or writes, by full path: what overrides may name. */
export function mapFields(map: EdiMap): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly MapNode[], prefix: string) => {
    for (const n of nodes) {
      if (n.kind === 'loop') {
        walk(n.body, full(prefix, n.target));
        continue;
      }
      const p = n.many !== undefined ? full(prefix, n.many) : prefix;
      for (const b of Object.values(n.elements)) {
        if (b.kind === 'field') out.push(full(p, b.target));
        if (b.kind === 'pairs') for (const t of Object.values(b.targets)) out.push(full(p, t.target));
      }
    }
  };
  walk(map.nodes, '');
  return [...new Set(out)];
}
