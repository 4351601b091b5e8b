import type { X12TransactionChecker, X12TransactionCheckerFactory } from './envelope.js';
import { isX12Date, isX12Time } from './envelope.js';
import { X12Errors, X12Warnings } from './errors.js';
import type { X12Issue } from './issues.js';
import type { X12Segment } from './segment.js';
import type { ElementSpec, SegmentSpec, SpecNode, TransactionSpec } from './spec-format.js';

interface Frame {
  readonly nodes: readonly SpecNode[];
  readonly loopId: string | undefined;
  idx: number;
  readonly counts: number[];
}

const NUMERIC = /^-?\d+$/;
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

function tagsOf(nodes: readonly SpecNode[], into: Set<string>): Set<string> {
  for (const n of nodes) {
    if (n.kind === 'segment') into.add(n.tag);
    else tagsOf(n.children, into);
  }
  return into;
}

/** The AK403 code and message for a value that breaks its element spec, or null. */
function valueProblem(spec: ElementSpec, name: string, value: string): [string, string] | null {
  let length = value.length;
  switch (spec.type) {
    case 'N0':
    case 'N1':
    case 'N2':
      if (!NUMERIC.test(value)) return ['6', `${name} ${JSON.stringify(value)} is not numeric`];
      length = value.replace('-', '').length;
      break;
    case 'R':
      if (!DECIMAL.test(value)) return ['6', `${name} ${JSON.stringify(value)} is not a decimal number`];
      length = value.replace(/[-.]/g, '').length;
      break;
    case 'DT':
      return !isX12Date(value) || value.length < spec.min || value.length > spec.max
        ? ['8', `${name} ${JSON.stringify(value)} is not a valid date`]
        : null;
    case 'TM':
      return !isX12Time(value) || value.length < spec.min || value.length > spec.max
        ? ['9', `${name} ${JSON.stringify(value)} is not a valid time`]
        : null;
    default:
      break;
  }
  if (spec.codes && !spec.codes.includes(value)) return ['7', `${name} ${JSON.stringify(value)} is not a valid code`];
  if (length < spec.min) return ['4', `${name} ${JSON.stringify(value)} is shorter than ${spec.min}`];
  if (length > spec.max) return ['5', `${name} is ${length} characters, at most ${spec.max} allowed`];
  return null;
}

function trigger(node: SpecNode): string {
  if (node.kind === 'segment') return node.tag;
  const first = node.children[0];
  return first ? trigger(first) : '';
}

/**
 * Walks one transaction set against its spec, segment by segment: placement in the spec's sequence and loops
 * (AK304 codes 1-8), then each element of known segments (AK403 codes 1-13). HL03 levels of an 856 are
 * checked against the spec's hierarchy, and HL02 against the HL01s seen.
 */
export class SpecTransactionChecker implements X12TransactionChecker {
  private readonly stack: Frame[];
  private readonly issues: X12Issue[] = [];
  private readonly specTags: Set<string>;
  private readonly hlIds = new Set<string>();
  private finished = false;

  constructor(
    private readonly spec: TransactionSpec,
    private readonly segments: ReadonlyMap<string, SegmentSpec>,
    private readonly knownTags: ReadonlySet<string>,
    private readonly hierarchyLevels: readonly string[] | undefined,
  ) {
    this.stack = [{ nodes: spec.body, loopId: undefined, idx: 0, counts: new Array(spec.body.length).fill(0) }];
    this.specTags = tagsOf(spec.body, new Set());
  }

  private segmentIssue(seg: X12Segment | undefined, tag: string, ackCode: string, message: string, loopId: string | undefined): void {
    this.issues.push({
      code: X12Errors.segment.code,
      severity: 'error',
      level: 'segment',
      message,
      ackCode,
      segmentTag: tag,
      segmentPosition: seg?.position.segment || undefined,
      loopId,
      offset: seg?.position.offset,
      line: seg?.position.line,
    });
  }

  private elementIssue(
    seg: X12Segment,
    pos: number,
    spec: ElementSpec | undefined,
    ackCode: string,
    message: string,
    value?: string,
    component?: number,
  ): void {
    this.issues.push({
      code: X12Errors.element.code,
      severity: 'error',
      level: 'element',
      message,
      ackCode,
      segmentTag: seg.tag,
      segmentPosition: seg.position.segment || undefined,
      elementPosition: pos,
      componentPosition: component,
      dataElementRef: spec?.ref,
      value,
      loopId: this.currentLoop(),
      offset: seg.position.offset,
      line: seg.position.line,
    });
  }

