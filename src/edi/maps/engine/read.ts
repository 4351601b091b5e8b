import { type Converter, readValue } from './convert.js';
import { type Binding, type LoopTemplate, type MapNode, qualifiers, type SegTemplate } from './map-format.js';
import { getPath, isRec, pushPath, type Rec, scoped, setPath } from './paths.js';
import { elementText, type MapSegment, parseAddress, rawSegment } from './segment-view.js';

/** A value the map could not convert (bad date, GTIN with a wrong check digit): kept raw, reported. */
export interface MapIssue {
  readonly message: string;
  readonly tag: string;
  /** 1-based position of the segment in the transaction set / message body. */
  readonly segmentPosition: number;
  readonly element: number;
  readonly value: string;
  readonly target: string;
}

interface Scope {
  /** Templates that may appear in this instance (a loop's trigger is excluded: it opens the next instance). */
  readonly nodes: readonly MapNode[];
  readonly instance: Rec;
  readonly unmapped: { obj: Rec; path: string };
  /** Index, in the parent's nodes, of the loop this scope is an instance of. */
  readonly loopIndex: number;
  /** An instance of a loop whose qualifier the map does not know: everything in it is kept raw. */
  readonly sink: boolean;
}

export function templateMatches(t: SegTemplate, seg: MapSegment): boolean {
  if (t.tag !== seg.tag) return false;
  return qualifiers(t).every(([key, value]) => {
    const { element, component } = parseAddress(key);
    return elementText(seg, element, component) === value;
  });
}

