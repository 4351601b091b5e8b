import type { CanonicalSchemaId } from '../../../canonical/index.js';
import type { Converter } from './convert.js';

/** Where a qualified id goes; `pattern` picks the qualifier outbound (a 12-digit GTIN is `UP`, 13 `EN`, 14 `UK`). */
export interface PairTarget {
  readonly target: string;
  readonly convert?: Converter;
  readonly pattern?: string;
}

/** How one element (or component) relates to the canonical record. */
export type Binding =
  /** Written as is; when `match`, also a qualifier the segment must carry to be this template. */
  | { kind: 'const'; value: string; match: boolean }
  /**
   * A field. `target` is a dotted path relative to the enclosing loop instance, or to the whole record
   * when it starts with `/`. `codes` translates the partner's codes to ours inbound (inverse outbound);
   * `constant` replaces the value both ways (partner overrides use it).
   */
  | {
      kind: 'field';
      target: string;
      convert?: Converter;
      codes?: Readonly<Record<string, string>>;
      /** The code table is exhaustive (canonical enums): an unknown code is not mapped (kept raw). */
      closed?: boolean;
      constant?: string;
      /** Written when the record has no value (BEG01 `00`); does not make the segment worth writing. */
      fallback?: string;
      /** Read only (W0103 UPC case code: read as the GTIN, written through the product id pairs). */
      inboundOnly?: boolean;
    }
  /**
   * Qualifier/id pairs from element `from` on (X12 PO1/LIN/IT1 `BP*123*VN*456`): known qualifiers go to
   * their target; every pair is kept in `keep` so nothing is lost.
   */
  | { kind: 'pairs'; count: number; targets: Readonly<Record<string, PairTarget>>; keep: string }
  /** Outbound only: the number of entries of an array (X12 CTT01, EDIFACT CNT). */
  | { kind: 'count'; target: string };

export interface SegTemplate {
  readonly kind: 'seg';
  readonly tag: string;
  /** Key: `"3"` or `"3.2"`. */
  readonly elements: Readonly<Record<string, Binding>>;
  /** Each occurrence is an item of this array (relative path); fields are relative to the item. */
  readonly many?: string;
  /** Written even when no field has a value (mandatory segments such as BEG). */
  readonly always?: boolean;
  /**
   * Read only: catch-alls (any REF/DTM kept in `ext`) are not written back, since what a partner sent
   * may not be valid in what we send.
   */
  readonly inboundOnly?: boolean;
}

export interface LoopTemplate {
  readonly kind: 'loop';
  /** Target of the loop instance: an array when `many`, else an object. Relative or `/`-absolute. */
  readonly target: string;
  readonly many: boolean;
  /** The first node is the trigger segment: a new one opens a new instance. */
  readonly body: readonly [SegTemplate, ...MapNode[]];
  /** Where segments the loop's templates do not cover go, relative to the instance; default: the record's. */
  readonly unmapped?: string;
}

export type MapNode = SegTemplate | LoopTemplate;

export type Standard = 'x12' | 'edifact';

export interface MapContext {
  /** The trading partner id (profile id) or '' when unknown. */
  readonly partner: string;
  /** A stable id for the object: derived from interchange control, message/transaction control and index. */
  readonly documentKey: string;
  /** Interchange and message identification, kept in `ext` and `refs`. */
  readonly envelope: Readonly<Record<string, string>>;
  /** Currency when the document names none (profile default). */
  readonly defaultCurrency: string;
}

/**
 * A map between one transaction set / message and one canonical object type, both ways. The templates
 * are the data; `toCanonical` / `fromCanonical` are the small functions for what a path cannot say
 * (HL hierarchy, statuses derived from codes). A record is the plain object the templates read and write.
 */
export interface EdiMap {
  readonly id: string;
  readonly standard: Standard;
  /** X12 ST01 or EDIFACT UNH 0065. */
  readonly documentType: string;
  /** X12 GS08 prefixes (`004010`, `005010`) or EDIFACT `D:96A`, `D:01B`. */
  readonly versions: readonly string[];
  readonly canonical: CanonicalSchemaId;
  /** Where unmapped segments of the record go (default `ext.edi.segments`). */
  readonly unmapped: string;
  readonly nodes: readonly MapNode[];
  /** Record → canonical inputs (one document may carry several objects: 846 → positions). */
  toCanonical(record: Record<string, unknown>, ctx: MapContext): unknown[];
  /** Canonical objects → the record of one document. */
  fromCanonical(objects: readonly unknown[], ctx: MapContext): Record<string, unknown>;
  /** X12 GS01 functional id, for outbound envelopes. */
  readonly functionalId?: string;
}