  private currentLoop(): string | undefined {
    return this.stack[this.stack.length - 1]?.loopId;
  }

  /** Reports mandatory nodes of `frame` in [from, to) never used. */
  private missing(frame: Frame, from: number, to: number, at: X12Segment | undefined): void {
    for (let j = from; j < to; j++) {
      const node = frame.nodes[j];
      if (!node || node.min === 0 || (frame.counts[j] ?? 0) > 0) continue;
      const tag = trigger(node);
      const what = node.kind === 'loop' ? `loop ${node.id}` : `segment ${tag}`;
      this.segmentIssue(at, tag, '3', `mandatory ${what} is missing${at ? ` before ${at.tag}` : ''}`, frame.loopId);
    }
  }

  private popTo(level: number, at: X12Segment | undefined): void {
    while (this.stack.length - 1 > level) {
      const frame = this.stack.pop();
      if (frame) this.missing(frame, frame.idx + 1, frame.nodes.length, at);
    }
  }

  push(seg: X12Segment): void {
    if (seg.tag === 'ST') return;
    if (seg.tag === 'SE') {
      this.finish(seg);
      return;
    }
    if (this.place(seg)) this.checkElements(seg);
  }

  private place(seg: X12Segment): boolean {
    const tag = seg.tag;
    for (let level = this.stack.length - 1; level >= 0; level--) {
      const frame = this.stack[level];
      if (!frame) continue;
      // Inside a loop, its trigger segment (child 0) repeating means a new iteration, found one level up.
      for (let j = frame.loopId !== undefined ? Math.max(frame.idx, 1) : frame.idx; j < frame.nodes.length; j++) {
        const node = frame.nodes[j];
        if (!node || trigger(node) !== tag) continue;
        this.popTo(level, seg);
        const skippedFrom = (frame.counts[frame.idx] ?? 0) > 0 ? frame.idx + 1 : frame.idx;
        this.missing(frame, skippedFrom, j, seg);
        frame.idx = j;
        const used = (frame.counts[j] ?? 0) + 1;
        frame.counts[j] = used;
        if (node.kind === 'segment') {
          if (used > node.max)
            this.segmentIssue(seg, tag, '5', `segment ${tag} used ${used} times, at most ${node.max} allowed`, frame.loopId);
        } else {
          if (used > node.max)
            this.segmentIssue(seg, tag, '4', `loop ${node.id} occurs ${used} times, at most ${node.max} allowed`, node.id);
          const counts = new Array(node.children.length).fill(0);
          counts[0] = 1;
          this.stack.push({ nodes: node.children, loopId: node.id, idx: 0, counts });
          const first = node.children[0];
          if (first?.kind === 'loop') this.place(seg);
        }
        return true;
      }
    }
    const loopId = this.currentLoop();
    if (this.specTags.has(tag)) {
      this.segmentIssue(seg, tag, '7', `segment ${tag} is not in proper sequence`, loopId);
      return true;
    }
    if (this.knownTags.has(tag)) {
      this.segmentIssue(seg, tag, '2', `segment ${tag} is not expected in transaction set ${this.spec.id}`, loopId);
    } else {
      this.segmentIssue(seg, tag, '1', `unrecognized segment ID ${JSON.stringify(tag)}`, loopId);
    }
    return false;
  }

  private checkElements(seg: X12Segment): void {
    const spec = this.segments.get(seg.tag);
    if (!spec) return;
    const before = this.issues.length;
    for (let i = 0; i < spec.elements.length; i++) {
      const es = spec.elements[i];
      if (es) this.checkElement(seg, i + 1, es);
    }
    for (let i = spec.elements.length; i < seg.elements.length; i++) {
      const extra = seg.elements[i];
      if (extra?.some((rep) => rep.some((c) => c !== ''))) {
        this.elementIssue(seg, i + 1, undefined, '3', `${seg.tag} has ${seg.elements.length} elements, ${spec.elements.length} defined`);
        break;
      }
    }
    if (seg.tag === 'HL' && this.hierarchyLevels) this.checkHierarchy(seg);
    if (this.issues.length > before) {
      this.segmentIssue(seg, seg.tag, '8', `segment ${seg.tag} has data element errors`, this.currentLoop());
    }
  }