/** The best template for a segment: the matching one with the most qualifiers (REF*DP before a catch-all REF). */
function bestTemplate(nodes: readonly MapNode[], seg: MapSegment): number {
  let best = -1;
  let bestScore = -1;
  nodes.forEach((n, i) => {
    if (n.kind !== 'seg' || !templateMatches(n, seg)) return;
    const score = qualifiers(n).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

function bestLoop(nodes: readonly MapNode[], seg: MapSegment): number {
  let best = -1;
  let bestScore = -1;
  nodes.forEach((n, i) => {
    if (n.kind !== 'loop' || !templateMatches(n.body[0], seg)) return;
    const score = qualifiers(n.body[0]).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/**
 * Reads the body of a transaction set / message (without ST/SE, UNH/UNT) into a record. Loops are
 * recognised the way X12 and EDIFACT define them: a loop starts at its trigger segment and holds the
 * segments that follow until one belongs to an enclosing level. Segments the map has no template for
 * are kept verbatim in the nearest `unmapped` list: nothing the partner sent is dropped.
 */
export function readRecord(
  nodes: readonly MapNode[],
  segments: readonly MapSegment[],
  unmapped: string,
): { record: Rec; issues: MapIssue[] } {
  const root: Rec = {};
  const issues: MapIssue[] = [];
  const stack: Scope[] = [{ nodes, instance: root, unmapped: { obj: root, path: unmapped }, loopIndex: -1, sink: false }];
  applyConstants(nodes, root, root);

  const keep = (scope: Scope, seg: MapSegment) => pushPath(scope.unmapped.obj, scope.unmapped.path, rawSegment(seg));

  segments.forEach((seg, index) => {
    const position = index + 2; // ST / UNH is segment 1
    for (let d = stack.length - 1; d >= 0; d--) {
      const scope = stack[d];
      if (!scope) continue;
      const li = bestLoop(scope.nodes, seg);
      if (li >= 0) {
        const node = scope.nodes[li];
        if (node?.kind !== 'loop') break;
        stack.length = d + 1;
        const inner = openLoop(node, li, scope, root);
        stack.push(inner);
        if (scope.sink || !applyTemplate(node.body[0], seg, root, inner.instance, issues, position)) keep(inner, seg);
        return;
      }
      const ti = bestTemplate(scope.nodes, seg);
      const child = stack[d + 1];
      if (ti >= 0 && (child === undefined || ti > child.loopIndex)) {
        stack.length = d + 1;
        const node = scope.nodes[ti];
        if (scope.sink || node?.kind !== 'seg' || !applyTemplate(node, seg, root, scope.instance, issues, position)) keep(scope, seg);
        return;
      }
      const unknownLoop = scope.nodes.findIndex((n) => n.kind === 'loop' && n.body[0].tag === seg.tag);
      const loopNode = scope.nodes[unknownLoop];
      if (loopNode?.kind === 'loop') {
        stack.length = d + 1;
        stack.push({ nodes: loopNode.body.slice(1), instance: {}, unmapped: scope.unmapped, loopIndex: unknownLoop, sink: true });
        keep(scope, seg);
        return;
      }
    }
    const top = stack[stack.length - 1];
    if (top) keep(top, seg);
  });
  return { record: root, issues };
}

function openLoop(node: LoopTemplate, index: number, parent: Scope, root: Rec): Scope {
  const instance: Rec = {};
  if (!parent.sink) {
    const { obj, path } = scoped(root, parent.instance, node.target);
    if (node.many) pushPath(obj, path, instance);
    else {
      const existing = getPath(obj, path);
      // A second occurrence of a single loop (two N1*ST) merges into the first.
      if (isRec(existing)) return scopeFor(node, index, parent, root, existing);
      setPath(obj, path, instance);
    }
  }
  return scopeFor(node, index, parent, root, instance);
}

function scopeFor(node: LoopTemplate, index: number, parent: Scope, root: Rec, instance: Rec): Scope {
  applyConstants(node.body, root, instance);
  return {
    nodes: node.body.slice(1),
    instance,
    unmapped: node.unmapped !== undefined && !parent.sink ? { obj: instance, path: node.unmapped } : parent.unmapped,
    loopIndex: index,
    sink: parent.sink,
  };
}

/** Partner overrides may pin a field to a constant: it holds whether or not the segment came. */
function applyConstants(nodes: readonly MapNode[], root: Rec, instance: Rec): void {
  for (const n of nodes) {
    if (n.kind !== 'seg' || n.many !== undefined) continue;
    for (const b of Object.values(n.elements)) {
      if (b.kind === 'field' && b.constant !== undefined) {
        const { obj, path } = scoped(root, instance, b.target);
        setPath(obj, path, b.constant);
      }
    }
  }
}

function convert(
  conv: Converter | undefined,
  raw: string,
  target: string,
  seg: MapSegment,
  element: number,
  position: number,
  issues: MapIssue[],
): string | number | undefined {
  const v = readValue(conv, raw);
  if (v === undefined) {
    issues.push({
      message: `${seg.tag}${String(element).padStart(2, '0')} ${JSON.stringify(raw)} is not a valid ${conv ?? 'value'} for ${target}`,
      tag: seg.tag,
      segmentPosition: position,
      element,
      value: raw,
      target,
    });
  }
  return v;
}

/** Applies a template; returns false when a value could not be converted (the caller keeps the segment raw). */
function applyTemplate(t: SegTemplate, seg: MapSegment, root: Rec, instance: Rec, issues: MapIssue[], position: number): boolean {
  let target = instance;
  if (t.many !== undefined) {
    const item: Rec = {};
    const { obj, path } = scoped(root, instance, t.many);
    pushPath(obj, path, item);
    target = item;
  }
  const before = issues.length;
  for (const [key, b] of Object.entries(t.elements)) applyBinding(key, b, seg, root, target, issues, position);
  return issues.length === before;
}

function applyBinding(key: string, b: Binding, seg: MapSegment, root: Rec, instance: Rec, issues: MapIssue[], position: number): void {
  const { element, component } = parseAddress(key);
  if (b.kind === 'field') {
    if (b.constant !== undefined) return;
    const raw = elementText(seg, element, component);
    if (raw === '') return;
    const known = b.codes?.[raw];
    if (b.closed && known === undefined) {
      issues.push({
        message: `${seg.tag}${String(element).padStart(2, '0')} code ${JSON.stringify(raw)} has no meaning for ${b.target}`,
        tag: seg.tag,
        segmentPosition: position,
        element,
        value: raw,
        target: b.target,
      });
      return;
    }
    const v = convert(b.convert, known ?? raw, b.target, seg, element, position, issues);
    if (v === undefined) return;
    const { obj, path } = scoped(root, instance, b.target);
    setPath(obj, path, v);
    return;
  }
  if (b.kind === 'pairs') {
    for (let i = 0; i < b.count; i++) {
      const e = element + i * 2;
      const qualifier = elementText(seg, e);
      const id = elementText(seg, e + 1);
      if (qualifier === '' && id === '') continue;
      const kept = scoped(root, instance, b.keep);
      pushPath(kept.obj, kept.path, { qualifier, id });
      const spec = b.targets[qualifier];
      if (!spec || id === '') continue;
      const v = convert(spec.convert, id, spec.target, seg, e + 1, position, issues);
      if (v === undefined) continue;
      const { obj, path } = scoped(root, instance, spec.target);
      if (getPath(obj, path) === undefined) setPath(obj, path, v);
    }
  }
}