export interface EdiMapDefinition extends Omit<EdiMap, 'unmapped' | 'toCanonical' | 'fromCanonical'> {
  unmapped?: string;
  toCanonical?: EdiMap['toCanonical'];
  fromCanonical?: EdiMap['fromCanonical'];
}

/** Declares a map; by default the record is the canonical object itself. */
export function defineEdiMap(def: EdiMapDefinition): EdiMap {
  return {
    ...def,
    unmapped: def.unmapped ?? 'ext.edi.segments',
    toCanonical: def.toCanonical ?? ((record) => [record]),
    fromCanonical:
      def.fromCanonical ??
      ((objects) => {
        const [first] = objects;
        return typeof first === 'object' && first !== null ? { ...first } : {};
      }),
  };
}

// Builders: `seg('BEG', { 1: q('00'), 3: f('customerPoNumber') })`.

export const q = (value: string): Binding => ({ kind: 'const', value, match: true });
export const c = (value: string): Binding => ({ kind: 'const', value, match: false });
export const f = (target: string, convert?: Converter, codes?: Record<string, string>): Binding => ({
  kind: 'field',
  target,
  ...(convert !== undefined ? { convert } : {}),
  ...(codes !== undefined ? { codes } : {}),
});
/** A field through an exhaustive code table (their code → our enum value); outbound takes the first code per value. */
export const e = (target: string, codes: Record<string, string>, fallback?: string): Binding => ({
  kind: 'field',
  target,
  codes,
  closed: true,
  ...(fallback !== undefined ? { fallback } : {}),
});
/** A field read but never written. */
export const fr = (target: string, convert?: Converter): Binding => ({
  kind: 'field',
  target,
  inboundOnly: true,
  ...(convert !== undefined ? { convert } : {}),
});
/** A field with a value written when the record has none. */
export const fd = (target: string, fallback: string, convert?: Converter): Binding => ({
  kind: 'field',
  target,
  fallback,
  ...(convert !== undefined ? { convert } : {}),
});
export const pairs = (count: number, targets: Record<string, PairTarget>, keep: string): Binding => ({
  kind: 'pairs',
  count,
  targets,
  keep,
});
export const count = (target: string): Binding => ({ kind: 'count', target });

export function seg(
  tag: string,
  elements: Record<string, Binding>,
  options: { many?: string; always?: boolean; inboundOnly?: boolean } = {},
): SegTemplate {
  return { kind: 'seg', tag, elements, ...options };
}

export function loop(target: string, many: boolean, body: [SegTemplate, ...MapNode[]], unmapped?: string): LoopTemplate {
  return { kind: 'loop', target, many, body, ...(unmapped !== undefined ? { unmapped } : {}) };
}

/** The qualifier constants a template requires, by address. */
export function qualifiers(t: SegTemplate): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, b] of Object.entries(t.elements)) if (b.kind === 'const' && b.match) out.push([key, b.value]);
  return out;
}

/** Rewrites target prefixes (`customerPoNumber` → `poNumber`) to reuse a template set for another object. */
export function retarget(nodes: readonly MapNode[], renames: Readonly<Record<string, string>>): MapNode[] {
  const rename = (target: string): string => {
    for (const [from, to] of Object.entries(renames)) {
      if (target === from) return to;
      if (target.startsWith(`${from}.`)) return `${to}${target.slice(from.length)}`;
    }
    return target;
  };
  const mapBinding = (b: Binding): Binding => {
    if (b.kind === 'field') return { ...b, target: rename(b.target) };
    if (b.kind === 'pairs') {
      const targets: Record<string, PairTarget> = {};
      for (const [k, v] of Object.entries(b.targets)) targets[k] = { ...v, target: rename(v.target) };
      return { ...b, targets, keep: rename(b.keep) };
    }
    if (b.kind === 'count') return { ...b, target: rename(b.target) };
    return b;
  };
  const mapSeg = (n: SegTemplate): SegTemplate => {
    const elements: Record<string, Binding> = {};
    for (const [k, b] of Object.entries(n.elements)) elements[k] = mapBinding(b);
    return { ...n, elements, ...(n.many !== undefined ? { many: rename(n.many) } : {}) };
  };
  const mapNode = (n: MapNode): MapNode => {
    if (n.kind === 'seg') return mapSeg(n);
    const [first, ...rest] = n.body;
    const body: [SegTemplate, ...MapNode[]] = [mapSeg(first), ...rest.map(mapNode)];
    return { ...n, target: rename(n.target), body };
  };
  return nodes.map(mapNode);
}