  private checkElement(seg: X12Segment, pos: number, spec: ElementSpec): void {
    const element = seg.elements[pos - 1];
    const name = `${seg.tag}${String(pos).padStart(2, '0')}`;
    const present = element?.some((rep) => rep.some((c) => c !== '')) ?? false;
    if (!present) {
      if (spec.req === 'M') this.elementIssue(seg, pos, spec, '1', `mandatory element ${name} is missing`);
      return;
    }
    if (!element) return;
    if (element.length > (spec.repeat ?? 1)) {
      this.elementIssue(
        seg,
        pos,
        spec,
        '12',
        `${name} has ${element.length} repetitions, ${spec.repeat ?? 1} allowed`,
        element.map((r) => r.join(':')).join('^'),
      );
      return;
    }
    if (spec.composite) return;
    const comps = element[0] ?? [''];
    if (comps.length > 1) {
      this.elementIssue(seg, pos, spec, '13', `${name} is a simple element but has ${comps.length} components`, comps.join(':'));
      return;
    }
    const value = comps[0] ?? '';
    this.checkValue(seg, pos, spec, name, value);
  }

  private checkValue(seg: X12Segment, pos: number, spec: ElementSpec, name: string, value: string): void {
    const problem = valueProblem(spec, name, value);
    if (problem) this.elementIssue(seg, pos, spec, problem[0], problem[1], value);
  }

  private checkHierarchy(seg: X12Segment): void {
    const id = seg.elements[0]?.[0]?.[0] ?? '';
    const parent = seg.elements[1]?.[0]?.[0] ?? '';
    const level = seg.elements[2]?.[0]?.[0] ?? '';
    if (parent !== '' && !this.hlIds.has(parent)) {
      this.elementIssue(
        seg,
        2,
        { ref: 734, req: 'O', type: 'AN', min: 1, max: 12 },
        '7',
        `HL02 ${JSON.stringify(parent)} names no earlier HL01`,
        parent,
      );
    }
    if (level !== '' && this.hierarchyLevels && !this.hierarchyLevels.includes(level)) {
      this.elementIssue(
        seg,
        3,
        { ref: 735, req: 'M', type: 'ID', min: 1, max: 2 },
        '7',
        `HL03 ${JSON.stringify(level)} is not a level of ${this.spec.id}`,
        level,
      );
    }
    this.hlIds.add(id);
  }

  private finish(trailer: X12Segment | undefined): void {
    if (this.finished) return;
    this.finished = true;
    this.popTo(0, trailer);
    const root = this.stack[0];
    if (root) this.missing(root, root.idx + (root.counts[root.idx] ? 1 : 0), root.nodes.length, trailer);
  }

  end(): X12Issue[] {
    this.finish(undefined);
    return this.issues;
  }
}

export interface X12SpecRegistry {
  readonly specs: readonly TransactionSpec[];
  readonly segments: ReadonlyMap<string, SegmentSpec>;
  /** HL03 level codes per transaction set id. */
  readonly hierarchy?: Readonly<Record<string, readonly string[]>>;
}

/** The spec for a transaction set id and GS08 version: exact 6-char version first, then same major (0040xx, 0050xx). */
export function findTransactionSpec(registry: X12SpecRegistry, id: string, version: string): TransactionSpec | undefined {
  const v = version.slice(0, 6);
  const candidates = registry.specs.filter((s) => s.id === id);
  return (
    candidates.find((s) => s.versions.includes(v)) ??
    candidates.find((s) => s.versions.some((sv) => sv.slice(0, 4) === v.slice(0, 4))) ??
    (v === '' ? candidates[0] : undefined)
  );
}

class UnknownTransactionChecker implements X12TransactionChecker {
  constructor(
    private readonly id: string,
    private readonly version: string,
  ) {}
  push(): void {}
  end(): X12Issue[] {
    return [
      {
        code: X12Warnings.unknownTransaction,
        severity: 'warning',
        level: 'transaction',
        message: `no specification for transaction set ${this.id} version ${this.version || '(none)'}; only the envelope was checked`,
      },
    ];
  }
}

/** A checker factory for the envelope validator, backed by a spec registry. */
export function specChecker(registry: X12SpecRegistry): X12TransactionCheckerFactory {
  const known = new Set<string>(registry.segments.keys());
  for (const s of registry.specs) tagsOf(s.body, known as Set<string>);
  return (id, version) => {
    const spec = findTransactionSpec(registry, id, version);
    if (!spec) return new UnknownTransactionChecker(id, version);
    return new SpecTransactionChecker(spec, registry.segments, known, registry.hierarchy?.[id]);
  };
}
